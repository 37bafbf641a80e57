// A city's profile in the explorer: its dimension scores against the edition's median and
// leader (a chart, and a table whose rows each ask the chat about one cell), then the same
// city in every edition side by side, under the caveat that methods differ.
import { $, api, el, tr } from "./common.js";
import { chartBlock } from "./charts.js";

const fmt = (v) => (typeof v === "number" ? v.toFixed(2) : "–");

function median(values) {
  const v = values.filter((x) => typeof x === "number").sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Per dimension: the edition's median score and its leader (name and score). */
export function benchmarks(entities, keys) {
  return Object.fromEntries(keys.map((k) => {
    const scored = entities.filter((e) => typeof e.dimensions[k].score === "number");
    const lead = scored.reduce((a, b) => (b.dimensions[k].score > a.dimensions[k].score ? b : a), scored[0]);
    return [k, { median: median(scored.map((e) => e.dimensions[k].score)), leader: lead ? { name: lead.name, name_en: lead.name_en, score: lead.dimensions[k].score } : null }];
  }));
}

/** "/?ask=…": the chat page sends it on arrival. */
export const askHref = (question) => `/?${new URLSearchParams({ ask: question })}`;

/** Open the profile of entity ``name``; ``ctx`` = {lang, edition, detail, scores, editions, editionLabel, display}. */
export async function showProfile(ctx, name) {
  const { lang, edition, detail, scores } = ctx;
  const e = scores.entities.find((x) => x.name === name);
  if (!e) return;
  const shown = ctx.display(e);
  const dims = detail.methodology.dimensions;
  const dimName = (d) => (lang === "zh" ? d.zh : d.en);
  const bench = benchmarks(scores.entities, dims.map((d) => d.key));
  const label = ctx.editionLabel(edition, lang);
  $("#profile-title").textContent = shown;
  const summary = el("p", { class: "profile-summary" },
    `${label} · ${tr(lang, "composite")} ${fmt(e.composite)} · ${e.rank ? tr(lang, "ranked", { rank: e.rank, of: scores.of }) : tr(lang, "notRanked")}`
    + (e.tier ? ` · ${lang === "zh" ? e.tier_label : e.tier_label_en || e.tier_label}` : ""));
  const askCity = el("a", { class: "btn primary ask-city", href: askHref(tr(lang, "askCity", { name: shown, edition: label })), "data-testid": "ask-city" },
    tr(lang, "askAbout"));
  const parts = [summary, askCity];
  const drawn = [];

  const scored = dims.filter((d) => typeof e.dimensions[d.key].score === "number");
  if (scored.length) {
    const leaderName = (k) => (bench[k].leader ? (lang === "zh" ? bench[k].leader.name : bench[k].leader.name_en) : "–");
    const block = chartBlock({ type: "bar", title: tr(lang, "profileChart", { name: shown }), labels: scored.map(dimName),
      series: [{ name: shown, values: scored.map((d) => e.dimensions[d.key].score) },
        { name: tr(lang, "median"), values: scored.map((d) => bench[d.key].median) },
        { name: tr(lang, "leader"), values: scored.map((d) => bench[d.key].leader && bench[d.key].leader.score) }] }, lang, "profile-chart");
    const rows = dims.map((d) => {
      const own = e.dimensions[d.key];
      const cellQuestion = tr(lang, "askCell", { name: shown, dimension: dimName(d), edition: label });
      return el("tr", {}, el("th", {}, dimName(d), " ",  // the cell's question one click away, beside its name
        el("a", { class: "ask-cell", href: askHref(cellQuestion), title: cellQuestion, "data-dimension": d.key }, `${tr(lang, "ask")} ›`)),
        el("td", { class: "num", text: fmt(own.score) + (own.rank ? ` (#${own.rank})` : "") }),
        el("td", { class: "num", text: fmt(bench[d.key].median) }),
        el("td", { class: "num", text: bench[d.key].leader ? `${leaderName(d.key)} ${fmt(bench[d.key].leader.score)}` : "–" }));
    });
    const table = el("table", { class: "profile-table" },
      el("thead", {}, el("tr", {}, ...["dimension", "score", "median", "leader"].map((k) => el("th", { text: tr(lang, k) })))),
      el("tbody", {}, ...rows));
    parts.push(block.node, el("div", { class: "table-wrap" }, table));
    drawn.push(block);
  }

  const across = el("section", { class: "across" }, el("h4", { text: tr(lang, "acrossEditions", { name: shown }) }), el("p", { class: "muted", text: tr(lang, "loading") }));
  parts.push(across);
  $("#profile-body").replaceChildren(...parts);
  $("#profile").hidden = false;
  $("#profile").dataset.entity = name;
  for (const b of drawn) { b.draw(); ctx.onChart(b); }

  try {
    const one = await api(`/api/v1/editions/${encodeURIComponent(edition.id)}/entities/${encodeURIComponent(name)}`);
    const all = [{ edition: edition.id, composite: one.composite, rank: one.rank, of: one.of, tier: one.tier }, ...one.other_editions];
    const byId = Object.fromEntries(ctx.editions.map((x) => [x.id, x]));
    const cols = all.map((x) => byId[x.edition]).filter(Boolean);
    const row = (key, cell) => el("tr", {}, el("th", { text: tr(lang, key) }), ...all.map((x) => el("td", { class: "num", text: cell(x) })));
    across.replaceChildren(across.firstChild, el("div", { class: "table-wrap" }, el("table", { class: "across-table" },
      el("thead", {}, el("tr", {}, el("th", { text: "" }), ...cols.map((x) => el("th", { text: ctx.editionLabel(x, lang) })))),
      el("tbody", {}, row("composite", (x) => fmt(x.composite)), row("rank", (x) => (x.rank ? `${x.rank} / ${x.of}` : "–")),
        row("tier", (x) => (x.tier ? String(x.tier) : "–"))))),
    el("p", { class: "caveat", text: tr(lang, "caveat") }));
  } catch (err) {
    across.replaceChildren(across.firstChild, el("p", { class: "error", text: err.message }));
  }
}
