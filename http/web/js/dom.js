// The page's DOM and fetch helpers.
import { t } from './i18n.js';

export const $ = (sel) => document.querySelector(sel);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
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

export const status = (text) => { $('#status').textContent = text; };
export const fail = (e) => { console.error(e); status(t('error', { e: e?.message ?? String(e) })); };
