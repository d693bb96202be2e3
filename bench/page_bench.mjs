// The web map's first visit on a phone over 3G (DECISIONS.md: 400 kbit/s down, 400 ms latency),
// at 320 px in Debian's chromium: time to the first result in the list (timed in the page, from
// the start of the navigation) and bytes transferred until then and until every match is on the
// map. Each run is a new browser context (an empty cache).
//   node bench/page_bench.mjs [RUNS]     (RUNS: 9 default; ENLACE_BINARY as for the browser tests)
import { finish, firstResultsAt, openPhoneOver3G, ready, registry, serve, startBrowser } from '../tests/web/harness.mjs';

const runs = Number(process.argv[2] || 9);

const base = process.env.ENLACE_BASE_URL || (await serve(registry('page-bench', ['init', '--demo'])));
await startBrowser();

async function visit() {
  const { page, client } = await openPhoneOver3G(base);
  let bytes = 0;
  client.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  await page.waitForSelector('#results > li', { timeout: 30000 });
  const beforeResults = bytes;
  const first = await firstResultsAt(page);
  await ready(page);
  await page.waitForSelector('#map-note[data-points]', { state: 'attached', timeout: 30000 });
  const all = bytes;
  await page.context().close();
  return { first, beforeResults, all };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await visit());
await finish();
const rank = (values, q) => { const v = [...values].sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]; };
const row = (name, values, unit) => console.log(`| ${name} | ${Math.round(rank(values, 0.5)).toLocaleString('en')} ${unit} | ${Math.round(rank(values, 0.99)).toLocaleString('en')} ${unit} |`);
console.log(`3G first visit at 320 px, ${runs} runs, ${base}`);
console.log('| figure | median | p99 (nearest rank) |\n|---|---|---|');
row('first result in the list', results.map((r) => r.first), 'ms');
row('bytes until the first result', results.map((r) => r.beforeResults), 'B');
row('bytes until every match is on the map (base layer included)', results.map((r) => r.all), 'B');
