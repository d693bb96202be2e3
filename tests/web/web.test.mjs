// The web map in a real browser: Debian's chromium driven by playwright-core, against
// `enlace serve` on free ports: a fresh demo registry, the real-shaped records of
// tests/data/field_records.json (exact points, phones, personal contacts, hotlines, a restricted and
// a temporarily closed service) and 1,260 generated services (paging, every point on the map).
// Run by CTest (tests/CMakeLists.txt):
//   ENLACE_BINARY=build/cli/enlace ENLACE_WEB_SCRATCH=build/tests/web-scratch \
//   ENLACE_WEB_ARTIFACTS=build/tests/web-artifacts node --test tests/web/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { binary, finish, openPage, ready, registry, resultIds, scratch, serve, shot, source, startBrowser } from './harness.mjs';

const fieldRecords = path.join(source, 'tests/data/field_records.json');
const GENERATED = 1260; // services in the generated registry, of which GENERATED_UNSITED have no site
const GENERATED_UNSITED = 10;

let base; let fieldBase; let manyBase; let tilesBase;

/** Services around inland towns of five member countries, a tenth of them sensitive, and a few hotlines. */
function generatedServices() {
  const towns = [['GT', 14.63, -90.51], ['GT', 14.84, -91.52], ['GT', 15.47, -90.37], ['HN', 14.07, -87.19],
    ['HN', 15.5, -88.03], ['SV', 13.69, -89.22], ['MX', 19.43, -99.13], ['MX', 20.67, -103.35], ['MX', 25.67, -100.31], ['CR', 9.93, -84.09]];
  const types = ['PRO.AUTHORITY', 'LEG.AID', 'HLT.MED', 'REC.RETURN', 'FAM.RFL', 'IDN.SAFESPACE', 'INT.EDU', 'PRO.CASEMGMT', 'HLT.MHPSS', 'REC.SHORTSTAY'];
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const out = [];
  for (let i = 0; i < GENERATED - GENERATED_UNSITED; i++) {
    const [country, lat, lon] = towns[i % towns.length];
    out.push({
      source_id: `g${i}`, name: { es: `Servicio generado ${i}`, en: `Generated service ${i}` }, types: [types[i % types.length]], country,
      location: { lat: Math.round((lat + (random() - 0.5) * 0.08) * 1e5) / 1e5, lon: Math.round((lon + (random() - 0.5) * 0.08) * 1e5) / 1e5, precision: 'exact' },
      address: { locality: `Localidad ${i % towns.length}` }, languages: ['es'], status: 'active', visibility: 'public', illustrative: true,
    });
  }
  for (let i = 0; i < GENERATED_UNSITED; i++) {
    const country = towns[i % towns.length][0];
    out.push({ source_id: `line${i}`, name: { es: `Línea generada ${i}` }, types: ['VIO.HOTLINE'], country, service_area: { countries: [country] },
      contacts: [{ kind: 'hotline', value: `000 ${1000 + i}` }], languages: ['es'], status: 'active', visibility: 'public', illustrative: true });
  }
  return { source: 'generated', services: out };
}

const newPage = (options = {}, server = base) => openPage(server, options);
/** Metres from a shown distance ("850 m", "1,5 km", "≈ 25 km", "a menos de ~10 km"). */
const metres = (text) => {
  const m = /([\d.,]+)\s*(km|m)\b/.exec(text);
  return m ? parseFloat(m[1].replace(',', '.')) * (m[2] === 'km' ? 1000 : 1) : NaN;
};

before(async () => {
  mkdirSync(scratch, { recursive: true });
  const generated = path.join(scratch, `generated-${process.pid}.json`);
  writeFileSync(generated, JSON.stringify(generatedServices()));
  // A server already running stands for the demo one (ENLACE_BASE_URL); the others are ours.
  const many = registry('many', ['init'], ['add', generated]);
  [base, fieldBase, manyBase, tilesBase] = await Promise.all([
    process.env.ENLACE_BASE_URL || serve(registry('demo', ['init', '--demo'])),
    serve(registry('field', ['init'], ['add', fieldRecords])),
    serve(many),
    serve(many, '--map-tiles-above', '500'), // the same registry, drawn as vector tiles
  ]);
  await startBrowser();
});

after(finish);

test('the page loads in Spanish with the demo registry on the map and offline outlines', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await ready(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('#tab-find'), 'Buscar servicios');
  const n = (await resultIds(page)).length;
  assert.ok(n >= 30, `demo services listed: ${n}`);
  assert.match(await page.textContent('#results-title'), new RegExp(`^${n} servicios`));
  await page.waitForSelector('.leaflet-overlay-pane path', { state: 'attached' });
  assert.ok((await page.$$('.leaflet-overlay-pane path')).length >= 11, 'country outlines drawn');
  assert.ok((await page.$$('.leaflet-marker-pane .mk, .leaflet-marker-pane .cluster')).length > 0, 'markers or clusters');
  assert.equal((await page.$$('.leaflet-tile')).length, 0, 'no tile layer by default');
  const csp = (await page.request.get(`${base}/`)).headers()['content-security-policy'];
  assert.match(csp, /default-src 'self'/);
  await shot(page, 'map-es');
  await page.context().close();
});

