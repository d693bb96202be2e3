// What every browser test file shares: registries made by `enlace`, `enlace serve` on free ports,
// Debian's chromium driven by playwright-core, and the checks that hold for every page opened
// (no request to another host, no uncaught error).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const source = path.resolve(here, '../..');
const require = createRequire(path.join(source, 'http/web/package.json'));
const { chromium } = require('playwright-core');

export const binary = process.env.ENLACE_BINARY || path.join(source, 'build/cli/enlace');
export const scratch = process.env.ENLACE_WEB_SCRATCH || path.join(source, 'build/tests/web-scratch');
export const artifacts = process.env.ENLACE_WEB_ARTIFACTS || path.join(source, 'build/tests/web-artifacts');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';

let browser;
const profiles = []; // browser contexts with a profile on disk (openProfilePage)
const servers = [];
const foreign = []; // requests to any host but the page's own server
const pageErrors = [];

/** A fresh registry file under the scratch folder, set up by `enlace` with each argument list. */
export function registry(name, ...commands) {
  mkdirSync(scratch, { recursive: true });
  const db = path.join(scratch, `web-${name}-${process.pid}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  for (const args of commands) execFileSync(binary, ['--db', db, ...args], { stdio: 'ignore' });
  return db;
}

/** `enlace serve` over the registry on a free port; resolves to its base URL. */
export async function serve(db, ...options) {
  const server = spawn(binary, ['--db', db, 'serve', '--port', '0', ...options], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /Enlace serving (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const browserArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function startBrowser() {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: browserPath, args: browserArgs });
}

/** Closes the browser and the servers, then checks what must hold for every page opened. */
export async function finish() {
  for (const context of profiles) await context.close();
  await browser?.close();
  for (const server of servers) server.kill('SIGTERM');
  assert.deepEqual(foreign, [], 'the page requested hosts other than the server');
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
}

/** A page in a new browser context (Spanish, desktop size unless `options` say otherwise). */
export async function openPage(server, options = {}) {
  const context = await browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 800 }, ...options });
  return watched(server, await context.newPage());
}

/**
 * A page of a browser with a profile of its own under the scratch folder, as a phone's browser
 * has: contexts of `openPage` are off the record, where Chromium installs no web app at all.
 */
export async function openProfilePage(server, name, options = {}) {
  const dir = path.join(scratch, `profile-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(dir, { executablePath: browserPath, args: browserArgs,
    locale: 'es-MX', viewport: { width: 1280, height: 800 }, ...options });
  profiles.push(context);
  return watched(server, context.pages()[0] ?? await context.newPage());
}

/** Records the page's requests to other hosts and its uncaught errors, which finish() checks. */
function watched(server, page) {
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${server}/`) && !url.startsWith('data:')) foreign.push(url);
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

/** A phone, and the 3G profile of DECISIONS.md (400 kbit/s, 400 ms latency). */
export const PHONE = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const THREE_G = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };

/**
 * A new phone page over 3G whose first result in the list is timed in the page, from the start of
 * the navigation (firstResultsAt); with its DevTools session, for the network log.
 */
export async function openPhoneOver3G(server) {
  const page = await openPage(server, PHONE);
  const client = await page.context().newCDPSession(page);
  await client.send('Network.enable');
  await client.send('Network.emulateNetworkConditions', THREE_G);
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector('#results > li')) return;
      window.firstResultsAt = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  return { page, client };
}
export const firstResultsAt = (page) => page.evaluate(() => window.firstResultsAt);

export const ready = (page) => page.waitForSelector('body[data-ready="true"]');
export const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false });
export const resultIds = (page) => page.$$eval('#results > li', (els) => els.map((e) => Number(e.dataset.id)));

/** Moves the page's own Leaflet map (map.js, imported as the page imported it) and waits until the
 * base layer has drawn that zoom. */
export async function moveMap(page, [lat, lon], zoom) {
  await page.evaluate(async ([lat, lon, zoom]) => {
    const app = document.querySelector('script[src*="/js/app.js"]').src;
    const { leafletMap } = await import(app.replace(/app\.js$/, 'map.js'));
    delete document.querySelector('#map').dataset.basemapZoom;
    leafletMap().setView([lat, lon], zoom, { animate: false });
  }, [lat, lon, zoom]);
  await page.waitForFunction((z) => document.querySelector('#map').dataset.basemapZoom === String(z), zoom, { timeout: 20000 });
}

/** The town labels on the map now. */
export const townLabels = (page) => page.$$eval('.leaflet-pane .town', (els) => els.map((e) => ({
  name: e.dataset.name, population: Number(e.dataset.population), zoom: Number(e.dataset.zoom), country: e.dataset.country,
  capital: e.classList.contains('capital'),
})));
