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

const summary = (entry) => ({ country: entry.country, generated_at: entry.bundle.generated_at, checked_at: entry.checked_at, revision: entry.bundle.revision, etag: entry.etag });

/** Stores (or replaces) a country's bundle. */
export async function putBundle(bundle, etag, checkedAt = new Date().toISOString()) {
  const entry = { country: bundle.country, etag, checked_at: checkedAt, bundle };
  await run('readwrite', (store) => store.put(entry));
  writeIndex([...savedCopies().filter((c) => c.country !== bundle.country), summary(entry)]);
}

/** Marks a saved copy as still current (the server answered 304). */
export function markChecked(country, checkedAt = new Date().toISOString()) {
  writeIndex(savedCopies().map((c) => (c.country === country ? { ...c, checked_at: checkedAt } : c)));
}

export async function removeBundle(country) {
  await run('readwrite', (store) => store.delete(country));
  writeIndex(savedCopies().filter((c) => c.country !== country));
}

/** Every saved bundle: [{country, etag, checked_at, bundle}]. */
export const allBundles = () => run('readonly', (store) => store.getAll());
