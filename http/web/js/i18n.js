// Interface strings (es, en, fr) and the choice of language; content text resolution with fallback.
export const SUPPORTED = ['es', 'en', 'fr'];
let dict = {};
let current = 'es';

/** The saved choice, else the browser's first supported language, else Spanish. */
export function pickLanguage() {
  let saved = null;
  try { saved = localStorage.getItem('enlace.lang'); } catch { /* storage off */ }
  if (SUPPORTED.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (SUPPORTED.includes(base)) return base;
  }
  return 'es';
}

// Dictionaries of parts loaded later (the editing tab's, i18n/edit-<lang>.json), so that the
// first visit carries only the page's own strings.
const parts = new Set();

async function dictionary(name) {
  // Beside the modules, so that it shares their versioned, long-cached URL (/v/<tag>/i18n/...).
  const response = await fetch(new URL(`../i18n/${name}.json`, import.meta.url));
  if (!response.ok) throw new Error(`i18n ${name}: ${response.status}`);
  return response.json();
}

/** Adds a part's strings (i18n/<part>-<lang>.json), in this language and in every one chosen later. */
export async function addStrings(part) {
  parts.add(part);
  Object.assign(dict, await dictionary(`${part}-${current}`));
}

export async function setLanguage(lang) {
  const loaded = await Promise.all([dictionary(lang), ...[...parts].map((p) => dictionary(`${p}-${lang}`))]);
  dict = Object.assign({}, ...loaded);
  current = lang;
  document.documentElement.lang = lang;
  try { localStorage.setItem('enlace.lang', lang); } catch { /* storage off */ }
  apply();
}

export const lang = () => current;

export function t(key, vars = {}) {
  let text = dict[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** Translates the static markup: data-i18n (text), data-i18n-ph (placeholder), data-i18n-aria. */
export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-ph]')) el.placeholder = t(el.dataset.i18nPh);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  document.title = t('title');
}

/**
 * One text from a language map ({es: ..., en: ...}) or an already resolved string: the chosen
 * language, else es, en, the first one. `fallback` says the chosen language was missing.
 */
export function localized(value, resolved) {
  if (value == null) return { text: '', language: null, fallback: false };
  if (typeof value === 'string') {
    return { text: value, language: resolved?.language ?? null, fallback: Boolean(resolved?.fallback) };
  }
  for (const l of [current, 'es', 'en', ...Object.keys(value)]) {
    if (value[l]) return { text: value[l], language: l, fallback: l !== current };
  }
  return { text: '', language: null, fallback: false };
}

/** The name of a language tag in the interface language (lang_es...), or the tag itself. */
export function languageName(tag) {
  const key = `lang_${tag}`;
  const name = t(key);
  return name === key ? tag : name;
}