test('filter by country and service type', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await ready(page);
  await page.selectOption('#f-country', 'GT');
  await page.selectOption('#f-type', 'REC');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('servicios'));
  const items = await page.$$eval('#results > li', (els) => els.map((e) => ({ meta: e.querySelector('.meta').textContent, types: e.querySelector('.types').textContent })));
  assert.ok(items.length >= 1, 'some Guatemalan reception services');
  for (const item of items) {
    assert.match(item.meta, /Guatemala/);
    assert.match(item.types, /Recepción|Albergue|Cuidado|Asistencia básica|acogida/i);
  }
  await page.context().close();
});

test('near me with a mocked position lists services nearest first, with distances', async () => {
  const page = await newPage({ geolocation: { latitude: 14.9, longitude: -92.26 }, permissions: ['geolocation'] });
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/services?')) asked.push(r.url()); });
  await page.goto(`${base}/`);
  await ready(page);
  await page.check('input[name=where][value=me]');
  await page.selectOption('#f-population', 'unaccompanied');
  await page.fill('#f-age', '15');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results-title').textContent.includes('cercano'));
  const distances = await page.$$eval('#results .distance', (els) => els.map((e) => e.textContent));
  assert.ok(distances.length >= 3, `distances: ${distances}`);
  // Exact distances are in order; a coarsened site's is approximate (its public point is a cell centre).
  const exact = distances.filter((d) => !/≈|~/.test(d)).map(metres);
  for (let i = 1; i < exact.length; i++) assert.ok(exact[i] >= exact[i - 1], `distance order: ${distances}`);
  assert.ok(metres(distances[0]) < 20000, `the nearest is in Tapachula: ${distances}`);
  assert.match(await page.textContent('#results > li:first-child'), /Verificado \d{4}-\d\d-\d\d/);
  assert.match(await page.textContent('#results > li:first-child .hours'), /Abierto|Cerrado|Horario/);
  // The shelter is a sensitive site: shown at its coarsened place and marked approximate.
  assert.ok((await page.$$('#results .badge.approx')).length >= 1, 'an approximate site is marked');
  assert.ok((await page.$$('.leaflet-marker-pane .mk.approx, .leaflet-marker-pane .cluster')).length >= 1);
  // Only the rounded position goes to the server, and nowhere else.
  const last = new URL(asked[asked.length - 1]);
  assert.equal(last.searchParams.get('lat'), '14.9');
  assert.equal(last.searchParams.get('lon'), '-92.26');
  assert.ok(!page.url().includes('14.9'), 'the position is not in the page URL');
  await shot(page, 'near-me');
  await page.context().close();
});

test('near a place from the registry, details panel, add to list and print view', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await ready(page);
  await page.check('input[name=where][value=place]');
  const label = await page.$eval('#f-place', (s) => [...s.options].find((o) => o.textContent.startsWith('Tapachula'))?.value);
  assert.ok(label !== undefined, 'Tapachula is offered as a place');
  await page.selectOption('#f-place', label);
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results-title').textContent.includes('cercano'));
  const firstName = (await page.textContent('#results > li:first-child .name')).trim();
  await page.click('#results > li:first-child .name');
  await page.waitForSelector('#details:not([hidden])');
  assert.equal((await page.textContent('#details-title')).trim().startsWith(firstName), true);
  const fields = await page.$$eval('#details dt', (els) => els.map((e) => e.textContent));
  for (const f of ['Tipos de servicio', 'Descripción', 'Horario', 'Idiomas', 'Poblaciones atendidas', 'Estado']) assert.ok(fields.includes(f), `detail field ${f}: ${fields}`);
  await shot(page, 'details');
  await page.click('#details .actions .primary');
  await page.keyboard.press('Escape');
  await page.click('#results > li:nth-child(2) .add');
  assert.equal(await page.textContent('#list-count'), '2');
  await page.click('#tab-list');
  await page.waitForSelector('#selected li.chosen');
  assert.equal((await page.$$('#selected li.chosen')).length, 2);
  const listText = await page.textContent('#view-list');
  assert.ok(listText.includes(firstName));
  assert.ok(!/\d+(,\d)? km/.test(listText), 'no distances (they reveal the position) in the list');
  assert.ok(!/no acompañad|15 años/i.test(listText), 'nothing about the child in the list');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('#map'), false, 'the map is not printed');
  assert.equal(await page.isVisible('#selected'), true);
  assert.equal(await page.isVisible('#print-header'), true);
  await shot(page, 'print');
  await page.emulateMedia({ media: 'screen' });
  // The shared link carries service ids only, and opens the same list.
  const ids = await page.$$eval('#selected li.chosen', (els) => els.map((e) => e.dataset.id));
  const other = await newPage();
  await other.goto(`${base}/#list=${ids.join(',')}`);
  await ready(other);
  await other.waitForSelector('#selected li.chosen');
  assert.equal((await other.$$('#selected li.chosen')).length, 2);
  await other.context().close();
  await page.context().close();
});

