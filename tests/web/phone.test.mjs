// The page on a phone: axe-core's accessibility check (no serious or critical violation) in each
// view a caseworker reaches, at 320 px wide as well as on a desktop, and the first results within
// 3 s of a first visit over the 3G profile of DECISIONS.md (400 kbit/s down, 400 ms latency).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PHONE, finish, firstResultsAt, openPage, openPhoneOver3G, ready, registry, resultIds, serve, shot, source, startBrowser } from './harness.mjs';

const axeSource = readFileSync(path.join(source, 'http/web/node_modules/axe-core/axe.min.js'), 'utf8');

let base;

before(async () => {
  base = process.env.ENLACE_BASE_URL || (await serve(registry('phone', ['init', '--demo'])));
  await startBrowser();
});

after(finish);

/** The serious and critical violations axe-core finds in the page as it is now. */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (scripts from 'self' only) allows it.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Walks the views a caseworker reaches and checks each with axe-core. */
async function checkViews(page, name) {
  const checked = {};
  const check = async (view) => { checked[`${name} ${view}`] = await violations(page); };
  await page.goto(`${base}/`);
  await ready(page);
  await check('search and results');
  await page.click(`#results > li[data-id="${(await resultIds(page))[0]}"] .name`);
  await page.waitForSelector('#details:not([hidden]) .report-open');
  await check('service details');
  await page.click('#details .report-open');
  await page.waitForSelector('#details .report-form');
  await check('report form');
  await page.click('#details-close');
  for (const tab of ['practices', 'coverage', 'list']) {
    await page.click(`#tab-${tab}`);
    await page.waitForSelector(`#view-${tab}:not([hidden])`);
    await check(tab);
  }
  return checked;
}

test('axe-core finds no serious or critical violation on a desktop or at 320 px, in every view', async () => {
  const found = {};
  for (const [name, options] of [['desktop', {}], ['320 px', PHONE]]) {
    const page = await openPage(base, options);
    Object.assign(found, await checkViews(page, name));
    await page.context().close();
  }
  const failing = Object.entries(found).filter(([, list]) => list.length > 0);
  assert.deepEqual(failing, [], JSON.stringify(failing, null, 2));
  assert.equal(Object.keys(found).length, 12, 'six views in each of two sizes');
});

test('at 320 px over 3G: first results within 3 s of a first visit, nothing wider than the screen', async () => {
  const { page, client } = await openPhoneOver3G(base);
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  await page.waitForSelector('#results > li', { timeout: 15000 });
  const firstResults = await firstResultsAt(page);
  await ready(page);
  await shot(page, 'phone-3g-first-results');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `the page is ${widths.page} px wide on a ${widths.screen} px screen`);
  const search = await page.$eval('#find-form button[type=submit]', (b) => b.getBoundingClientRect().toJSON());
  assert.ok(search.width >= 44 && search.height >= 40, `the search button is ${search.width} x ${search.height} px, too small to tap`);
  console.log(`# 3G at 320 px: first results after ${Math.round(firstResults)} ms`);
  assert.ok(firstResults < 3000, `first results after ${Math.round(firstResults)} ms over 3G`);
  await client.detach();
  await page.context().close();
});
