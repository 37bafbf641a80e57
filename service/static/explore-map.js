// The explorer's map: an edition's entities as points (cities on China, global cities on the
// world) or as regions (districts on their city's map), coloured by tier or by a score.
// Which map an edition uses is data (geo/maps.json, by entity_kind); coordinates are data
// (geo/coordinates.csv, with their source); outlines are vendored (vendor/maps/, see README).
import { el, parseCsv, tr } from "./common.js";

const TIER_COLOURS = ["#7c2d12", "#c2410c", "#f97316", "#fdba74", "#fde7c7", "#fff4e6"];
const LOW = [255, 243, 224], HIGH = [124, 45, 18];  // the score scale's two ends (RGB)
export const NO_DATA = "#cbd5e1";

let maps = null, coords = null;
const registered = new Set();

async function json(url) { const r = await fetch(url); if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`); return r.json(); }

/** The map spec for ``entityKind`` (geo/maps.json), registered with ECharts once. */
async function mapFor(entityKind) {
  maps = maps || await json("/static/geo/maps.json");
  const spec = maps[entityKind];
  if (!spec) return null;
  if (!registered.has(spec.map)) {
    window.echarts.registerMap(spec.map, await json(spec.url));
    registered.add(spec.map);
  }
  return spec;
}

async function coordinates() {
  if (!coords) {
    const r = await fetch("/static/geo/coordinates.csv");
    coords = new Map(parseCsv(await r.text()).map((c) => [c.name, [Number(c.lon), Number(c.lat)]]));
  }
  return coords;
}

/** A colour per entity and the legend's entries, for ``measure`` ("tier" or a score getter). */
export function colouring(entities, measure, lang) {
  if (measure.key === "tier") {
    const tiers = [...new Map(entities.filter((e) => e.tier).map((e) => [e.tier, lang === "zh" ? e.tier_label : e.tier_label_en || e.tier_label]))]
      .sort((a, b) => a[0] - b[0]);
    const colour = (e) => (e.tier ? TIER_COLOURS[Math.min(e.tier, TIER_COLOURS.length) - 1] : NO_DATA);
    return { colour, legend: el("div", { class: "legend-items" }, ...tiers.map(([n, label]) => swatch(TIER_COLOURS[Math.min(n, TIER_COLOURS.length) - 1], label)),
      swatch(NO_DATA, tr(lang, "noData"))) };
  }
  const values = entities.map(measure.get).filter((v) => typeof v === "number");
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const colour = (e) => {
    const v = measure.get(e);
    if (typeof v !== "number") return NO_DATA;
    const f = hi > lo ? (v - lo) / (hi - lo) : 1;
    return `rgb(${LOW.map((c, i) => Math.round(c + f * (HIGH[i] - c))).join(",")})`;
  };
  const gradient = el("span", { class: "gradient", style: `background: linear-gradient(90deg, rgb(${LOW}), rgb(${HIGH}))` });
  return { colour, legend: values.length ? el("div", { class: "legend-items" }, el("span", { text: lo.toFixed(2) }), gradient,
    el("span", { text: hi.toFixed(2) }), swatch(NO_DATA, tr(lang, "noData"))) : el("div", { text: tr(lang, "noData") }) };
}

function swatch(colour, label) {
  return el("span", { class: "swatch" }, el("i", { style: `background:${colour}` }), label);
}

/** Match districts to map regions: the same name, or the region's name begins with the
 *  district's name less its 区/县 (梁平区 ~ 梁平县, 酉阳县 ~ 酉阳土家族苗族自治县). */
function regionName(features, name) {
  const stem = name.replace(/[区县]$/, "");
  return features.find((f) => f === name) || (stem.length >= 2 ? features.find((f) => f.startsWith(stem)) : undefined);
}

/** Draw ``entities`` of an edition on ``node``; ``onPick(name)`` on a click; nothing once
 *  ``stale()``. Sets ``node.dataset.count`` to the entities placed; returns the names left off. */
export async function drawMap(node, chart, { entityKind, entities, colour, valueOf, display, onPick, stale }) {
  const spec = await mapFor(entityKind);
  const where = spec && spec.draw === "points" ? await coordinates() : null;
  if (stale()) return { chart, stale: true };  // a newer drawing is under way: leave the map to it
  if (!spec) { node.dataset.count = "0"; return { chart, missing: entities.map((e) => e.name) }; }
  node.style.height = `${Math.round(Math.min(560, Math.max(240, node.clientWidth * (spec.aspect || 0.8))))}px`;
  if (chart) chart.resize(); else chart = window.echarts.init(node, null, { renderer: "svg" });
  const wide = node.clientWidth >= 700;
  const tooltip = { trigger: "item", confine: true, formatter: (p) => (p.data ? `${p.data.label}<br>${p.data.shown}` : p.name) };
  const missing = [];
  let option;
  if (spec.draw === "regions") {
    const features = window.echarts.getMap(spec.map).geoJSON.features.map((f) => f.properties.name);
    const data = [];
    for (const e of entities) {
      const region = regionName(features, e.name);
      if (!region) { missing.push(e.name); continue; }
      data.push({ name: region, entity: e.name, label: display(e), shown: valueOf(e), itemStyle: { areaColor: colour(e) } });
    }
    option = { tooltip, series: [{ type: "map", map: spec.map, roam: wide, data, selectedMode: false, label: { show: false },
      itemStyle: { borderColor: "#fff", borderWidth: 0.8, areaColor: NO_DATA }, emphasis: { label: { show: true, fontSize: 11 }, itemStyle: { areaColor: "#fbbf24" } } }] };
  } else {
    const data = [];
    for (const e of entities) {
      const at = where.get(e.name);
      if (!at) { missing.push(e.name); continue; }
      data.push({ name: display(e), entity: e.name, label: display(e), shown: valueOf(e), value: [...at, 1], itemStyle: { color: colour(e), borderColor: "#7c2d12", borderWidth: 0.6 } });
    }
    option = { tooltip,
      geo: { map: spec.map, roam: wide, silent: true, ...(spec.bounds ? { boundingCoords: spec.bounds } : {}),
        itemStyle: { areaColor: "#f1f5f9", borderColor: "#cbd5e1" }, label: { show: false } },
      series: [{ type: "scatter", coordinateSystem: "geo", data, symbolSize: wide ? 12 : 9, cursor: "pointer",
        // a tall line box, so that labels ECharts keeps (hideOverlap compares line boxes) never touch
        label: { show: true, formatter: "{b}", position: "right", fontSize: 10, lineHeight: 14, color: "#334155" }, labelLayout: { hideOverlap: true },
        emphasis: { scale: 1.5, label: { fontWeight: "bold" } } }] };
  }
  chart.setOption(option, true);
  chart.off("click");
  chart.on("click", (p) => { if (p.data && p.data.entity) onPick(p.data.entity); });
  node.dataset.count = String(entities.length - missing.length);
  node.dataset.map = spec.map;
  return { chart, missing };
}