test('switch language: the interface and the content follow, fallbacks are marked', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await ready(page);
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('#results-title').textContent.includes('services'));
  assert.equal(await page.textContent('#tab-find'), 'Find services');
  assert.equal(await page.getAttribute('#f-q', 'placeholder'), 'e.g. asylum, Tapachula');
  await page.selectOption('#lang', 'fr');
  await page.waitForFunction(() => document.documentElement.lang === 'fr' && document.querySelector('#tab-find').textContent === 'Trouver des services');
  await page.waitForSelector('#results .badge.fallback');
  const mark = await page.getAttribute('#results .badge.fallback', 'title');
  assert.match(mark, /^Affiché en (espagnol|anglais)/);
  await shot(page, 'french');
  // The choice is remembered for the next visit.
  await page.reload();
  await ready(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await page.context().close();
});

test('good practices: filter, detail with template fields, actors and linked services on the map', async () => {
  const page = await newPage();
  // Until /api/v1/practices is served, answer it with the demo's practices in the documented shape.
  const probe = await page.request.get(`${base}/api/v1/practices`);
  if (probe.status() === 404) {
    const demo = JSON.parse(readFileSync(path.join(source, 'data/demo.json'), 'utf8'));
    const services = (await (await page.request.get(`${base}/api/v1/services?limit=500`)).json()).items;
    const idOf = (key) => services.find((s) => s.source_id === key)?.id;
    const items = demo.practices.map((p, i) => ({ ...p, id: i + 1, actors: [], services: (p.services || []).map(idOf).filter(Boolean), review_status: 'published' }));
    await page.route(`${base}/api/v1/practices?**`, (route) => {
      const q = new URL(route.request().url()).searchParams;
      const hits = items.filter((p) => (!q.get('country') || p.countries.includes(q.get('country'))) && (!q.get('axis') || p.axes.includes(Number(q.get('axis')))));
      route.fulfill({ json: { items: hits, next_cursor: null } });
    });
  }
  await page.goto(`${base}/`);
  await ready(page);
  await page.click('#tab-practices');
  await page.waitForSelector('#practices li.practice');
  const all = (await page.$$('#practices li.practice')).length;
  assert.ok(all >= 5, `practices listed: ${all}`);
  await page.selectOption('#p-country', 'MX');
  await page.selectOption('#p-axis', '2');
  await page.click('#practice-form button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('#practices li.practice').length < n, all);
  const metas = await page.$$eval('#practices li.practice .meta', (els) => els.map((e) => e.textContent));
  assert.ok(metas.length >= 1);
  for (const m of metas) assert.match(m, /México/);
  await page.click('#practices li.practice:first-child .name');
  await page.waitForSelector('#details:not([hidden])');
  const fields = await page.$$eval('#details dt', (els) => els.map((e) => e.textContent));
  for (const f of ['Países', 'Período', 'Ejes CRM', 'Problema abordado', 'Descripción', 'Lecciones aprendidas', 'Servicios vinculados']) assert.ok(fields.includes(f), `practice field ${f}: ${fields}`);
  await page.waitForSelector('#details .linked li');
  // Linked services with a site are drawn on the map: find a practice that has one.
  await page.click('#details-close');
  await page.selectOption('#p-country', '');
  await page.selectOption('#p-axis', '');
  await page.click('#practice-form button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('#practices li.practice').length === n, all);
  let drawn = 0;
  for (let i = 1; i <= all && !drawn; i++) {
    await page.click(`#practices li.practice:nth-child(${i}) .name`);
    await page.waitForSelector('#details:not([hidden]) dl');
    drawn = (await page.$$('.leaflet-marker-pane .mk.linked')).length;
    if (!drawn) await page.click('#details-close');
  }
  assert.ok(drawn > 0, 'a practice shows its linked services on the map');
  await shot(page, 'practice');
  await page.context().close();
});

test('coverage: a heat table of countries by service family, the same figures as /api/v1/stats, and a shaded map', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await ready(page);
  await page.click('#tab-coverage');
  await page.waitForSelector('#coverage-table tbody tr');
  assert.equal((await page.$$('#coverage-table tbody tr')).length, 11);
  const stats = (await (await page.request.get(`${base}/api/v1/stats`)).json()).cells;
  const shown = await page.$$eval('#coverage-table tbody tr', (rows) => rows.map((r) => ({
    country: r.dataset.country, cells: [...r.querySelectorAll('td')].map((td) => ({ type: td.dataset.type, n: Number(td.textContent), cls: td.className })),
  })));
  for (const row of shown) {
    for (const cell of row.cells) {
      const expected = stats.find((c) => c.country === row.country && c.type === cell.type)?.services ?? 0;
      assert.equal(cell.n, expected, `${row.country} ${cell.type}`);
      if (expected === 0) assert.equal(cell.cls, 'h0', 'gaps stand out');
    }
  }
  await page.selectOption('#c-type', 'LEG.ASYLUM');
  await page.waitForFunction(() => document.querySelector('.legend').textContent.includes('Asilo'));
  assert.equal((await page.$$('.leaflet-marker-pane .mk')).length, 0, 'service markers hidden while shading');
  await shot(page, 'coverage');
  await page.context().close();
});

test('works at 360 px wide, keyboard reachable', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.goto(`${base}/`);
  await ready(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scroll: ${width}`);
  // Every form control has an accessible name.
  const unlabelled = await page.$$eval('select, input, button', (els) => els.filter((e) => !e.labels?.length && !e.getAttribute('aria-label') && !e.textContent.trim() && e.type !== 'radio').map((e) => e.id || e.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'tab');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-practices', 'aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  await shot(page, 'phone-360');
  await page.context().close();
});

// ---------------------------------------------------------------- issue 18: real-shaped records
const fieldSecrets = ['-91.51803', '14.83472', '+502 5500 0456', 'coordinacion.personal', '4a Calle 12-34', 'Equipo de gestión de casos'];

test('real-shaped records: details show every public field and never "null", a personal contact or an exact shelter', async () => {
  const page = await newPage({}, fieldBase);
  const bodies = [];
  page.on('response', async (r) => { if (r.url().includes('/api/')) bodies.push(await r.text().catch(() => '')); });
  await page.goto(`${fieldBase}/`);
  await ready(page);
  const ids = await resultIds(page);
  assert.equal(ids.length, 5, `the five public services (the restricted one is not listed): ${ids}`);
  const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
  for (const id of ids) {
    await page.click(`#results > li[data-id="${id}"] .name`);
    await page.waitForSelector(`#details:not([hidden]) #details-title`);
    const text = await page.innerText('#details-body');
    assert.doesNotMatch(text, /null|undefined|\[object/i, `details of ${id}: ${text}`);
    assert.doesNotMatch(text, /ilustrativo/i, 'real records carry no demo warning');
    if (/Asesoría legal/.test(text)) {
      assert.match(text, /lun–vie 08:00–12:30, 14:00–17:00; sáb 09:00–12:00/, 'both shifts and Saturday');
      assert.match(text, /Asesoría: \+502 2200 0200/, 'a contact with its label');
      if (today <= '2026-12-26') assert.match(text, /Cierre de fin de año/, 'the coming closure');
    }
    if (/Casa de acogida/.test(text)) {
      assert.match(text, /Ubicación aproximada|sitio sensible/);
      assert.match(text, /Admisiones: \+502 7700 0123/);
    }
    await page.click('#details-close');
  }
  const all = `${await page.innerText('body')}\n${bodies.join('\n')}`;
  for (const secret of fieldSecrets) assert.ok(!all.includes(secret), `never shown nor sent to the page: ${secret}`);
  // A temporarily closed service is not "open now", whatever its hours say.
  const closed = await page.innerText('#results > li:has-text("Ahuachapán") .hours');
  assert.match(closed, /Cerrado temporalmente/);
  assert.doesNotMatch(closed, /Abierto ahora/);
  await shot(page, 'field-list');
  await page.context().close();
});

test('near me in Guatemala City: hotlines pinned first, a bounded search that widens to the country, approximate distances', async () => {
  const page = await newPage({ geolocation: { latitude: 14.634, longitude: -90.507 }, permissions: ['geolocation'], viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, fieldBase);
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/services?')) asked.push(new URL(r.url())); });
  await page.goto(`${fieldBase}/`);
  await ready(page);
  await page.check('input[name=where][value=me]');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results-title').textContent.includes('cercano'));
  // The hotlines of the caseworker's country come before the distance list, not after it.
  assert.equal(await page.isVisible('#available'), true);
  const pinned = await page.innerText('#available');
  assert.match(pinned, /Línea de denuncia de trata/);
  assert.match(pinned, /1599/);
  assert.ok(await page.$eval('#available', (a) => Boolean(a.compareDocumentPosition(document.querySelector('#results')) & Node.DOCUMENT_POSITION_FOLLOWING)),
    'available here is above the results');
  // Fewer than five within 300 km: those and the rest of Guatemala, never the whole region.
  const title = await page.textContent('#results-title');
  assert.match(title, /300 km/);
  assert.match(title, /Guatemala/);
  const metas = await page.$$eval('#results > li .meta', (els) => els.map((e) => e.textContent));
  assert.equal(metas.length, 3, metas.join(' | '));
  for (const m of metas) assert.doesNotMatch(m, /Canadá|Estados Unidos|México/);
  const radii = asked.filter((u) => u.searchParams.has('lat') && u.searchParams.get('view') !== 'map').map((u) => u.searchParams.get('radius_km'));
  assert.deepEqual(radii.slice(0, 3), ['25', '100', '300'], 'the radius grows');
  for (const u of asked) {
    if (u.searchParams.has('lat')) assert.equal(`${u.searchParams.get('lat')},${u.searchParams.get('lon')}`, '14.634,-90.507');
  }
  // The shelter is shown at a coarsened place: its distance is approximate.
  const shelter = await page.textContent('#results > li:has-text("Casa de acogida") .distance');
  assert.match(shelter, /≈|~/);
  await shot(page, 'field-near-me-360');
  await page.context().close();
});

test('near a place that only has a shelter: the place is approximate, and no distance reads "0 m"', async () => {
  const page = await newPage({}, fieldBase);
  await page.goto(`${fieldBase}/`);
  await ready(page);
  await page.check('input[name=where][value=place]');
  const value = await page.$eval('#f-place', (s) => [...s.options].find((o) => o.textContent.startsWith('Quetzaltenango'))?.value);
  assert.ok(value !== undefined, 'Quetzaltenango is offered');
  await page.selectOption('#f-place', value);
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results-title').textContent.includes('cercano'));
  const distances = await page.$$eval('#results .distance', (els) => els.map((e) => e.textContent));
  assert.ok(distances.length >= 1);
  for (const d of distances) {
    assert.doesNotMatch(d, /^\s*\d+ m\s*$/, `a precise distance from an approximate place: ${distances}`);
    assert.match(d, /≈|~/, `approximate: ${d}`);
  }
  assert.match(await page.textContent('#results > li:first-child'), /Casa de acogida/);
  await page.context().close();
});

test('practices show labels, never raw codes, in es, en and fr', async () => {
  const page = await newPage({}, fieldBase);
  await page.goto(`${fieldBase}/`);
  await ready(page);
  const expected = {
    es: [/Interés superior/, /Unidad familiar/, /Datos de monitoreo/, /Publicada/, /Nacional/],
    en: [/Best interests/, /Family unity/, /Monitoring data/, /Published/, /National/],
    fr: [/Intérêt supérieur/, /Unité familiale/, /Données de suivi/, /Publiée/, /National/],
  };
  for (const l of ['es', 'en', 'fr']) {
    await page.selectOption('#lang', l);
    await page.waitForFunction((x) => document.documentElement.lang === x, l);
    await page.click('#tab-practices');
    await page.waitForSelector('#practices li.practice');
    await page.click('#practices li.practice:first-child .name');
    await page.waitForSelector('#details:not([hidden]) dl');
    const text = await page.innerText('#details-body');
    for (const code of ['best_interests', 'family_unity', 'monitoring_data', 'published', 'national']) {
      assert.ok(!new RegExp(`\\b${code}\\b`).test(text), `${l}: raw code ${code} shown: ${text}`);
    }
    for (const label of expected[l]) assert.match(text, label, l);
    await page.click('#details-close');
    await page.click('#tab-find');
  }
  await page.context().close();
});

test('1,260 services: the list pages with a count, and the map draws every match, clustered, without holding up the list', async () => {
  const page = await newPage({}, manyBase);
  let releaseMap;
  const mapHeld = new Promise((resolve) => { releaseMap = resolve; });
  const mapPages = [];
  await page.route('**/api/v1/services?*', async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get('view') === 'map') { mapPages.push(url); await mapHeld; }
    await route.continue();
  });
  await page.goto(`${manyBase}/`);
  await ready(page);
  // The first results are there while the map's first page is still unanswered.
  assert.ok(mapPages.length >= 1, 'the map asked for its points');
  assert.match(await page.textContent('#results-title'), new RegExp(`^50 de ${GENERATED} servicios`));
  assert.equal((await resultIds(page)).length, 50);
  releaseMap();
  const sited = GENERATED - GENERATED_UNSITED;
  await page.waitForFunction((n) => document.querySelector('#map-note')?.dataset.points === String(n), sited, { timeout: 30000 });
  for (const u of mapPages) {
    assert.equal(u.searchParams.get('f'), 'geojson');
    assert.ok(Number(u.searchParams.get('limit')) <= 10000);
    assert.ok(!u.searchParams.has('lat'));
  }
  assert.ok(mapPages.length >= 2, `the points come in pages: ${mapPages.length}`);
  // Every sited match is on the map, in clusters, counted once the zoom to all of them settles:
  // while Leaflet zooms or markercluster animates (its classes on the map), the icons of both
  // zoom levels are in the pane at once.
  const onMap = () => [...document.querySelectorAll('.leaflet-marker-pane .cluster span')].reduce((n, e) => n + Number(e.textContent), 0)
    + document.querySelectorAll('.leaflet-marker-pane .mk').length;
  await page.waitForFunction((n) => !document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim')
    && [...document.querySelectorAll('.leaflet-marker-pane .cluster span')].reduce((m, e) => m + Number(e.textContent), 0)
    + document.querySelectorAll('.leaflet-marker-pane .mk').length === n, sited, { timeout: 20000 }).catch(() => {});
  assert.equal(await page.evaluate(onMap), sited, 'every sited match is on the map, in clusters');
  assert.match(await page.textContent('#map-note'), new RegExp(`${sited}`));
  await shot(page, 'many-map');
  // Show more: the next page, appended, and the count follows.
  await page.click('#more');
  await page.waitForFunction(() => document.querySelectorAll('#results > li').length === 100);
  assert.match(await page.textContent('#results-title'), new RegExp(`^100 de ${GENERATED} servicios`));
  const ids = await resultIds(page);
  assert.equal(new Set(ids).size, 100, 'no repeats');
  // A filter: its own count, its own points.
  await page.selectOption('#f-type', 'LEG.AID');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => /^50 de 125 servicios/.test(document.querySelector('#results-title').textContent));
  await page.waitForFunction(() => document.querySelector('#map-note')?.dataset.points === '125');
  await page.context().close();
});

