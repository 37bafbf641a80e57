// Charts from the answer envelope's `chart` ({type, title, labels, series: [{name, values}]}),
// drawn generically so new types still render: "ranking" as sorted horizontal bars, "radar"
// as a radar where there is room, everything else as (grouped) bars. Readable at 390 px:
// the title is HTML (it wraps), category labels wrap instead of overlapping, narrow or
// crowded charts turn horizontal, and a table shows the same numbers behind a toggle.
// SVG rendering, so every label is a DOM node a test can measure.
import { el, tr } from "./common.js";

const PALETTE = ["#c2410c", "#1d4ed8", "#059669", "#7c3aed", "#db2777", "#0891b2", "#a16207", "#475569"];
const FONT = 12;  // ECharts' default label size, px
const LINE = 15;  // px per label line
let measureCtx = null;

function textWidth(s) {
  measureCtx = measureCtx || document.createElement("canvas").getContext("2d");
  measureCtx.font = `${FONT}px sans-serif`;
  return measureCtx.measureText(String(s)).width;
}

/** Lines a label needs at ``width`` px (CJK breaks anywhere, other text at spaces). */
function linesNeeded(label, width) {
  return Math.max(1, Math.ceil(textWidth(label) / Math.max(20, width - 4)));
}

const num = (v) => (typeof v === "number" ? v : null);
const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : "–");

/** The ECharts option for ``spec`` in a box ``width`` px wide, and the height it needs. */
export function chartOption(spec, width) {
  const labels = (spec.labels || []).map(String);
  const series = (spec.series || []).filter((s) => Array.isArray(s.values));
  const legendH = series.length > 1 ? 28 : 0;
  const base = { color: PALETTE, animationDuration: 300, tooltip: { trigger: "axis", confine: true },
    legend: series.length > 1 ? { type: "scroll", top: 0, left: 0, right: 0, data: series.map((s) => s.name) } : undefined };
  const longest = Math.max(0, ...labels.map(textWidth));

  if (spec.type === "radar" && width >= 480 && labels.length >= 3) {
    const max = Math.max(100, ...series.flatMap((s) => s.values.map(num).filter((v) => v !== null)));
    const radius = Math.max(60, Math.min(width / 2 - longest - 24, 120));
    return { height: 2 * radius + legendH + 80, option: { ...base, tooltip: { confine: true },
      radar: { indicator: labels.map((name) => ({ name, max })), radius, center: ["50%", legendH + radius + 36] },
      series: [{ type: "radar", data: series.map((s) => ({ name: s.name, value: s.values.map(num) })) }] } };
  }

  const perCategory = (width - 64) / Math.max(1, labels.length);
  const vertical = spec.type !== "ranking" && width >= 480 && labels.every((l) => linesNeeded(l, perCategory) <= 2);
  if (vertical) {
    const lines = Math.max(...labels.map((l) => linesNeeded(l, perCategory)), 1);
    return { height: 240 + legendH + lines * LINE, option: { ...base,
      grid: { left: 8, right: 12, top: legendH + 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, width: perCategory - 6, overflow: "breakAll", lineHeight: LINE } },
      yAxis: { type: "value" },
      series: series.map((s) => ({ name: s.name, type: "bar", data: s.values.map(num), barMaxWidth: 40,
        label: { show: series.length === 1, position: "top", formatter: (p) => fmt(p.value) } })) } };
  }
  // Horizontal: one row per category, the label wrapped into a column on the left; a row
  // is tall enough for its label lines and for one bar (with its value label) per series.
  const labelWidth = Math.min(Math.ceil(longest) + 8, Math.round(width * 0.38));
  const lines = labels.map((l) => linesNeeded(l, labelWidth));
  const rowH = Math.max(series.length * 16 + 8, Math.max(1, ...lines) * LINE + 8);
  const order = labels.map((_, i) => labels.length - 1 - i);  // ECharts draws the first category at the bottom
  return { height: legendH + labels.length * rowH + 48, option: { ...base,
    grid: { left: labelWidth + 12, right: 48, top: legendH + 8, bottom: 28 },
    xAxis: { type: "value", splitNumber: width < 480 ? 3 : 5 },
    yAxis: { type: "category", data: order.map((i) => labels[i]),
      axisLabel: { interval: 0, width: labelWidth, overflow: "breakAll", lineHeight: LINE, align: "right" } },
    series: series.map((s) => ({ name: s.name, type: "bar", data: order.map((i) => num(s.values[i])), barMaxWidth: 14, barGap: "15%",
      label: { show: true, position: "right", fontSize: 11, formatter: (p) => fmt(p.value) } })) } };
}

/** The same numbers as a table (the chart's fallback). */
export function chartTable(spec, lang) {
  const series = spec.series || [];
  return el("table", { class: "chart-table" },
    el("thead", {}, el("tr", {}, el("th", { text: "" }), ...series.map((s) => el("th", { text: s.name })))),
    el("tbody", {}, ...(spec.labels || []).map((label, i) => el("tr", {}, el("th", { text: label }),
      ...series.map((s) => el("td", { class: "num", text: fmt(s.values[i]) }))))));
}

/** A chart with its HTML title and a chart/table toggle labelled in ``lang``.
 *  ``draw()`` once the node is in the page; ``dispose()`` when it leaves. */
export function chartBlock(spec, lang, id) {
  const canvas = el("div", { class: "chart", role: "img", "aria-label": spec.title || "chart", "data-testid": "chart" });
  const table = chartTable(spec, lang);
  table.hidden = true;
  const toggle = el("button", { type: "button", class: "chart-toggle", "aria-pressed": "false", text: tr(lang, "showTable") });
  const node = el("figure", { class: "chart-block", id }, spec.title ? el("figcaption", { class: "chart-title", text: spec.title }) : null,
    canvas, table, el("div", { class: "chart-actions" }, toggle));
  let chart = null;
  const draw = () => {
    if (!window.echarts || !canvas.isConnected) return;
    const width = canvas.clientWidth || node.clientWidth || 320;
    const { option, height } = chartOption(spec, width);
    canvas.style.height = `${height}px`;
    if (chart) chart.dispose();
    chart = window.echarts.init(canvas, null, { renderer: "svg" });
    chart.setOption(option);
  };
  toggle.addEventListener("click", () => {
    const showTable = table.hidden;
    table.hidden = !showTable; canvas.hidden = showTable;
    toggle.textContent = tr(lang, showTable ? "showChart" : "showTable");
    toggle.setAttribute("aria-pressed", String(showTable));
    if (!showTable) { if (chart) chart.resize(); else draw(); }
  });
  return { node, draw, dispose: () => { if (chart) chart.dispose(); chart = null; } };
}
