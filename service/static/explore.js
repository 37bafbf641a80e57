// The index explorer (/explore): pick an edition, see its entities on a map coloured by
// tier or any score, sort the rankings table by any column, download it (CSV, Excel), open a
// profile from the map or the table, and take a city or a cell into the chat.
// Everything comes from the same /api/v1 routes the portal uses.
import { $, api, applyStatic, download, el, fill, pageLang, setPageLang, tr } from "./common.js";
import { colouring, drawMap } from "./explore-map.js";
import { showProfile } from "./explore-profile.js";

let lang = pageLang();
const view = { editions: [], edition: null, detail: null, scores: null, colorBy: "tier", sort: { key: "rank", dir: 1 }, map: null, charts: [] };

const display = (e) => (lang === "zh" ? e.name : e.name_en || e.name);
const dimName = (d) => (lang === "zh" ? d.zh : d.en);
const fmt = (v) => (typeof v === "number" ? v.toFixed(2) : "–");

/** How questions and headings name an edition: its title, with the year unless the title has one. */
function editionLabel(ed, l) {
  const title = l === "zh" ? ed.title_zh : ed.title_en;
  return /\d{4}/.test(title) ? title : fill(tr(l, "editionYear"), { year: ed.edition_year, title });
}

/** The measures the map can colour by and the table can sort by. */
function measures() {
  const dims = view.detail.methodology.dimensions;
  return [
    ...(view.scores.entities.some((e) => e.tier) ? [{ key: "tier", label: tr(lang, "tier"), get: (e) => e.tier }] : []),
    { key: "composite", label: tr(lang, "composite"), get: (e) => e.composite },
    ...dims.map((d) => ({ key: d.key, label: dimName(d), get: (e) => e.dimensions[d.key].score })),
  ];
}

let loading = 0;  // the latest edition asked for: a slower, older answer must not win

// The edition, its detail and its scores change together, once both answers are in: a resize,
// a language switch or a colour pick while they load redraws the edition already shown (or
// nothing, before the first one arrives) rather than mixing two editions.
async function loadEdition(id) {
  const mine = ++loading;
  const edition = view.editions.find((e) => e.id === id) || view.editions[0];
  $("#edition").value = edition.id;
  const url = new URL(location.href);
  url.searchParams.set("edition", edition.id);
  history.replaceState(null, "", url);
  const [detail, scores] = await Promise.all([api(`/api/v1/editions/${edition.id}`), api(`/api/v1/editions/${edition.id}/scores`)]);
  if (mine !== loading) return;
  [view.edition, view.detail, view.scores] = [edition, detail, scores];
  view.sort = { key: "rank", dir: 1 };
  const keys = measures().map((m) => m.key);
  if (!keys.includes(view.colorBy)) view.colorBy = keys[0];
  $("#profile").hidden = true;
  render();
}

const shown = () => view.detail !== null;

function render() {
  applyStatic(lang);
  $("#lang").textContent = lang === "zh" ? "EN" : "中文";
  document.title = lang === "zh" ? "硬科技指数浏览 · Hard-tech Index Explorer" : "Hard-tech Index Explorer · 硬科技指数浏览";
  if (!shown()) return;
  $("#edition").replaceChildren(...view.editions.map((e) => el("option", { value: e.id, text: editionLabel(e, lang) })));
  $("#edition").value = view.edition.id;
  $("#color-by").replaceChildren(...measures().map((m) => el("option", { value: m.key, text: m.label })));
  $("#color-by").value = view.colorBy;
  $("#edition-note").textContent = `${lang === "zh" ? view.edition.report_zh || "" : view.edition.report_en || ""} · ${tr(lang, "entities", { n: view.scores.of })}`;
  renderMap();
  renderTable();
  const open = $("#profile").dataset.entity;
  if (!$("#profile").hidden && open) openProfile(open);
}

let drawings = 0;  // likewise for the map: the latest drawing wins