test('at 360 px every tab is fully visible and the legend leaves the member countries uncovered', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.goto(`${base}/`);
  await ready(page);
  await page.waitForSelector('.leaflet-overlay-pane path', { state: 'attached' });
  const tabsInside = async (label) => {
    const boxes = await page.$$eval('[role=tab]', (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.id, left: r.left, right: r.right, top: r.top, bottom: r.bottom, clipped: e.scrollWidth > e.clientWidth + 1 };
    }));
    for (const b of boxes) {
      assert.ok(b.left >= 0 && b.right <= 360 && b.top >= 0 && b.bottom <= 740, `${label}: ${b.id} outside the viewport: ${JSON.stringify(b)}`);
      assert.equal(b.clipped, false, `${label}: ${b.id} text clipped`);
    }
  };
  // Sampled every 3 px: which member countries' outlines lie under the legend.
  const underLegend = () => page.evaluate(() => {
    const box = document.querySelector('.legend').getBoundingClientRect();
    const hit = new Set();
    for (const path of document.querySelectorAll('.leaflet-overlay-pane path.member')) {
      const m = path.getScreenCTM().inverse();
      for (let x = box.left; x <= box.right; x += 3) {
        for (let y = box.top; y <= box.bottom; y += 3) {
          if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(m))) hit.add(path.dataset.country || path.getAttribute('class'));
        }
      }
    }
    return [...hit];
  });
  for (const l of ['es', 'en', 'fr']) {
    await page.selectOption('#lang', l);
    await page.waitForFunction((x) => document.documentElement.lang === x, l);
    await tabsInside(l);
  }
  assert.ok((await page.$$('.leaflet-overlay-pane path.member')).length >= 11, 'member outlines are marked');
  await page.selectOption('#lang', 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.deepEqual(await underLegend(), [], 'find view: the legend covers member countries');
  await page.click('#tab-coverage');
  await page.waitForSelector('#coverage-table tbody tr');
  await page.waitForTimeout(400);
  assert.deepEqual(await underLegend(), [], 'coverage view: the legend covers member countries');
  await shot(page, 'phone-360-coverage');
  await page.context().close();
});

