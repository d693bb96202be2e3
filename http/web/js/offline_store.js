// Where the saved countries live on the phone (docs/web.md "Offline"): each bundle in IndexedDB
// (structured records, read once into memory, no JSON to parse again), and beside it in
// localStorage a short list of which countries are saved and when, so that the page knows
// without opening the database whether it has a copy (and loads nothing for offline use when not).
const DB = 'enlace-offline';
const STORE = 'bundles';
const INDEX_KEY = 'enlace.offline';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'country' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally { db.close(); }
}

/** The saved copies' summaries: [{country, generated_at, checked_at, revision, etag}]. */
export function savedCopies() {
  try { return JSON.parse(localStorage.getItem(INDEX_KEY) || '[]'); } catch { return []; }
}

function writeIndex(copies) {
  try {
    if (copies.length) localStorage.setItem(INDEX_KEY, JSON.stringify(copies));
    else localStorage.removeItem(INDEX_KEY);
  } catch { /* storage off: the copies stay in IndexedDB, found on the next save */ }
}

const summary = (entry) => ({ country: entry.country, generated_at: entry.bundle.generated_at, checked_at: entry.checked_at, revision: entry.bundle.revision, etag: entry.etag, basemap: Boolean(entry.basemap) });

/** Stores (or replaces) a country's bundle, with its base layer (basemap_data.js) when given. */
export async function putBundle(bundle, etag, basemap = null, checkedAt = new Date().toISOString()) {
  const entry = { country: bundle.country, etag, checked_at: checkedAt, bundle, basemap };
  await run('readwrite', (store) => store.put(entry));
  writeIndex([...savedCopies().filter((c) => c.country !== bundle.country), summary(entry)]);
}

/** Marks a saved copy as still current (the server answered 304). */
export function markChecked(country, checkedAt = new Date().toISOString()) {
  writeIndex(savedCopies().map((c) => (c.country === country ? { ...c, checked_at: checkedAt } : c)));
}

/** The base layer of a saved country ({outline, towns: {5, 8, 11}}), or null. */
export const savedBasemap = (country) => run('readonly', (store) => store.get(country)).then((entry) => entry?.basemap ?? null);

/** Adds the base layer to a copy saved without it (before the page had one, or while it failed). */
export async function putBasemap(country, basemap) {
  const db = await open();
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const read = store.get(country);
      read.onsuccess = () => { if (read.result) store.put({ ...read.result, basemap }); };
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally { db.close(); }
  writeIndex(savedCopies().map((c) => (c.country === country ? { ...c, basemap: true } : c)));
}

export async function removeBundle(country) {
  await run('readwrite', (store) => store.delete(country));
  writeIndex(savedCopies().filter((c) => c.country !== country));
}

/** Every saved bundle: [{country, etag, checked_at, bundle}]. */
export const allBundles = () => run('readonly', (store) => store.getAll());