async function renderMap() {
  if (!shown()) return;
  const measure = measures().find((m) => m.key === view.colorBy);
  const { colour, legend } = colouring(view.scores.entities, measure, lang);
  $("#map-legend").replaceChildren(legend);
  const valueOf = (e) => (measure.key === "tier" ? (lang === "zh" ? e.tier_label : e.tier_label_en) || tr(lang, "noData") : `${measure.label} ${fmt(measure.get(e))}`);
  const { scores } = view;
  const drawing = ++drawings;
  const { chart, missing, stale } = await drawMap($("#map"), view.map, { entityKind: view.edition.entity_kind, entities: scores.entities,
    colour, valueOf, display, onPick: openProfile, stale: () => drawing !== drawings });
  view.map = chart;
  if (stale) return;
  $("#map").dataset.edition = view.edition.id;
  $("#map-status").textContent = tr(lang, "placed", { n: view.scores.entities.length - missing.length, of: view.scores.entities.length })
    + (missing.length ? ` (${missing.join("、")})` : "");
}

function sortedEntities() {
  const m = measures().find((x) => x.key === view.sort.key);
  const get = view.sort.key === "rank" ? (e) => e.rank : view.sort.key === "name" ? display : m.get;
  const { dir } = view.sort;
  return [...view.scores.entities].sort((a, b) => {
    const [x, y] = [get(a), get(b)];
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;  // missing values last, either way
    if (y === null || y === undefined) return -1;
    return (typeof x === "string" ? x.localeCompare(y, lang) : x - y) * dir;
  });
}

function renderTable() {
  const cols = [{ key: "rank", label: tr(lang, "rank") }, { key: "name", label: tr(lang, "name") }, ...measures()];
  const head = el("tr", {}, ...cols.map((c) => {
    const on = view.sort.key === c.key;
    return el("th", { scope: "col", "aria-sort": on ? (view.sort.dir > 0 ? "ascending" : "descending") : "none", "data-key": c.key },
      el("button", { type: "button", class: "sort", title: tr(lang, "sortBy", { col: c.label }), onclick: () => sortBy(c.key) },
        c.label, el("span", { class: "arrow", "aria-hidden": "true", text: on ? (view.sort.dir > 0 ? "▲" : "▼") : "" })));
  }));
  const cell = (e, c) => {
    if (c.key === "rank") return e.rank ?? "–";
    if (c.key === "name") return display(e);
    if (c.key === "tier") return (lang === "zh" ? e.tier_label : e.tier_label_en) || "–";
    return fmt(c.get(e));
  };
  const rows = sortedEntities().map((e) => el("tr", { tabindex: "0", "data-entity": e.name, onclick: () => openProfile(e.name),
    onkeydown: (ev) => { if (ev.key === "Enter") openProfile(e.name); } },
    ...cols.map((c) => el(c.key === "name" ? "th" : "td", { class: ["rank", "name", "tier"].includes(c.key) ? c.key : "num", "data-key": c.key, text: String(cell(e, c)) }))));
  $("#rank-table").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function sortBy(key) {
  const ascendingFirst = key === "rank" || key === "name" || key === "tier";
  view.sort = view.sort.key === key ? { key, dir: -view.sort.dir } : { key, dir: ascendingFirst ? 1 : -1 };
  renderTable();
}

function openProfile(name) {
  for (const c of view.charts) c.dispose();
  view.charts = [];
  showProfile({ lang, edition: view.edition, detail: view.detail, scores: view.scores, editions: view.editions, editionLabel, display,
    onChart: (c) => view.charts.push(c) }, name);
}

async function save(format) {
  const status = $("#table-status");
  status.hidden = true;
  try { await download(`/api/v1/editions/${view.edition.id}/scores?format=${format}`, `${view.edition.id}-scores.${format}`); } catch (err) {
    status.textContent = err.message; status.hidden = false;
  }
}

$("#edition").addEventListener("change", (e) => loadEdition(e.target.value));
$("#color-by").addEventListener("change", (e) => { view.colorBy = e.target.value; renderMap(); });
$("#dl-csv").addEventListener("click", () => save("csv"));
$("#dl-xlsx").addEventListener("click", () => save("xlsx"));
$("#filters").addEventListener("submit", (e) => e.preventDefault());
$("#profile-close").addEventListener("click", () => { $("#profile").hidden = true; });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("#profile").hidden = true; });
$("#lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; setPageLang(lang); render(); });
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { renderMap(); for (const c of view.charts) c.draw(); }, 150);
});

(async () => {
  try {
    view.editions = (await api("/api/v1/editions")).editions;
    const wanted = new URLSearchParams(location.search).get("edition");
    const latest = [...view.editions].sort((a, b) => b.edition_year - a.edition_year)[0];
    await loadEdition(wanted || latest.id);
  } catch (err) {
    $("#map-status").textContent = err.message;
  }
})();