test('the printed list keeps the illustrative warning on every service', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await ready(page);
  await page.click('#results > li:nth-child(1) .add');
  await page.click('#results > li:nth-child(2) .add');
  await page.click('#tab-list');
  await page.waitForSelector('#selected li.chosen');
  await page.emulateMedia({ media: 'print' });
  const warned = await page.$$eval('#selected li.chosen', (els) => els.map((e) => {
    const w = e.querySelector('.warning');
    return Boolean(w && w.offsetParent !== null && /ilustrativo/i.test(w.textContent));
  }));
  assert.deepEqual(warned, [true, true]);
  await shot(page, 'print-illustrative');
  await page.context().close();
});

test('French practice details: long labels wrap instead of running into their values', async () => {
  for (const width of [360, 1280]) {
    const page = await newPage({ locale: 'fr-FR', viewport: { width, height: 800 } });
    await page.goto(`${base}/`);
    await ready(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.click('#tab-practices');
    await page.waitForSelector('#practices li.practice');
    await page.click('#practices li.practice:first-child .name');
    await page.waitForSelector('#details:not([hidden]) dl');
    const overlaps = await page.$$eval('#details dt', (dts) => dts.map((dt) => {
      const range = document.createRange();
      range.selectNodeContents(dt);
      const text = range.getBoundingClientRect();
      const dd = dt.nextElementSibling.getBoundingClientRect();
      const meets = text.right > dd.left + 0.5 && text.left < dd.right - 0.5 && text.bottom > dd.top + 0.5 && text.top < dd.bottom - 0.5;
      return { label: dt.textContent, over: meets || text.right > dt.getBoundingClientRect().right + 0.5 };
    }).filter((x) => x.over).map((x) => x.label));
    assert.deepEqual(overlaps, [], `${width} px`);
    assert.ok((await page.innerText('#details dl')).includes('Reproductibilité'));
    if (width === 360) await shot(page, 'practice-fr-360');
    await page.context().close();
  }
});

test('the demo has contacts and national hotlines like real data, every one fictitious and marked illustrative', async () => {
  const page = await newPage({ geolocation: { latitude: 14.634, longitude: -90.507 }, permissions: ['geolocation'] });
  await page.goto(`${base}/`);
  await ready(page);
  const mails = await page.$$eval('#results a[href^="mailto:"]', (els) => els.map((e) => e.getAttribute('href')));
  const phones = await page.$$eval('#results a[href^="tel:"]', (els) => els.map((e) => e.textContent));
  assert.ok(mails.length >= 3 && phones.length >= 3, `demo contacts: ${mails} ${phones}`);
  for (const m of mails) assert.match(m, /@([a-z0-9-]+\.)*example\.org$/);
  await page.check('input[name=where][value=me]');
  await page.click('#find-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#results-title').textContent.includes('cercano'));
  const pinned = await page.innerText('#available');
  assert.match(pinned, /Guatemala/);
  await page.click('#available-list > li:first-child .name');
  await page.waitForSelector('#details:not([hidden]) #details-title');
  assert.match(await page.innerText('#details-body'), /ilustrativo/i);
  await page.context().close();
});

