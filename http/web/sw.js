// Enlace's service worker (docs/web.md "Offline"): the page's own files for use without a network.
// It caches static assets only, by the versioned URLs of the tag below (the server writes the
// current one in when it serves this file, so a new tag is a new worker), and never touches /api/,
// /ogcapi or /tiles (the saved countries are kept by the page in IndexedDB), nor any request that
// carries a token. Registered by offline.js when a country is saved.
const TAG = '__ENLACE_ASSET_TAG__';
const SHELL = `enlace-shell-${TAG}`;
const NAVIGATION_WAIT_MS = 8000; // a line that answers nothing for this long counts as none

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // The server lists every file the page loads under this tag (offline-assets.json).
    const response = await fetch('/offline-assets.json', { cache: 'no-store' });
    const list = await response.json();
    if (list.tag !== TAG) throw new Error('the page changed while the worker installed'); // retried on the next visit
    const cache = await caches.open(SHELL);
    await cache.addAll(['/', '/config.json', ...list.assets]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('enlace-shell-') && name !== SHELL) await caches.delete(name);
    await self.clients.claim();
  })());
});

const fromShell = async (request) => (await caches.open(SHELL)).match(request, { ignoreSearch: true });

/** The page: from the network (it is revalidated on every visit), else the saved one. */
async function page(request) {
  const network = fetch(request);
  const waited = new Promise((resolve) => { setTimeout(resolve, NAVIGATION_WAIT_MS, null); });
  try {
    const answer = await Promise.race([network, waited]);
    if (answer) return answer;
  } catch { /* no network */ }
  return (await fromShell('/')) || network;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || request.headers.has('Authorization')) return;
  // API answers (near-me ones among them) go to the network only: nothing of them is kept here.
  if (/^\/(api|ogcapi|tiles)(\/|$)/.test(url.pathname) || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') { event.respondWith(page(request)); return; }
  if (url.pathname === '/config.json') {
    event.respondWith(fetch(request).catch(async () => (await fromShell(request)) || Response.error()));
    return;
  }
  // The page's files under the tag never change: the saved copy first.
  event.respondWith(fromShell(request).then((cached) => cached || fetch(request)));
});
