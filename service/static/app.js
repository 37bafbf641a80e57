// The chat page: streams /api/v1/ask/stream and renders each answer (chat.js). The page
// chrome follows the page language (toggle); an answer follows its question's language.
// /?ask=QUESTION (the explorer's "Ask about this") puts the question in the box and sends it.
import { $, api, applyStatic, el, fetchWithKey, langOf, pageLang, setPageLang, setStoredKey, storedKey, tr } from "./common.js";
import { fillAssistant, openPassage } from "./chat.js";

const STORE_KEY = "hardtech.chat.v1";
const MAX_HISTORY_TURNS = 12;

let lang = pageLang();
let state = load();
let controller = null;
const charts = new Map();

function load() {
  try {
    const s = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    if (s && Array.isArray(s.messages)) return s;
  } catch (e) { /* corrupt storage: start over */ }
  return { id: uid(), messages: [] };
}
function save() {
  try { localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* quota: keep going */ }
}
function uid() { return Math.random().toString(36).slice(2) + Date.now().toString(36); }

function applyLang() {
  applyStatic(lang);
  document.title = lang === "zh" ? "硬科技指数问答 · Hard-tech Index Q&A" : "Hard-tech Index Q&A · 硬科技指数问答";
  $("#lang").textContent = lang === "zh" ? "EN" : "中文";
  $("#examples").replaceChildren(...tr(lang, "examples").map((q) => el("button", { class: "example", type: "button", onclick: () => ask(q) }, q)));
  renderAll();
}

// ------------------------------------------------------------------ rendering
const handlers = { openPassage, controls, charts };

function renderAll() {
  for (const c of charts.values()) c.dispose();
  charts.clear();
  $("#messages").replaceChildren(...state.messages.map(renderMessage));
  $("#empty").hidden = state.messages.length > 0;
  for (const c of charts.values()) c.draw();
}

function renderMessage(m) {
  const li = el("li", { class: `msg ${m.role}`, id: `m-${m.id}` });
  if (m.role === "user") li.append(el("div", { class: "bubble", text: m.content }));
  else { const bubble = el("div", { class: "bubble" }); fillAssistant(bubble, m, handlers); li.append(bubble); }
  return li;
}

function repaint(m) {
  const node = document.querySelector(`#m-${m.id} .bubble`);
  if (!node) return;
  const old = charts.get(m.id);
  if (old) { old.dispose(); charts.delete(m.id); }
  fillAssistant(node, m, handlers);
  const block = charts.get(m.id);
  if (block) block.draw();
}

const ICONS = {  // inline SVG paths (24x24), so no icon font or emoji font is needed
  copy: "M8 8h11v13H8zM5 3h11v3H7v11H5z",
  regen: "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z",
  up: "M2 21h4V9H2zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7z",
  down: "M22 3h-4v12h4zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7z",
};
function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "15", height: "15", "aria-hidden": "true", class: "ico" })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]); path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

function controls(m, mlang) {
  const box = el("div", { class: "controls" });
  const status = el("span", { class: "status", text: m.stopped ? tr(mlang, "stopped") : "" });
  const thumb = (rating, cls, key) => el("button", { type: "button", class: cls + (m.feedback === rating ? " on" : ""), title: tr(mlang, key),
    "aria-label": tr(mlang, key), onclick: () => rate(m, rating, box, mlang) }, icon(rating));
  box.append(
    el("button", { type: "button", class: "copy", title: tr(mlang, "copy"), onclick: async () => {
      await copyText(m.content || ""); status.textContent = tr(mlang, "copied");  // the plain text, with its sources footer
    } }, icon("copy"), tr(mlang, "copy")),
    el("button", { type: "button", class: "regen", title: tr(mlang, "regenerate"), onclick: () => regenerate(m) }, icon("regen"), tr(mlang, "regenerate")),
    thumb("up", "thumb-up", "good"), thumb("down", "thumb-down", "bad"), status);
  return box;
}

async function copyText(text) {
  try { await navigator.clipboard.writeText(text); return; } catch (e) { /* fall back */ }
  const ta = el("textarea", { style: "position:fixed;opacity:0" }); ta.value = text;
  document.body.append(ta); ta.select(); try { document.execCommand("copy"); } catch (e) { /* ignore */ } ta.remove();
}

function rate(m, rating, box, mlang) {
  m.feedback = rating; save();
  box.querySelectorAll(".thumb-up,.thumb-down").forEach((b) => b.classList.remove("on"));
  box.querySelector(rating === "up" ? ".thumb-up" : ".thumb-down").classList.add("on");
  const old = box.parentElement.querySelector(".feedback-form");
  if (old) old.remove();
  const input = el("input", { type: "text", maxlength: "2000", placeholder: tr(mlang, "commentPh") });
  const send = async (e) => {
    if (e) e.preventDefault();
    const q = questionFor(m);
    try {
      await api("/api/v1/feedback", { rating, comment: input.value.trim() || null, question: q ? q.content.slice(0, 4000) : null,
        answer: (m.content || "").slice(0, 20000), message_id: m.id });
      form.replaceWith(el("div", { class: "status", text: tr(mlang, "thanks") }));
    } catch (err) { form.replaceWith(el("div", { class: "error", text: err.message })); }
  };
  const form = el("form", { class: "feedback-form", onsubmit: send }, input, el("button", { class: "btn", type: "submit" }, tr(mlang, "submit")));
  box.after(form);
  input.focus();
}

