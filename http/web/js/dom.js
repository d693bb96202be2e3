// The page's DOM and fetch helpers: one rule for children everywhere (h() and fill()), so that a
// missing value never shows up as the text "null".
import { t } from './i18n.js';

export const $ = (sel) => document.querySelector(sel);

/** Children as nodes: arrays flattened at any depth; null, undefined and false dropped. */
export function nodes(children) {
  const out = [];
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    out.push(c instanceof Node ? c : String(c));
  }
  return out;
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...nodes(children));
  return el;
}

/** Replaces the children of `el` by the same rule as h(); returns `el`. */
export function fill(el, ...children) {
  el.replaceChildren(...nodes(children));
  return el;
}

export async function api(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    return offlineAnswer(path, e);
  }
  if (!response.ok) {
    const error = new Error(`${response.status} ${path.split('?')[0]}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

/**
 * The network failed: the saved countries answer, if any (offline_answer.js, loaded only then).
 * localStorage says whether a copy exists, so a page without one loads nothing more.
 */
async function offlineAnswer(path, error) {
  let saved = false;
  try { saved = Boolean(localStorage.getItem('enlace.offline')); } catch { /* storage off */ }
  if (!saved || !path.startsWith('/api/')) throw error;
  const { answer } = await import('./offline_answer.js');
  const data = await answer(path);
  if (data === undefined) throw error;
  return data;
}

const loaded = new Map();
function loadOnce(url, element, before = null) {
  if (!loaded.has(url)) {
    loaded.set(url, new Promise((resolve, reject) => {
      const el = element();
      el.onload = resolve;
      el.onerror = () => { loaded.delete(url); reject(new Error(`${url.split('/').pop()} did not load`)); };
      document.head.insertBefore(el, before);
    }));
  }
  return loaded.get(url);
}
/** A classic script (Leaflet and its plugins are globals), loaded once; resolves when it has run. */
export const loadScript = (url) => loadOnce(url, () => h('script', { src: url }));
/** A style sheet, loaded once, placed before the page's own so that app.css still overrides it. */
export const loadStyle = (url) => loadOnce(url, () => h('link', { rel: 'stylesheet', href: url }),
  document.querySelector('link[rel="stylesheet"][href*="/css/"]'));

export const status = (text) => { $('#status').textContent = text; };
export const fail = (e) => { console.error(e); status(t('error', { e: e?.message ?? String(e) })); };