/** Bytes that crossed the network for a page's navigation, as Chromium's network log counts them
 * (headers and compressed bodies; 0 for what its cache answered), split off the base layer. */
async function transferred(page, url) {
  const client = await page.context().newCDPSession(page);
  await client.send('Network.enable');
  const urls = new Map();
  const bytes = { page: 0, base: 0, requests: 0, fromNetwork: [] };
  client.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  client.on('Network.loadingFinished', (e) => {
    const where = urls.get(e.requestId) || '';
    if (where.includes('/vendor/world-atlas/') || /\/basemap[/_.]/.test(where)) bytes.base += e.encodedDataLength;
    else bytes.page += e.encodedDataLength;
    if (e.encodedDataLength > 0) { bytes.requests++; bytes.fromNetwork.push(`${where.replace(/^https?:\/\/[^/]+/, '')} ${e.encodedDataLength}`); }
  });
  await page.goto(url);
  await ready(page);
  await page.waitForSelector('#map-note[data-points]', { state: 'attached' }); // every match on the map
  await page.waitForTimeout(300);
  await client.detach();
  return bytes;
}

test('field budget: the first visit moves under 150 KB compressed, a repeat visit under 10 KB', async () => {
  const page = await newPage();
  const first = await transferred(page, `${base}/`);
  assert.ok(first.page < 150 * 1024, `first visit: ${first.page} bytes\n${first.fromNetwork.join('\n')}`);
  assert.ok(first.base > 0 && first.base < 150 * 1024, `base layer after the first results: ${first.base} bytes`);
  // A new visit in the same browser: the versioned assets come from its cache unasked, the page
  // and the API answers are revalidated (304) or still fresh.
  const again = await transferred(page, `${base}/`);
  assert.ok(again.page + again.base < 10 * 1024, `repeat visit: ${again.page + again.base} bytes\n${again.fromNetwork.join('\n')}`);
  const asset = await page.request.get(`${base}/`, { headers: { 'Accept-Encoding': 'gzip, br' } });
  const html = await asset.text();
  const script = /src="(\/v\/[0-9a-f]+\/js\/app\.js)"/.exec(html);
  assert.ok(script, 'the page names its modules under a versioned URL');
  const js = await page.request.get(`${base}${script[1]}`, { headers: { 'Accept-Encoding': 'br' } });
  assert.equal(js.headers()['content-encoding'], 'br');
  assert.equal(js.headers()['cache-control'], 'public, max-age=31536000, immutable');
  await page.context().close();
  console.log(`# field budget: first visit ${first.page} B (+ base layer ${first.base} B), repeat ${again.page + again.base} B`);
});

