// What the chat page and the explorer share: DOM building, the page language, API calls
// (with the optional API key), downloads. No inline scripts: the pages have a strict CSP.
import { STRINGS } from "./strings.js";

const LANG_KEY = "hardtech.lang";
const APIKEY_KEY = "hardtech.apiKey";

export const $ = (sel) => document.querySelector(sel);

export function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") n.className = v;
    else if (k === "text") n.textContent = v;
    else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) n.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) n.append(kid);
  return n;
}

/** "zh" when the text has Chinese characters, else "en". */
export const langOf = (text) => (/[\u4e00-\u9fff]/.test(text || "") ? "zh" : "en");

/** The page language: the user's last choice, else the browser's. */
export function pageLang() {
  return localStorage.getItem(LANG_KEY) || ((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
}
export function setPageLang(lang) { localStorage.setItem(LANG_KEY, lang); }

/** A label in ``lang``, with {name} placeholders filled. */
export function tr(lang, key, vars) {
  const s = STRINGS[lang][key];
  return vars ? fill(s, vars) : s;
}
export const fill = (s, vars) => String(s).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));

/** "第1942行" / "line 1942"; a range when the lines differ. */
export function linesLabel(lang, lines) {
  const [a, b] = lines;
  return tr(lang, a === b ? "line" : "lines", { a, b });
}

/** Relabel the page's static text ([data-i18n], [data-i18n-placeholder]) and <html lang>. */
export function applyStatic(lang) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = tr(lang, n.dataset.i18n); });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((n) => { n.placeholder = tr(lang, n.dataset.i18nPlaceholder); });
}

function headers(json) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  const key = localStorage.getItem(APIKEY_KEY);
  if (key) h["X-API-Key"] = key;
  return h;
}

/** fetch() with the stored API key; on 401, ask for a key once and retry. */
export async function fetchWithKey(url, init = {}, promptText = "API key:") {
  let res = await fetch(url, { ...init, headers: headers(!!init.body) });
  if (res.status === 401) {
    const keyButton = $("#key");
    if (keyButton) keyButton.hidden = false;
    const key = window.prompt(promptText);
    if (key) { localStorage.setItem(APIKEY_KEY, key.trim()); res = await fetch(url, { ...init, headers: headers(!!init.body) }); }
  }
  return res;
}

/** GET (or POST ``body``) JSON; throws Error(message) on an error response. */
export async function api(url, body) {
  const res = await fetchWithKey(url, body ? { method: "POST", body: JSON.stringify(body) } : { method: "GET" });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((data.error && data.error.message) || `HTTP ${res.status}`);
  return data;
}

/** Download ``url`` as ``filename`` (through fetch, so the API key goes along). */
export async function download(url, filename) {
  const res = await fetchWithKey(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const href = URL.createObjectURL(await res.blob());
  const a = el("a", { href, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function storedKey() { return localStorage.getItem(APIKEY_KEY); }
export function setStoredKey(key) { localStorage.setItem(APIKEY_KEY, key); }

/** Parse a small CSV with a header row (quoted fields allowed) into objects. */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; } else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; } else if (c !== "\r") cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
