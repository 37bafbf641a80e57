/* hardtech chat page: streams /api/v1/ask/stream, renders sanitised markdown, citations, charts.
   No inline scripts (the page is served with a strict CSP); everything is vendored. */
(function () {
  "use strict";

  const STORE_KEY = "hardtech.chat.v1";
  const LANG_KEY = "hardtech.lang";
  const APIKEY_KEY = "hardtech.apiKey";
  const MAX_HISTORY_TURNS = 12;

  const I18N = {
    zh: {
      title: "硬科技指数问答", newChat: "新对话", apiKey: "API 密钥", apiDocs: "API 文档",
      welcome: "问问中国城市硬科技指数", welcomeSub: "评分、排名、梯队、方法与原文出处，每个数字都可追溯到报告的文件与行号。",
      placeholder: "输入问题，Enter 发送，Shift+Enter 换行", send: "发送", stop: "停止",
      hint: "答案由离线引擎或配置的模型生成；请以引用的原文为准。", source: "出处",
      steps: "工具步骤", copy: "复制", copied: "已复制", regenerate: "重新生成", good: "有帮助", bad: "没帮助",
      commentPh: "可选：说说原因", submit: "提交", thanks: "谢谢反馈", stopped: "已停止",
      report: "报告", section: "章节", lines: "行", file: "文件", loading: "加载中…",
      keyPrompt: "此服务需要 API 密钥，请输入：", error: "出错了",
      tool: { scores: "查询评分…", entity_scores: "查询评分…", explain: "分析得分…", ranking: "查询排名…", rank: "查询排名…",
        compare: "比较城市…", tiers: "查询梯队…", whatif: "重新加权…", sensitivity: "敏感性分析…", facts: "查询指标…",
        methodology: "查询方法…", method: "查询方法…", search: "检索段落…", passage: "读取原文…", resolve_entity: "识别城市…",
        list_editions: "查询版本…", discrepancies: "核对数字…" },
      toolOther: "调用工具…",
      examples: ["why is Shenzhen weak on innovation base?", "2020年第二梯队有哪些城市？", "2019年深圳的综合得分和排名是多少？",
        "比较2020年北京、上海和深圳", "2019年创新环境排名前五的城市"],
    },
    en: {
      title: "Hard-tech Index Q&A", newChat: "New chat", apiKey: "API key", apiDocs: "API docs",
      welcome: "Ask about China's city hard-tech indices", welcomeSub: "Scores, ranks, tiers, methods and sources: every number traces to a report file and line.",
      placeholder: "Ask a question. Enter sends, Shift+Enter adds a line", send: "Send", stop: "Stop",
      hint: "Answers come from the offline engine or a configured model; the cited passages are authoritative.", source: "Source",
      steps: "Tool steps", copy: "Copy", copied: "Copied", regenerate: "Regenerate", good: "Helpful", bad: "Not helpful",
      commentPh: "Optional: tell us why", submit: "Submit", thanks: "Thanks for the feedback", stopped: "Stopped",
      report: "Report", section: "Section", lines: "Lines", file: "File", loading: "Loading…",
      keyPrompt: "This server needs an API key:", error: "Error",
      tool: { scores: "Looking up scores…", entity_scores: "Looking up scores…", explain: "Explaining the score…", ranking: "Ranking…", rank: "Ranking…",
        compare: "Comparing…", tiers: "Looking up tiers…", whatif: "Re-weighting…", sensitivity: "Sensitivity analysis…", facts: "Looking up indicators…",
        methodology: "Reading the method…", method: "Reading the method…", search: "Searching passages…", passage: "Reading the source…",
        resolve_entity: "Resolving names…", list_editions: "Listing editions…", discrepancies: "Checking numbers…" },
      toolOther: "Calling a tool…",
      examples: ["why is Shenzhen weak on innovation base?", "2020年第二梯队有哪些城市？", "What are Shenzhen's 2019 composite score and rank?",
        "Compare Beijing, Shanghai and Shenzhen in 2020", "Top 5 cities for innovation environment in 2019"],
    },
  };

  const $ = (sel) => document.querySelector(sel);
  const el = (tag, attrs, ...kids) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") n.className = v;
      else if (k === "text") n.textContent = v;
      else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) n.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) n.append(kid);
    return n;
  };

  let lang = localStorage.getItem(LANG_KEY) || ((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
  let state = load();
  let controller = null;
  const charts = new Map();
  const t = (k) => I18N[lang][k];

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

  // ------------------------------------------------------------------ i18n
  function applyLang() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = lang === "zh" ? "硬科技指数问答 · Hard-tech Index Q&A" : "Hard-tech Index Q&A · 硬科技指数问答";
    document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((n) => { n.placeholder = t(n.dataset.i18nPlaceholder); });
    $("#lang").textContent = lang === "zh" ? "EN" : "中文";
    const ex = $("#examples");
    ex.replaceChildren(...t("examples").map((q) => el("button", { class: "example", type: "button", onclick: () => ask(q) }, q)));
    renderAll();
  }

  // ------------------------------------------------------------------ markdown
  function md(text) {
    // [1] -> a clickable citation marker (before markdown so it survives as inline HTML).
    const withRefs = String(text || "").replace(/\[(\d{1,3})\](?![(:\[])/g, '<sup class="cite" data-n="$1">[$1]</sup>');
    const html = window.marked ? window.marked.parse(withRefs, { breaks: true, gfm: true }) : escapeHtml(withRefs);
    return window.DOMPurify ? window.DOMPurify.sanitize(html, { ADD_ATTR: ["data-n"], FORBID_TAGS: ["style", "form", "input"] })
      : escapeHtml(text);
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // ------------------------------------------------------------------ rendering
  function renderAll() {
    for (const c of charts.values()) c.dispose();
    charts.clear();
    const list = $("#messages");
    list.replaceChildren(...state.messages.map(renderMessage));
    $("#empty").hidden = state.messages.length > 0;
    state.messages.forEach((m) => { if (m.role === "assistant" && m.chart) drawChart(m); });
  }

  function renderMessage(m) {
    const li = el("li", { class: `msg ${m.role}`, id: `m-${m.id}` });
    if (m.role === "user") {
      li.append(el("div", { class: "bubble", text: m.content }));
      return li;
    }
    const bubble = el("div", { class: "bubble" });
    fillAssistant(bubble, m);
    li.append(bubble);
    return li;
  }

  function toolLabel(name) { return (t("tool")[name]) || t("toolOther"); }

  function fillAssistant(bubble, m) {
    bubble.replaceChildren();
    if (m.tools && m.tools.length) {
      const details = el("details", { class: "tools" }, el("summary", { text: `${t("steps")} (${m.tools.length}) · ${toolLabel(m.tools[m.tools.length - 1].name)}` }));
      const ol = el("ol");
      for (const tc of m.tools) {
        ol.append(el("li", {}, el("span", { text: toolLabel(tc.name) + " " }), el("code", { text: `${tc.name}(${JSON.stringify(tc.args || {})})` })));
      }
      details.append(ol);
      bubble.append(details);
    }
    const answer = el("div", { class: "answer" + (m.streaming ? " streaming" : "") });
    answer.innerHTML = md(m.content);
    answer.addEventListener("click", (e) => {
      const sup = e.target.closest("sup.cite");
      if (!sup) return;
      const c = (m.citations || []).find((x) => citeNum(x) === sup.dataset.n);
      if (c) openPassage(c);
    });
    bubble.append(answer);
    if (m.citations && m.citations.length) {
      const chips = el("div", { class: "chips" });
      for (const c of m.citations) {
        const label = [c.doc_title, c.section, `${t("lines")} ${c.lines[0]}–${c.lines[1]}`].filter(Boolean).join(" · ");
        chips.append(el("button", { class: "chip", type: "button", title: c.quote || label, "data-cite": citeNum(c), onclick: () => openPassage(c) },
          el("b", { text: citeNum(c) }), el("span", { text: label })));
      }
      bubble.append(chips);
    }
    if (m.chart) bubble.append(el("div", { class: "chart", id: `chart-${m.id}`, role: "img", "aria-label": m.chart.title || "chart" }));
    for (const w of m.warnings || []) bubble.append(el("div", { class: "warn", text: "⚠ " + w }));
    if (m.error) bubble.append(el("div", { class: "error", role: "alert", text: `${t("error")}: ${m.error.message}${m.error.hint ? " — " + m.error.hint : ""}` }));
    if (!m.streaming) bubble.append(controls(m));
  }

  function citeNum(c) { return String(c.id || "").replace(/^c/, ""); }

  function controls(m) {
    const box = el("div", { class: "controls" });
    const status = el("span", { class: "status", text: m.stopped ? t("stopped") : "" });
    box.append(
      el("button", { type: "button", class: "copy", title: t("copy"), onclick: async () => {
        await copyText(m.content || ""); status.textContent = t("copied");
      } }, icon("copy"), t("copy")),
      el("button", { type: "button", class: "regen", title: t("regenerate"), onclick: () => regenerate(m) }, icon("regen"), t("regenerate")),
      el("button", { type: "button", class: "thumb-up" + (m.feedback === "up" ? " on" : ""), title: t("good"), "aria-label": t("good"), onclick: () => rate(m, "up", box) }, icon("up")),
      el("button", { type: "button", class: "thumb-down" + (m.feedback === "down" ? " on" : ""), title: t("bad"), "aria-label": t("bad"), onclick: () => rate(m, "down", box) }, icon("down")),
      status,
    );
    return box;
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
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("width", "15"); svg.setAttribute("height", "15");
    svg.setAttribute("aria-hidden", "true"); svg.setAttribute("class", "ico");
    const path = document.createElementNS(ns, "path"); path.setAttribute("d", ICONS[name]); path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  }

  async function copyText(text) {
    try { await navigator.clipboard.writeText(text); return; } catch (e) { /* fall back */ }
    const ta = el("textarea", { style: "position:fixed;opacity:0" }); ta.value = text;
    document.body.append(ta); ta.select(); try { document.execCommand("copy"); } catch (e) { /* ignore */ } ta.remove();
  }

  function rate(m, rating, box) {
    m.feedback = rating; save();
    box.querySelectorAll(".thumb-up,.thumb-down").forEach((b) => b.classList.remove("on"));
    box.querySelector(rating === "up" ? ".thumb-up" : ".thumb-down").classList.add("on");
    const old = box.parentElement.querySelector(".feedback-form");
    if (old) old.remove();
    const input = el("input", { type: "text", maxlength: "2000", placeholder: t("commentPh") });
    const send = async (e) => {
      if (e) e.preventDefault();
      const q = questionFor(m);
      try {
        await api("/api/v1/feedback", { rating, comment: input.value.trim() || null, question: q ? q.content.slice(0, 4000) : null,
          answer: (m.content || "").slice(0, 20000), message_id: m.id });
        form.replaceWith(el("div", { class: "status", text: t("thanks") }));
      } catch (err) { form.replaceWith(el("div", { class: "error", text: err.message })); }
    };
    const form = el("form", { class: "feedback-form", onsubmit: send }, input, el("button", { class: "btn", type: "submit" }, t("submit")));
    box.after(form);
    input.focus();
  }

  function questionFor(m) {
    const i = state.messages.indexOf(m);
    for (let j = i - 1; j >= 0; j--) if (state.messages[j].role === "user") return state.messages[j];
    return null;
  }

  // ------------------------------------------------------------------ charts
  function drawChart(m) {
    const node = document.getElementById(`chart-${m.id}`);
    if (!node || !window.echarts || !m.chart) return;
    const spec = m.chart;
    const labels = spec.labels || [];
    const series = spec.series || [];
    const palette = ["#c2410c", "#1d4ed8", "#059669", "#7c3aed", "#db2777", "#0891b2"];
    let option;
    if (spec.type === "radar") {
      const max = Math.max(100, ...series.flatMap((s) => s.values.filter((v) => typeof v === "number")));
      option = {
        color: palette, title: { text: spec.title || "", left: "center", textStyle: { fontSize: 14 } },
        legend: { bottom: 0, data: series.map((s) => s.name) }, tooltip: {},
        radar: { indicator: labels.map((l) => ({ name: l, max })), radius: "62%" },
        series: [{ type: "radar", data: series.map((s) => ({ name: s.name, value: s.values })) }],
      };
    } else if (spec.type === "ranking") {
      option = {
        color: palette, title: { text: spec.title || "", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" }, grid: { left: 90, right: 40, top: 36, bottom: 20 },
        xAxis: { type: "value" }, yAxis: { type: "category", data: labels.slice().reverse() },
        series: series.map((s) => ({ name: s.name, type: "bar", data: s.values.slice().reverse(), label: { show: true, position: "right" } })),
      };
    } else { // bar (one entity's dimensions) and compare (grouped bars)
      option = {
        color: palette, title: { text: spec.title || "", left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" }, legend: series.length > 1 ? { bottom: 0 } : undefined,
        grid: { left: 48, right: 20, top: 40, bottom: series.length > 1 ? 56 : 36 },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 5 ? 20 : 0 } },
        yAxis: { type: "value" },
        series: series.map((s) => ({ name: s.name, type: "bar", data: s.values, label: { show: series.length === 1, position: "top" } })),
      };
    }
    const chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({ animationDuration: 300, ...option });
    charts.set(m.id, chart);
  }
  window.addEventListener("resize", () => { for (const c of charts.values()) c.resize(); });

  // ------------------------------------------------------------------ citations panel
  async function openPassage(c) {
    const panel = $("#panel");
    const body = $("#panel-body");
    panel.hidden = false;
    body.replaceChildren(el("p", { class: "meta", text: t("loading") }));
    const meta = el("div", { class: "meta" },
      el("div", {}, el("strong", { text: `${t("report")}: ` }), c.doc_title || ""),
      c.section ? el("div", {}, el("strong", { text: `${t("section")}: ` }), c.section) : null,
      el("div", {}, el("strong", { text: `${t("lines")}: ` }), `${c.lines[0]}–${c.lines[1]}`),
      el("div", {}, el("strong", { text: `${t("file")}: ` }), el("code", { text: c.source_file })));
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
  $("#panel-close").addEventListener("click", () => { $("#panel").hidden = true; });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("#panel").hidden = true; });

  // ------------------------------------------------------------------ network
  function headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    const key = localStorage.getItem(APIKEY_KEY);
    if (key) h["X-API-Key"] = key;
    return h;
  }

  async function fetchWithKey(url, init) {
    let res = await fetch(url, { ...init, headers: headers(!!init.body) });
    if (res.status === 401) {
      $("#key").hidden = false;
      const key = window.prompt(t("keyPrompt"));
      if (key) { localStorage.setItem(APIKEY_KEY, key.trim()); res = await fetch(url, { ...init, headers: headers(!!init.body) }); }
    }
    return res;
  }

  async function api(url, body) {
    const res = await fetchWithKey(url, body ? { method: "POST", body: JSON.stringify(body) } : { method: "GET" });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || `HTTP ${res.status}`);
    return data;
  }

  async function* sseEvents(res) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
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

  // ------------------------------------------------------------------ asking
  function history(uptoIndex) {
    return state.messages.slice(0, uptoIndex).filter((m) => !m.error && m.content)
      .map((m) => ({ role: m.role, content: m.content.slice(0, 8000) })).slice(-MAX_HISTORY_TURNS);
  }

  function setBusy(busy) {
    $("#send").hidden = busy; $("#stop").hidden = !busy;
    $("#input").disabled = false;
  }

  async function ask(question, reuseUser) {
    question = (question || "").trim();
    if (!question || controller) return;
    let userMsg = reuseUser;
    if (!userMsg) {
      userMsg = { id: uid(), role: "user", content: question };
      state.messages.push(userMsg);
    }
    const hist = history(state.messages.indexOf(userMsg));
    const m = { id: uid(), role: "assistant", content: "", tools: [], citations: [], chart: null, streaming: true };
    state.messages.push(m);
    save();
    renderAll();
    const node = document.querySelector(`#m-${m.id} .bubble`);
    scrollDown();
    controller = new AbortController();
    setBusy(true);
    let pending = false;
    const repaint = () => {
      if (pending) return; pending = true;
      requestAnimationFrame(() => { pending = false; fillAssistant(node, m); if (m.chart && !m.streaming) drawChart(m); scrollDown(); });
    };
    try {
      const res = await fetchWithKey("/api/v1/ask/stream", { method: "POST", body: JSON.stringify({ question, history: hist }), signal: controller.signal });
      if (!res.ok) {
        const data = await res.json().catch(() => ({}));
        m.error = data.error || { message: `HTTP ${res.status}` };
      } else {
        for await (const { event, data } of sseEvents(res)) {
          if (event === "tool") m.tools.push(data);
          else if (event === "token") m.content += data.text || "";
          else if (event === "citation") { if (!m.citations.some((c) => c.id === data.id)) m.citations.push(data); }
          else if (event === "chart") m.chart = data;
          else if (event === "done") {
            m.content = data.answer || m.content;
            m.citations = data.citations || m.citations;
            m.chart = data.chart || m.chart;
            m.warnings = data.warnings || [];
            m.mode = data.mode;
          } else if (event === "error") m.error = data;
          repaint();
        }
      }
    } catch (err) {
      if (err.name === "AbortError") m.stopped = true;
      else m.error = { message: err.message || String(err) };
    } finally {
      controller = null;
      m.streaming = false;
      save();
      fillAssistant(node, m);
      if (m.chart) drawChart(m);
      setBusy(false);
      scrollDown();
    }
  }

  function regenerate(m) {
    if (controller) return;
    const q = questionFor(m);
    if (!q) return;
    const i = state.messages.indexOf(m);
    state.messages.splice(i, 1);
    const c = charts.get(m.id); if (c) { c.dispose(); charts.delete(m.id); }
    ask(q.content, q);
  }

  function scrollDown() { const c = $("#chat"); c.scrollTop = c.scrollHeight; }

  // ------------------------------------------------------------------ wiring
  const input = $("#input");
  const autosize = () => { input.style.height = "auto"; input.style.height = Math.min(200, input.scrollHeight) + "px"; };
  input.addEventListener("input", autosize);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      $("#form").requestSubmit();
    }
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
  $("#lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem(LANG_KEY, lang); applyLang(); });
  $("#key").addEventListener("click", () => {
    const key = window.prompt(t("keyPrompt"), localStorage.getItem(APIKEY_KEY) || "");
    if (key !== null) localStorage.setItem(APIKEY_KEY, key.trim());
  });
  if (localStorage.getItem(APIKEY_KEY)) $("#key").hidden = false;
  // Messages interrupted by a reload are no longer streaming.
  state.messages.forEach((m) => { if (m.streaming) { m.streaming = false; m.stopped = true; } });
  applyLang();
  input.focus();
})();
