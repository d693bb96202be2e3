// The base layer (docs/web.md "Base layer"): from zoom 5 the member countries at Natural Earth
// 1:50m and the names of their towns (GeoNames), the largest first, more as the map zooms in, all
// from the page's own server and credited on the map. Screenshots at zooms 5, 8 and 11.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { finish, moveMap, openPage, ready, registry, serve, shot, startBrowser, townLabels } from './harness.mjs';

const GUATEMALA = [15.6, -90.3];
const XELA = [14.84, -91.52]; // Quetzaltenango
let base;

before(async () => {
  base = process.env.ENLACE_BASE_URL || (await serve(registry('basemap', ['init', '--demo'])));
  await startBrowser();
});

after(finish);

test('the base layer: 1:50m outlines and the largest towns at zoom 5, more at 8, small towns at 11, credited to GeoNames', async () => {
  const page = await openPage(base);
  const client = await page.context().newCDPSession(page);
  await client.send('Network.enable');
  const urls = new Map();
  let bytes = 0;
  client.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  client.on('Network.loadingFinished', (e) => { if (/\/basemap[/_.]/.test(urls.get(e.requestId) || '')) bytes += e.encodedDataLength; });
  await page.goto(`${base}/`);
  await ready(page);
  await page.waitForSelector('#map[data-basemap-zoom]', { state: 'attached' });
  await page.waitForSelector('#map-note[data-points]', { state: 'attached' }); // the map has zoomed to every match
  const perZoom = { before: bytes };
  // The region below zoom 5 has the world's 1:110m outlines only.
  await moveMap(page, GUATEMALA, 4);
  assert.equal((await page.$$('.leaflet-overlay-pane path.fine')).length, 0, 'no 1:50m outline below zoom 5');
  assert.deepEqual(await townLabels(page), []);

  bytes = 0;
  await moveMap(page, GUATEMALA, 5);
  perZoom[5] = bytes;
  assert.ok(await page.$('.leaflet-overlay-pane path.fine[data-country="GT"]'), 'Guatemala at 1:50m');
  assert.ok(await page.$('.leaflet-overlay-pane path.fine[data-id="320"]'));
  // Its 1:110m outline is hidden under the finer one, the coverage's shading still has it.
  assert.equal(await page.$eval('.leaflet-overlay-pane path.member[data-country="GT"]', (e) => e.classList.contains('coarse-hidden')), true);
  const z5 = await townLabels(page);
  assert.ok(z5.length >= 3, `labels at zoom 5: ${z5.map((t) => t.name)}`);
  for (const town of z5) assert.ok(town.zoom === 5 && (town.capital || town.population >= 100000), `at zoom 5: ${JSON.stringify(town)}`);
  assert.ok(z5.some((t) => t.name === 'Guatemala City' && t.capital), z5.map((t) => t.name).join(', '));
  await shot(page, 'basemap-z5-guatemala');

  bytes = 0;
  await moveMap(page, XELA, 8);
  perZoom[8] = bytes;
  const z8 = await townLabels(page);
  assert.ok(z8.some((t) => t.name === 'Quetzaltenango' && t.country === 'GT'), z8.map((t) => t.name).join(', '));
  assert.ok(z8.some((t) => t.zoom === 8), 'towns of 10,000 or more labelled at zoom 8');
  assert.ok(z8.every((t) => t.zoom <= 8), 'no small town at zoom 8');
  assert.ok(z8.length > z5.filter((t) => t.country === 'GT').length, `more labels at zoom 8 (${z8.length}) than Guatemala had at 5`);
  // The labels never overlap: each one's box apart from the others'.
  const boxes = await page.$$eval('.leaflet-pane .town-name', (els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      assert.ok(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top, `labels ${i} and ${j} overlap`);
    }
  }
  await shot(page, 'basemap-z8-quetzaltenango');

  bytes = 0;
  await moveMap(page, XELA, 11);
  perZoom[11] = bytes;
  const z11 = await townLabels(page);
  assert.ok(z11.some((t) => t.zoom === 11 && t.population < 10000), `small towns at zoom 11: ${z11.map((t) => `${t.name} ${t.population}`)}`);
  assert.ok(z11.every((t) => t.country === 'GT'), 'at zoom 11 near Quetzaltenango, Guatemala\'s towns only (Mexico\'s land is not in view)');
  await shot(page, 'basemap-z11-quetzaltenango');

  const credit = await page.textContent('.leaflet-control-attribution');
  assert.match(credit, /GeoNames \(CC BY 4\.0\)/);
  assert.match(credit, /Natural Earth/);
  // Back out: the 1:50m and the names go, the 1:110m is back.
  await moveMap(page, GUATEMALA, 4);
  assert.deepEqual(await townLabels(page), []);
  assert.equal(await page.$eval('.leaflet-overlay-pane path.member[data-country="GT"]', (e) => e.classList.contains('coarse-hidden')), false);
  console.log(`# base layer bytes as sent: first view (its modules) ${perZoom.before}, zoom 5 over Guatemala ${perZoom[5]}, zoom 8 at Quetzaltenango ${perZoom[8]}, zoom 11 ${perZoom[11]}`);
  await client.detach();
  await page.context().close();
});
