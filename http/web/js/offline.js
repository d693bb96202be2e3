// "Guardar este país para usar sin conexión" (docs/web.md "Offline"): saves the chosen country's
// bundle (/api/v1/countries/{country}/bundle, the public view) and its base layer (outline and
// towns) into IndexedDB, registers the service worker that keeps the page's own files (sw.js),
// shows the date of each saved copy and brings it up to date whenever the page is online. Loaded with import() only when a copy exists
// or the user asks for one: a first visit carries none of it.
import { t, lang } from './i18n.js';
import { $, h, fill, status, fail } from './dom.js';
import { countryName } from './state.js';
import { markChecked, putBasemap, putBundle, removeBundle, savedCopies } from './offline_store.js';
import { fetchBasemap } from './basemap_data.js';
import { forget } from './offline_answer.js';

export const copyDate = (iso) => new Date(iso).toLocaleDateString(lang(), { day: 'numeric', month: 'long', year: 'numeric' });

/** The page's own files for use without a network: the worker precaches them when it installs. */
async function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
}

/**
 * Fetches a country's bundle: a new copy, or, with the saved copy's ETag, a 304 when it is still
 * current (the server answers that from its revision without reading a record). Never with a
 * token, never through the HTTP cache (the copy lives in IndexedDB).
 */
async function fetchBundle(country, etag = null) {
  const headers = { Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  const response = await fetch(`/api/v1/countries/${country}/bundle`, { headers, cache: 'no-store', credentials: 'omit' });
  if (response.status === 304) {
    markChecked(country);
    // A copy saved without its base layer gets it now (it changes only with the page's packages).
    if (!savedCopies().find((c) => c.country === country)?.basemap) {
      await fetchBasemap(country).then((basemap) => putBasemap(country, basemap)).catch(() => {});
    }
    return false;
  }
  if (!response.ok) throw new Error(`${response.status} bundle ${country}`);
  // The country's outline and towns go with its services: the map still orients offline.
  // Without it the services are still saved; the next check fetches it again.
  const [bundle, basemap] = await Promise.all([response.json(), fetchBasemap(country).catch(() => null)]);
  await putBundle(bundle, response.headers.get('ETag'), basemap);
  forget(); // the next offline answer reads the new copy
  return true;
}

export function renderCopies() {
  const copies = savedCopies();
  fill($('#offline-copies'), copies.map((c) => h('li', { 'data-country': c.country, 'data-checked': c.checked_at },
    t('offline_copy', { country: countryName(c.country), date: copyDate(c.checked_at) }), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => update(c.country) }, t('offline_update')), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => remove(c.country) }, t('offline_remove')))));
}

/** Saves the country of the country filter (or the one the last near search was in). */
export async function saveChosen(country) {
  if (!country) { status(t('offline_choose')); $('#f-country').focus(); return; }
  status(t('offline_saving', { country: countryName(country) }));
  try {
    await registerWorker();
    await fetchBundle(country);
    // Ask the browser not to evict the copy under storage pressure (it may say no).
    navigator.storage?.persist?.().catch(() => {});
    renderCopies();
    status(t('offline_saved', { country: countryName(country), date: copyDate(new Date().toISOString()) }));
  } catch (e) { fail(e); }
}

async function update(country) {
  const copy = savedCopies().find((c) => c.country === country);
  status(t('offline_updating', { country: countryName(country) }));
  try {
    await fetchBundle(country, copy?.etag);
    renderCopies();
    status(t('offline_updated', { country: countryName(country) }));
  } catch (e) { fail(e); }
}

async function remove(country) {
  await removeBundle(country).catch(fail);
  forget();
  renderCopies();
  status(t('offline_removed', { country: countryName(country) }));
}

/** Every saved copy brought up to date, quietly: a 304 each when nothing changed. */
export async function refreshAll() {
  if (navigator.onLine === false) return;
  for (const copy of savedCopies()) {
    try { await fetchBundle(copy.country, copy.etag); } catch { /* offline again: kept as it is */ }
  }
  renderCopies();
}

/** On a page that has saved copies: show them, keep the worker current, refresh when online. */
export async function startOffline() {
  renderCopies();
  registerWorker().catch(() => {});
  window.addEventListener('online', () => refreshAll().catch(fail));
  await refreshAll();
}