test('report a problem from the details: nothing personal asked, and a closure an editor triaged shows "reported on DATE, under review"', async () => {
  // A registry of its own: the report and the editor's token change it.
  const db = registry('reports', ['init', '--demo']);
  const server = await serve(db);
  const open = async (page, id) => {
    await page.goto(`${server}/`);
    await ready(page);
    await page.click(`#results > li[data-id="${id}"] .name`);
    await page.waitForSelector('#details:not([hidden]) .report-open');
  };
  const page = await newPage({}, server);
  await page.goto(`${server}/`);
  await ready(page);
  const id = (await resultIds(page))[0];
  const service = await (await page.request.get(`${server}/api/v1/services/${id}`)).json();
  const token = execFileSync(binary, ['--db', db, 'user', 'add', 'editora', '--role', 'editor', '--country', service.country],
    { encoding: 'utf8' }).trim();
  await open(page, id);
  assert.equal((await page.$$('#details .badge.reported')).length, 0, 'no notice before any report');

  await page.click('#details .report-open');
  await page.waitForSelector('#details .report-form');
  assert.match(await page.innerText('#details .report-form'), /No pedimos ni guardamos datos personales/);
  const fields = await page.$$eval('#details .report-form input, #details .report-form textarea, #details .report-form select',
    (els) => [...new Set(els.map((e) => e.name))]);
  assert.deepEqual(fields, ['reason', 'text'], 'the form asks for a reason and a text only');
  const reasons = await page.$$eval('#details .report-form input[name=reason]', (els) => els.map((e) => e.value));
  assert.deepEqual(reasons, ['closed', 'moved', 'wrong_phone', 'other']);
  assert.equal(await page.getAttribute('#details .report-form textarea', 'maxlength'), '500');
  const text = 'Cerró hace dos semanas, según la oficina vecina.';
  await page.check('#details .report-form input[value=closed]');
  await page.fill('#details .report-form textarea', text);
  assert.equal((await page.textContent('#details .report-count')).trim(), `${[...text].length} / 500 caracteres`);
  await shot(page, 'report-form');
  const [request, response] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url() === `${server}/api/v1/services/${id}/reports`),
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/reports')),
    page.click('#details .report-form button[type=submit]'),
  ]);
  assert.deepEqual(request.postDataJSON(), { reason: 'closed', text });
  assert.equal(request.headers().authorization, undefined, 'a report carries no token');
  assert.equal(response.status(), 201);
  const report = (await response.json()).id;
  await page.waitForSelector('#details .report-done');
  assert.match(await page.textContent('#details .report-done'), /Gracias/);
  assert.doesNotMatch(await page.innerText('#details-body'), /en revisión/, 'not shown before an editor triages it');
  await page.context().close();

  // Before the triage a new visit shows nothing; the public cannot read the report back.
  const before = await newPage({}, server);
  await open(before, id);
  assert.equal((await before.$$('#details .badge.reported')).length, 0, 'an untriaged report is not on the map');
  assert.equal((await before.request.get(`${server}/api/v1/reports/${report}`)).status(), 401);
  const triaged = await before.request.post(`${server}/api/v1/reports/${report}/triage`,
    { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(triaged.status(), 200, await triaged.text());
  await before.context().close();

  // After the triage, reloaded by a new visit (the record was cached for 60 s by the first).
  const after = await newPage({}, server);
  await open(after, id);
  await after.waitForSelector('#details .badge.reported');
  const today = await after.evaluate(() => new Date().toISOString().slice(0, 10));
  assert.equal((await after.textContent('#details .badge.reported')).trim(), `Reportado como cerrado el ${today}, en revisión`);
  assert.doesNotMatch(await after.innerText('#details-body'), /oficina vecina/, 'the text is never public');
  await shot(after, 'details-reported');
  await after.context().close();
});