function questionFor(m) {
  const i = state.messages.indexOf(m);
  for (let j = i - 1; j >= 0; j--) if (state.messages[j].role === "user") return state.messages[j];
  return null;
}

// ------------------------------------------------------------------ asking
async function* sseEvents(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const raw = buf.slice(0, i); buf = buf.slice(i + 2);
      let event = "message"; const data = [];
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

function priorTurns(uptoIndex) {
  return state.messages.slice(0, uptoIndex).filter((m) => !m.error && m.content)
    .map((m) => ({ role: m.role, content: m.content.slice(0, 8000) })).slice(-MAX_HISTORY_TURNS);
}

function setBusy(busy) { $("#send").hidden = busy; $("#stop").hidden = !busy; }

/** Apply one stream event to message ``m``. */
function onEvent(m, event, data) {
  if (event === "tool") m.tools.push(data);
  else if (event === "token") m.content += data.text || "";
  else if (event === "verification") {  // the streamed text is confirmed, or replaced by the checked answer
    m.content = data.answer || m.content;
    if (data.status === "replaced") m.notice = data.notice || null;
  } else if (event === "citation") { if (!m.citations.some((c) => c.id === data.id)) m.citations.push(data); }
  else if (event === "chart") m.chart = data;
  else if (event === "done") {
    Object.assign(m, { content: data.answer || m.content, citations: data.citations || m.citations, chart: data.chart || m.chart,
      warnings: data.warnings || [], mode: data.mode, lang: data.language || m.lang });
  } else if (event === "error") m.error = data;
}

async function ask(question, reuseUser) {
  question = (question || "").trim();
  if (!question || controller) return;
  let userMsg = reuseUser;
  if (!userMsg) { userMsg = { id: uid(), role: "user", content: question }; state.messages.push(userMsg); }
  const hist = priorTurns(state.messages.indexOf(userMsg));
  const m = { id: uid(), role: "assistant", lang: langOf(question), content: "", tools: [], citations: [], chart: null, streaming: true };
  state.messages.push(m);
  save(); renderAll(); scrollDown();
  controller = new AbortController();
  setBusy(true);
  let pending = false;
  const schedule = () => {
    if (pending) return; pending = true;
    requestAnimationFrame(() => { pending = false; repaint(m); scrollDown(); });
  };
  try {
    const res = await fetchWithKey("/api/v1/ask/stream", { method: "POST", body: JSON.stringify({ question, history: hist }), signal: controller.signal },
      tr(lang, "keyPrompt"));
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      m.error = data.error || { message: `HTTP ${res.status}` };
    } else {
      for await (const { event, data } of sseEvents(res)) { onEvent(m, event, data); schedule(); }
    }
  } catch (err) {
    if (err.name === "AbortError") m.stopped = true;
    else m.error = { message: err.message || String(err) };
  } finally {
    controller = null;
    m.streaming = false;
    save(); repaint(m); setBusy(false); scrollDown();
  }
}

function regenerate(m) {
  if (controller) return;
  const q = questionFor(m);
  if (!q) return;
  state.messages.splice(state.messages.indexOf(m), 1);
  const c = charts.get(m.id); if (c) { c.dispose(); charts.delete(m.id); }
  ask(q.content, q);
}

function scrollDown() { const c = $("#chat"); c.scrollTop = c.scrollHeight; }

// ------------------------------------------------------------------ wiring
const input = $("#input");
const autosize = () => { input.style.height = "auto"; input.style.height = Math.min(200, input.scrollHeight) + "px"; };
input.addEventListener("input", autosize);
input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); $("#form").requestSubmit(); }
});
$("#form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = input.value;
  if (!q.trim() || controller) return;
  input.value = ""; autosize();
  ask(q);
});
$("#stop").addEventListener("click", () => { if (controller) controller.abort(); });
$("#new-chat").addEventListener("click", () => {
  if (controller) controller.abort();
  state = { id: uid(), messages: [] }; save(); renderAll(); $("#panel").hidden = true; input.focus();
});
$("#lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; setPageLang(lang); applyLang(); });
$("#key").addEventListener("click", () => {
  const key = window.prompt(tr(lang, "keyPrompt"), storedKey() || "");
  if (key !== null) setStoredKey(key.trim());
});
$("#panel-close").addEventListener("click", () => { $("#panel").hidden = true; });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("#panel").hidden = true; });
let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { for (const c of charts.values()) c.draw(); }, 150); });
if (storedKey()) $("#key").hidden = false;
// Messages interrupted by a reload are no longer streaming.
state.messages.forEach((m) => { if (m.streaming) { m.streaming = false; m.stopped = true; } });
applyLang();
const asked = new URLSearchParams(location.search).get("ask");
if (asked) {  // from the explorer: prefill, then send; the URL forgets it so a reload does not ask again
  history.replaceState(null, "", location.pathname);
  input.value = asked;
  $("#form").requestSubmit();
} else input.focus();
