// Offline use (docs/web.md "Offline"): a country saved while online answers near me with the
// network cut (playwright's offline mode), from the page served by its service worker; back
// online, the saved copy is brought up to date. Over the demo registry and the real-shaped
// records of tests/data/field_records.json (a sensitive shelter, a restricted service, hotlines).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { binary, finish, moveMap, openPage, openProfilePage, ready, registry, resultIds, scratch, serve, shot, source, startBrowser, townLabels } from './harness.mjs';

const HERE = { latitude: 14.845, longitude: -91.52 }; // Quetzaltenango, Guatemala
let db; let base;

before(async () => {
  db = registry('offline', ['init', '--demo'], ['add', path.join(source, 'tests/data/field_records.json')]);
  base = await serve(db);
  await startBrowser();
});

after(finish);

function haversineM(a, b) {
  const rad = Math.PI / 180;
  const x = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2
    + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(x)));
}

const nearMe = async (page) => {
  await page.check('input[name=where][value=me]');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results-title').textContent.includes('cercano'));
};

test('a saved country answers near me with the network cut, nearest first, and is refreshed back online', async () => {
  const page = await openPage(base, { geolocation: HERE, permissions: ['geolocation'], viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const context = page.context();
  await page.goto(`${base}/`);
  await ready(page);
  assert.equal(await page.textContent('#offline-save'), 'Guardar este país para usar sin conexión');
  // A first visit without a saved copy registers no worker and loads no offline module.
  assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)), 0);

  // Online: near me, then save the country the point is in (no country filter chosen).
  await nearMe(page);
  await page.click('#offline-save');
  await page.waitForSelector('#offline-copies li[data-country="GT"]');
  assert.match(await page.textContent('#offline-copies'), /Copia sin conexión de Guatemala del \d+ de \S+ de \d{4}/);
  assert.equal(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => Boolean(r.active))), true);

  // What the test expects, from the bundle itself: Guatemala's sited services nearest first.
  const bundle = await (await fetch(`${base}/api/v1/countries/GT/bundle`)).json();
  const sourceIds = new Map(bundle.services.map((s) => [s.id, s.source_id]));
  const sited = bundle.services.filter((s) => s.location);
  const here = { lat: Math.round(HERE.latitude * 1000) / 1000, lon: Math.round(HERE.longitude * 1000) / 1000 };
  const byDistance = sited.map((s) => ({ id: s.id, d: haversineM(here, s.location) })).sort((a, b) => a.d - b.d || a.id - b.id);
  // The page's rule (docs/web.md "Searching near a point"): the first of 25, 100, 300 km holding
  // five services, else every service of the country.
  const ring = [25, 100, 300].find((km) => byDistance.filter((s) => s.d <= km * 1000).length >= 5);
  const expected = byDistance.filter((s) => !ring || s.d <= ring * 1000).map((s) => s.id);
  assert.ok(expected.length >= 5, `sited services in GT: ${expected.length}`);
  assert.ok(!bundle.services.some((s) => s.source_id === 'gt-casework-restricted'), 'no restricted service in the bundle');

  // The shell is cached, and nothing of the API: the worker keeps static files only.
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
    return urls;
  });
  assert.ok(cached.includes('/') && cached.some((u) => u.endsWith('/js/app.js')) && cached.some((u) => u.endsWith('/countries-110m.json')), cached.join(' '));
  assert.deepEqual(cached.filter((u) => u.startsWith('/api/')), []);
  // The country's base layer went with its services, into the saved copy.
  const saved = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('enlace-offline');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const read = open.result.transaction('bundles').objectStore('bundles').get('GT');
      read.onsuccess = () => { const b = read.result.basemap; resolve({ outline: b?.outline?.type, towns: Object.keys(b?.towns ?? {}), quetzaltenango: b?.towns?.[5]?.features.some((f) => f.properties.name === 'Quetzaltenango') }); open.result.close(); };
    };
  }));
  assert.deepEqual(saved, { outline: 'Topology', towns: ['5', '8', '11'], quetzaltenango: true });

  // The network cut: the page comes from the service worker, the answers from the saved copy
  // (the browser's HTTP cache emptied first, so that nothing fetched online answers instead).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await context.setOffline(true);
  const served = await page.reload();
  assert.equal(served.fromServiceWorker(), true, 'the page was served by the service worker');
  await ready(page);
  assert.equal(await page.textContent('#legend summary'), 'Familias de servicios', 'the legend in words, not keys');
  await nearMe(page);
  assert.equal(await page.isVisible('#offline-note'), true);
  assert.match(await page.textContent('#offline-note'), /^Sin conexión: resultados de la copia guardada del \d+ de \S+ de \d{4}/);
  // Guatemala's sited services within the first ring that holds five, nearest first by
  // great-circle distance, as computed here from the bundle.
  let ids = await resultIds(page);
  while (await page.isVisible('#more')) { await page.click('#more'); ids = await resultIds(page); }
  assert.deepEqual(ids, expected, `offline order ${ids.map((id) => sourceIds.get(id) ?? id)}`);
  const shown = await page.$$eval('#results > li .distance', (els) => els.map((e) => e.textContent));
  assert.equal(shown.length, ids.length);
  // The shelter is at its public point only, and said to be approximate.
  const shelter = bundle.services.find((s) => s.source_id === 'gt-gbv-shelter');
  assert.equal(shelter.location.coarsened, true);
  assert.notDeepEqual([shelter.location.lon, shelter.location.lat], [-91.51803, 14.83472]);
  assert.match(await page.textContent(`#results > li[data-id="${shelter.id}"] .distance`), /≈|~/);
  // Hotlines that cover Guatemala, a neighbour's too, are pinned above the list.
  const pinned = await page.$$eval('#available-list > li', (els) => els.map((e) => Number(e.dataset.id)));
  const lines = bundle.services.filter((s) => !s.location).map((s) => s.id).sort((a, b) => a - b);
  assert.deepEqual(pinned, lines.slice(0, 3));
  assert.ok(lines.some((id) => sourceIds.get(id) === 'mx-hotline'));
  await shot(page, 'offline-results-360');
  // The saved base layer draws with the network cut: Guatemala at 1:50m and its towns by name.
  await moveMap(page, [14.84, -91.52], 8);
  assert.ok(await page.$('.leaflet-overlay-pane path.fine[data-country="GT"]'), 'Guatemala at 1:50m offline');
  const towns = await townLabels(page);
  assert.ok(towns.some((t) => t.name === 'Quetzaltenango'), `offline labels: ${towns.map((t) => t.name)}`);
  // Mexico's land is in view too, but only Guatemala was saved.
  assert.ok(towns.some((t) => t.zoom === 8) && towns.every((t) => t.country === 'GT'), `Guatemala's towns of zoom 8, from the saved copy: ${towns.map((t) => `${t.name} (${t.country})`)}`);
  await shot(page, 'offline-basemap-z8-360');
  // Details, from the saved copy too.
  await page.click(`#results > li[data-id="${expected[0]}"] .name`);
  await page.waitForSelector('#details:not([hidden]) #details-title');
  await shot(page, 'offline-details-360');
  await page.click('#details-close');

  // Back online: a change in the registry reaches the saved copy without a click.
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem('enlace.offline'))[0]);
  const added = path.join(scratch, `offline-added-${process.pid}.json`);
  writeFileSync(added, JSON.stringify({ source: 'offline-test', services: [{ source_id: 'new', name: { es: 'Servicio nuevo de Xela' }, types: ['LEG.AID'], country: 'GT',
    location: { lat: 14.846, lon: -91.521, precision: 'exact' }, languages: ['es'], status: 'active', visibility: 'public', illustrative: true }] }));
  execFileSync(binary, ['--db', db, 'add', added], { stdio: 'ignore' });
  await context.setOffline(false);
  await page.waitForFunction((revision) => JSON.parse(localStorage.getItem('enlace.offline'))[0].revision > revision, before.revision);
  await context.setOffline(true);
  await page.check('input[name=where][value=me]');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results > li:first-child .name')?.textContent === 'Servicio nuevo de Xela');
  assert.equal(await page.isVisible('#offline-note'), true);
  await context.close();
});

test('the page is installable: Chromium reads its manifest and finds nothing missing to offer installing it', async () => {
  // A browser with a profile on disk, as on a phone: Chromium installs nothing off the record.
  const page = await openProfilePage(base, 'install', { geolocation: HERE, permissions: ['geolocation'] });
  await page.goto(`${base}/`);
  await ready(page);
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, []);
  assert.match(manifest.url, /\/manifest\.webmanifest$/);
  const parsed = JSON.parse(manifest.data);
  assert.equal(parsed.short_name, 'Enlace');
  assert.equal(parsed.display, 'standalone');
  assert.equal(parsed.start_url, '/');
  assert.ok(parsed.icons.length > 0);
  // Chromium's own check of what an install prompt needs (a manifest with a name, icons, start URL
  // and display; served over a secure origin, which loopback is): nothing missing.
  assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
  await cdp.detach();
});