test('very many matches: the map draws vector tiles from our own server instead of every point, and points again for fewer', async () => {
  const page = await newPage({}, tilesBase);
  const tiles = [];
  const pointPages = [];
  page.on('response', (r) => {
    if (r.url().includes('/tiles/services/')) tiles.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
    if (r.url().includes('view=map')) pointPages.push(r.url());
  });
  await page.goto(`${tilesBase}/`);
  await ready(page);
  await page.waitForSelector('#map-note[data-points="tiles"]', { state: 'attached' });
  await page.waitForSelector('path.tile-count, path.tile-service', { state: 'attached' });
  assert.ok(tiles.length > 0, 'tiles were asked for');
  for (const tile of tiles) {
    assert.equal(tile.status, 200, tile.url);
    assert.equal(tile.type, 'application/vnd.mapbox-vector-tile');
  }
  assert.deepEqual(pointPages, [], 'no pages of points while tiles draw the matches');
  assert.equal((await page.$$('.leaflet-marker-pane .mk, .leaflet-marker-pane .cluster')).length, 0, 'no markers over the tiles');
  assert.match(await page.textContent('#map-note'), /1[.,\s\u202f]?260 servicios, en teselas/);
  assert.ok((await page.$$('path.tile-count')).length > 0, 'counts at low zoom');
  await shot(page, 'map-tiles');

  // A count's click zooms in two levels: the next tiles are asked for at that zoom.
  const zoomOf = (url) => Number(/\/tiles\/services\/(\d+)\//.exec(url)[1]);
  const before = Math.max(...tiles.map((tile) => zoomOf(tile.url)));
  const deeper = page.waitForResponse((r) => r.url().includes('/tiles/services/') && zoomOf(r.url()) === before + 2);
  await page.click('path.tile-count');
  await deeper;

  // Filters the tiles answer go into their URL; fewer matches than the threshold: points again.
  tiles.length = 0;
  await page.selectOption('#f-type', 'LEG');
  await page.click('#find-form button[type=submit]');
  await page.waitForSelector('#map-note[data-points]:not([data-points="tiles"])', { state: 'attached' });
  assert.equal(await page.$$eval('path.tile-count, path.tile-service', (els) => els.length), 0, 'the tiles are gone');
  assert.ok((await page.$$('.leaflet-marker-pane .mk, .leaflet-marker-pane .cluster')).length > 0, 'markers again');
  await page.context().close();
});
