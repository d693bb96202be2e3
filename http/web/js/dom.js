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
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const error = new Error(`${response.status} ${path.split('?')[0]}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
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
