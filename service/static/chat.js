// One chat message on the page. Everything inside an answer (tool steps, sources, chart,
// notes, buttons) is labelled in the answer's language, which follows the question's.
import { $, api, el, linesLabel, tr } from "./common.js";
import { chartBlock } from "./charts.js";

// The plain-text answer ends with a compact sources footer (kept for Copy and the API);
// the page shows the numbered chips instead, so the footer is hidden here, not twice.
// A paragraph of bare references ("Sources: [1] [2]") goes too, wherever it is.
const FOOTER_HEAD = /^(?:\*\*)?(?:Sources|来源|出处)(?:\*\*)?\s*[:：]?(?:\s|\[|$)/;
const REFS_ONLY = /^(?:\*\*)?(?:Sources|来源|出处)(?:\*\*)?\s*[:：]\s*(?:\[\d+\]\s*)+$/;

export function answerBody(text, hasChips) {
  let paragraphs = String(text || "").trimEnd().split("\n\n");
  if (!hasChips) return paragraphs.join("\n\n");
  if (paragraphs.length > 1 && FOOTER_HEAD.test(paragraphs[paragraphs.length - 1].trimStart())) paragraphs.pop();
  paragraphs = paragraphs.filter((p) => !REFS_ONLY.test(p.trim()));
  return paragraphs.join("\n\n");
}

function md(text) {
  // [1] -> a clickable citation marker (before markdown so it survives as inline HTML).
  const withRefs = String(text || "").replace(/\[(\d{1,3})\](?![(:[])/g, '<sup class="cite" data-n="$1">[$1]</sup>');
  const html = window.marked ? window.marked.parse(withRefs, { breaks: true, gfm: true }) : escapeHtml(withRefs);
  return window.DOMPurify ? window.DOMPurify.sanitize(html, { ADD_ATTR: ["data-n"], FORBID_TAGS: ["style", "form", "input"] }) : escapeHtml(text);
}
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

const citeNum = (c) => String(c.id || "").replace(/^c/, "");
const lastSection = (s) => String(s || "").split("›").pop().trim();

function toolSteps(m, lang) {
  const label = (name) => tr(lang, "tool")[name] || tr(lang, "toolOther");
  // While the answer streams, the step under way; once it has arrived, how many were done.
  const summary = m.streaming ? `${tr(lang, "steps")} (${m.tools.length}) · ${label(m.tools[m.tools.length - 1].name)}…`
    : tr(lang, m.tools.length === 1 ? "stepDone" : "stepsDone", { n: m.tools.length });
  const ol = el("ol", {}, ...m.tools.map((tc) => el("li", {}, el("span", { text: label(tc.name) + " " }),
    el("code", { text: `${tc.name}(${JSON.stringify(tc.args || {})})` }))));
  return el("details", { class: "tools" }, el("summary", { text: summary }), ol);
}

function sourceChips(m, lang, open) {
  const chips = el("div", { class: "chips", role: "list", "aria-label": tr(lang, "sources") });
  for (const c of m.citations) {
    const where = linesLabel(lang, c.lines);
    const label = [c.doc_title, lastSection(c.section), where].filter(Boolean).join(" · ");
    const tip = [c.doc_title, c.section, where, c.source_file].filter(Boolean).join("\n");
    chips.append(el("button", { class: "chip", type: "button", role: "listitem", title: tip, "data-cite": citeNum(c), onclick: () => open(c, lang) },
      el("b", { text: citeNum(c) }), el("span", { text: label })));
  }
  return chips;
}

/** Fill ``bubble`` with assistant message ``m``; ``h`` has openPassage, controls, charts (a Map). */
export function fillAssistant(bubble, m, h) {
  const lang = m.lang || "en";
  bubble.replaceChildren();
  bubble.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
  if (m.tools && m.tools.length) bubble.append(toolSteps(m, lang));
  if (m.notice) bubble.append(el("div", { class: "notice", role: "status", text: m.notice }));
  const hasChips = !m.streaming && m.citations && m.citations.length > 0;
  const answer = el("div", { class: "answer" + (m.streaming ? " streaming" : "") });
  answer.innerHTML = md(answerBody(m.content, hasChips));
  answer.addEventListener("click", (e) => {
    const sup = e.target.closest("sup.cite");
    const c = sup && (m.citations || []).find((x) => citeNum(x) === sup.dataset.n);
    if (c) h.openPassage(c, lang);
  });
  bubble.append(answer);
  if (hasChips) bubble.append(sourceChips(m, lang, h.openPassage));
  if (m.chart && !m.streaming) {
    const block = chartBlock(m.chart, lang, `chart-${m.id}`);
    bubble.append(block.node);
    h.charts.set(m.id, block);
  }
  if (m.warnings && m.warnings.length) {  // technical reasons (the answer itself says what matters)
    bubble.append(el("details", { class: "warn" }, el("summary", { text: `${tr(lang, "notes")} (${m.warnings.length})` }),
      el("ul", {}, ...m.warnings.map((w) => el("li", { text: w })))));
  }
  if (m.error) bubble.append(el("div", { class: "error", role: "alert", text: `${tr(lang, "error")}: ${m.error.message}${m.error.hint ? " — " + m.error.hint : ""}` }));
  if (!m.streaming) bubble.append(h.controls(m, lang));
}

/** The passage panel for citation ``c``: report, section, lines, file, and the lines around it. */
export async function openPassage(c, lang) {
  const panel = $("#panel");
  const body = $("#panel-body");
  panel.hidden = false;
  $("#panel-title").textContent = tr(lang, "source");
  body.replaceChildren(el("p", { class: "meta", text: tr(lang, "loading") }));
  const row = (key, value) => el("div", {}, el("strong", { text: `${tr(lang, key)}: ` }), value);
  const meta = el("div", { class: "meta" }, row("report", c.doc_title || ""), c.section ? row("section", c.section) : null,
    row("linesLabel", `${c.lines[0]}${c.lines[1] !== c.lines[0] ? "–" + c.lines[1] : ""}`), row("file", el("code", { text: c.source_file })));
  try {
    const q = new URLSearchParams({ source_file: c.source_file, first: c.lines[0], last: c.lines[1], context: 6 });
    const p = await api(`/api/v1/passages?${q}`);
    const box = el("div", { class: "passage", "data-testid": "passage" });
    for (const ln of p.lines) box.append(el("div", { class: "ln" + (ln.cited ? " cited" : "") }, el("span", { class: "no", text: ln.no }), el("span", { text: ln.text })));
    body.replaceChildren(meta, box);
    const first = box.querySelector(".cited");
    if (first) first.scrollIntoView({ block: "center" });
  } catch (err) {
    body.replaceChildren(meta, el("blockquote", { text: c.quote || "" }), el("div", { class: "error", text: err.message }));
  }
}
