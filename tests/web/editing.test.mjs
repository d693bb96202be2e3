// Editing in the web page (issue 13, item 8), in Debian's chromium against `enlace serve` over a
// fresh demo registry, with real tokens made by `enlace user add`: an editor of Guatemala signs in
// with a token, edits a published service with a bad field (the server's 422 message shows next to
// the field), fixes it and submits it; a reviewer of Guatemala finds it in the queue, reads the
// diff and approves it; the history shows it; signing out clears the tab's storage; a problem
// reported with a service is triaged by an editor and resolved by a reviewer. A caseworker
// who never signs in gets the page as before: no editing UI, no request with a token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binary, finish, openPage, PHONE, ready, registry, serve, shot, source, startBrowser } from './harness.mjs';

const axeSource = readFileSync(path.join(source, 'http/web/node_modules/axe-core/axe.min.js'), 'utf8');

const SERVICE = 16; // the demo's Procuraduría de la Niñez, Guatemala City: published, public
let base; let db; let editorToken; let reviewerToken;

const userAdd = (name, role, country) => execFileSync(binary, ['--db', db, 'user', 'add', name, '--role', role, '--country', country],
  { encoding: 'utf8' }).trim();

/** Every request the page makes with a token, and the answers' Cache-Control. */
function watchTokens(page) {
  const seen = [];
  page.on('response', async (response) => {
    const auth = response.request().headers().authorization;
    if (auth) seen.push({ url: response.url(), auth, cache: response.headers()['cache-control'] || '' });
  });
  return seen;
}

async function signIn(page, token) {
  await page.goto(`${base}/#signin`);
  await ready(page);
  await page.waitForSelector('#view-edit:not([hidden]) #signin-token');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-token', 'the token field has the focus');
  await page.fill('#signin-token', token);
  await page.press('#signin-token', 'Enter'); // the keyboard's way: Enter submits the form
  await page.waitForSelector('#me-role');
}

/** axe-core's serious and critical violations in the page as it is now (as phone.test.mjs checks). */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) })));
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

before(async () => {
  db = registry('editing', ['init', '--demo']);
  editorToken = userAdd('ana', 'editor', 'GT');
  reviewerToken = userAdd('rita', 'reviewer', 'GT');
  base = await serve(db);
  await startBrowser();
});

after(finish);

test('a caseworker who never signs in sees no editing UI and sends no token', async () => {
  const page = await openPage(base);
  const asked = [];
  page.on('request', (r) => asked.push({ url: r.url(), auth: r.headers().authorization }));
  await page.goto(`${base}/`);
  await ready(page);
  assert.deepEqual(await page.$$eval('[role=tab]', (els) => els.map((e) => e.id)), ['tab-find', 'tab-practices', 'tab-coverage', 'tab-list']);
  assert.equal(await page.$('#view-edit, #tab-edit, #signin-form, .ed-account, .ed-edit'), null, 'no editing element');
  await page.click('#results > li:first-child .name');
  await page.waitForSelector('#details:not([hidden])');
  assert.equal(await page.$('#details .ed-edit, #details .ed-history'), null, 'no edit button on the details');
  assert.deepEqual(asked.filter((r) => r.auth), [], 'no request with Authorization');
  for (const r of asked) assert.doesNotMatch(r.url, /account\.js|editing\.js|session\.js|edit\.css|edit-es\.json|\/api\/v1\/me/, 'the editing parts are not loaded');
  await page.context().close();
});

test('a wrong token is refused and nothing is kept', async () => {
  const page = await openPage(base);
  await page.goto(`${base}/#signin`);
  await ready(page);
  await page.waitForSelector('#signin-token');
  await page.fill('#signin-token', 'enl_99_not-a-real-secret');
  await page.click('#signin-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#signin-form .ed-message').textContent.length > 0);
  assert.match(await page.textContent('#signin-form .ed-message'), /no acepta este token/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('enlace.token')), null);
  await page.context().close();
});

test('an editor edits a service, a reviewer approves it, the history shows it, signing out clears the tab', async () => {
  const editor = await openPage(base);
  const editorTokens = watchTokens(editor);
  await signIn(editor, editorToken);
  assert.equal(await editor.getAttribute('#me-role', 'data-role'), 'editor');
  assert.equal(await editor.textContent('#me-role'), 'edición');
  assert.equal(await editor.textContent('#me-countries'), 'GT');
  assert.equal(await editor.textContent('#me-name'), 'ana');
  // The token is in this tab's sessionStorage only.
  assert.equal(await editor.evaluate(() => sessionStorage.getItem('enlace.token')), editorToken);
  assert.ok(!(await editor.evaluate(() => JSON.stringify({ ...localStorage }))).includes(editorToken), 'not in localStorage');

  // A latitude out of range: the server's 422 message next to the latitude, which gets the focus.
  await editor.selectOption('#edit-open-kind', 'service');
  await editor.fill('#edit-open-id', String(SERVICE));
  await editor.click('#edit-open button[type=submit]');
  await editor.waitForSelector(`.ed-form[data-id="${SERVICE}"]`);
  assert.equal(await editor.inputValue('#ed-service-name-es'), 'Procuraduría de la Niñez y la Adolescencia – sede central');
  await editor.fill('#ed-service-location-lat', '200');
  await editor.fill('#ed-service-age-min', '5');
  await editor.click('.ed-form button[type=submit]');
  await editor.waitForFunction(() => document.querySelector('#ed-service-location-lat-error').textContent.length > 0);
  assert.match(await editor.textContent('#ed-service-location-lat-error'), /latitude between -90 and 90/);
  assert.equal(await editor.getAttribute('#ed-service-location-lat', 'aria-invalid'), 'true');
  assert.equal(await editor.getAttribute('#ed-service-location-lat', 'aria-describedby'), 'ed-service-location-lat-error');
  assert.equal(await editor.evaluate(() => document.activeElement.id), 'ed-service-location-lat');
  assert.match(await editor.textContent('.ed-summary'), /Revise los campos marcados \(1\)/);
  // Nothing was stored.
  assert.equal((await (await editor.request.get(`${base}/api/v1/services/${SERVICE}`)).json()).age.min, 0);

  // Fixed: saved as a pending revision of the published service, then submitted.
  await editor.fill('#ed-service-location-lat', '14.64');
  await editor.click('.ed-form button[type=submit]');
  await editor.waitForSelector('.ed-message.ok');
  assert.match(await editor.textContent('.ed-message.ok'), /revisión pendiente/);
  assert.equal(await editor.textContent('#ed-service-location-lat-error'), '');
  assert.equal(await editor.inputValue('#ed-service-age-min'), '5', 'the form shows the proposal');
  await editor.click('.ed-submit');
  await editor.waitForFunction(() => /Enviado a revisión/.test(document.querySelector('.ed-message')?.textContent || ''));
  assert.equal((await (await editor.request.get(`${base}/api/v1/services/${SERVICE}`)).json()).age.min, 0, 'the published version stays live');

  // Every request with the token went to this server's API, and none of its answers may be kept.
  assert.ok(editorTokens.length >= 5, `requests with the token: ${editorTokens.length}`);
  for (const r of editorTokens) {
    assert.ok(r.url.startsWith(`${base}/api/v1/`), r.url);
    assert.equal(r.auth, `Bearer ${editorToken}`);
    assert.match(r.cache, /no-store/, `${r.url}: ${r.cache}`);
  }

  await editor.click('#signout');
  await editor.waitForFunction(() => !document.querySelector('#tab-edit'));
  assert.equal(await editor.evaluate(() => sessionStorage.getItem('enlace.token')), null, 'sign-out clears sessionStorage');
  assert.equal(await editor.$('#view-edit'), null);
  assert.equal(await editor.getAttribute('#tab-find', 'aria-selected'), 'true');
  const before = editorTokens.length;
  await editor.reload();
  await ready(editor);
  assert.equal(await editor.$('#tab-edit'), null, 'a reload after sign-out is the public page');
  assert.equal(editorTokens.length, before, 'no request with the token after sign-out');
  await editor.context().close();

  // The reviewer: the queue, the diff against the published version, approve with a comment.
  const reviewer = await openPage(base);
  await signIn(reviewer, reviewerToken);
  assert.equal(await reviewer.textContent('#me-role'), 'revisión');
  await reviewer.click('#open-queue');
  const item = `.ed-queue li[data-kind="service"][data-id="${SERVICE}"]`;
  await reviewer.waitForSelector(item);
  assert.match(await reviewer.textContent(item), /cambio de una ficha publicada/);
  assert.match(await reviewer.textContent(item), /user:ana/);
  await reviewer.click(`${item} button`);
  await reviewer.waitForSelector('.ed-changes');
  const diff = await reviewer.$$eval('.ed-changes > li', (els) => els.map((e) => ({ path: e.dataset.path, before: e.querySelector('del').textContent, after: e.querySelector('ins').textContent })));
  assert.deepEqual(diff.map((d) => d.path).sort(), ['age', 'location']);
  assert.match(diff.find((d) => d.path === 'location').before, /14\.63/);
  assert.match(diff.find((d) => d.path === 'location').after, /14\.64/);
  // Request changes needs a comment: said before anything is sent.
  await reviewer.click('.ed-request');
  assert.match(await reviewer.textContent('.ed-message'), /Diga qué hay que cambiar/);
  await reviewer.fill(`#ed-comment-service-${SERVICE}`, 'Edad y ubicación confirmadas por teléfono');
  await reviewer.click('.ed-approve');
  await reviewer.waitForSelector('.ed-message.ok');
  assert.match(await reviewer.textContent('.ed-message.ok'), /Aprobado/);
  assert.equal(await reviewer.$(item), null, 'no longer in the queue');
  const published = await (await reviewer.request.get(`${base}/api/v1/services/${SERVICE}`)).json();
  assert.equal(published.age.min, 5);
  assert.equal(published.location.lat, 14.64);

  // The history, from the service's details (the reviewer is in scope): approve with its comment.
  await reviewer.click('#tab-find');
  await reviewer.fill('#f-q', 'Procuraduría de la Niñez y la Adolescencia');
  await reviewer.click('#find-form button[type=submit]');
  await reviewer.waitForSelector(`#results > li[data-id="${SERVICE}"]`);
  await reviewer.click(`#results > li[data-id="${SERVICE}"] .name`);
  await reviewer.waitForSelector('#details:not([hidden]) .ed-history');
  await reviewer.click('#details .ed-history');
  await reviewer.waitForSelector('.ed-history-list');
  const actions = await reviewer.$$eval('.ed-history-list > li', (els) => els.map((e) => e.dataset.action));
  assert.deepEqual(actions.slice(0, 3), ['approve', 'submit', 'revise']);
  const approved = '.ed-history-list > li[data-action="approve"]';
  assert.match(await reviewer.textContent(approved), /Aprobado/);
  assert.match(await reviewer.textContent(approved), /user:rita/);
  assert.match(await reviewer.textContent(approved), /Edad y ubicación confirmadas por teléfono/);
  assert.deepEqual(await reviewer.$$eval(`${approved} .ed-changes > li`, (els) => els.map((e) => e.dataset.path).sort()), ['age', 'location']);
  await reviewer.context().close();
});

test('a stale version is refused with an offer to reload; an actor form shows a missing field; a practice sent back, then rejected', async () => {
  const page = await openPage(base);
  await signIn(page, editorToken);
  await page.fill('#edit-open-id', String(SERVICE));
  await page.click('#edit-open button[type=submit]');
  await page.waitForSelector(`.ed-form[data-id="${SERVICE}"]`);
  // Someone else changes the service meanwhile (the API, with the same editor's token).
  const etag = (await page.request.get(`${base}/api/v1/services/${SERVICE}`, { headers: { Authorization: `Bearer ${editorToken}` } })).headers().etag;
  const other = await page.request.fetch(`${base}/api/v1/services/${SERVICE}`, {
    method: 'PATCH', headers: { Authorization: `Bearer ${editorToken}`, 'If-Match': etag, 'Content-Type': 'application/merge-patch+json' },
    data: JSON.stringify({ capacity: 30 }),
  });
  assert.equal(other.status(), 202);
  await page.fill('#ed-service-capacity', '40');
  await page.click('.ed-form button[type=submit]');
  await page.waitForSelector('.ed-message.error .ed-reload');
  assert.match(await page.textContent('.ed-message.error'), /Otra persona cambió esta ficha/);
  await page.click('.ed-reload');
  await page.waitForFunction(() => document.querySelector('#ed-service-capacity')?.value === '30');

  // A new actor without its type: the message at the type's field; then created.
  await page.click('#new-actor');
  await page.waitForSelector('.ed-form[data-kind="actor"]');
  await page.fill('#ed-actor-name-es', 'Mesa interinstitucional de niñez migrante');
  await page.selectOption('#ed-actor-countries', ['GT']);
  await page.click('.ed-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#ed-actor-actor_type-error')?.textContent.length > 0);
  assert.match(await page.textContent('#ed-actor-actor_type-error'), /is required/);
  await page.fill('#ed-actor-actor_type', 'GOV_CP');
  await page.click('.ed-form button[type=submit]');
  await page.waitForSelector('.ed-form[data-kind="actor"][data-id]:not([data-id=""])');
  assert.match(await page.textContent('.ed-message.ok'), /Actor creado/);

  // A practice of Guatemala (the demo's 4, published): a changed English title waits for review.
  await page.selectOption('#edit-open-kind', 'practice');
  await page.fill('#edit-open-id', '4');
  await page.click('#edit-open button[type=submit]');
  await page.waitForSelector('.ed-form[data-kind="practice"][data-id="4"]');
  assert.deepEqual(await page.$$eval('#ed-practice-axes option:checked', (els) => els.map((e) => e.value)).then((v) => v.length > 0), true);
  await page.fill('#ed-practice-title-en', 'Differentiated reception of returned children (revised)');
  await page.click('.ed-form button[type=submit]');
  await page.waitForSelector('.ed-message.ok');
  assert.match(await page.textContent('.ed-message.ok'), /revisión pendiente/);
  const revisions = await (await page.request.get(`${base}/api/v1/practices/4/revisions`, { headers: { Authorization: `Bearer ${editorToken}` } })).json();
  assert.deepEqual(revisions.items[0].changes.map((c) => c.path), ['title'], 'only what the editor changed');
  await page.click('.ed-submit');
  await page.waitForFunction(() => /Enviado a revisión/.test(document.querySelector('.ed-message')?.textContent || ''));

  // The reviewer sends it back with a comment; the editor's form shows it; resubmitted, rejected.
  const reviewer = await openPage(base);
  await signIn(reviewer, reviewerToken);
  const review = async () => {
    await reviewer.click('#open-queue');
    await reviewer.waitForSelector('.ed-queue li[data-kind="practice"][data-id="4"]');
    await reviewer.click('.ed-queue li[data-kind="practice"][data-id="4"] button');
    await reviewer.waitForSelector('.ed-changes li[data-path="title"]');
  };
  await review();
  await reviewer.fill('#ed-comment-practice-4', 'El título en inglés debe seguir al español');
  await reviewer.click('.ed-request');
  await reviewer.waitForSelector('.ed-message.ok');
  assert.match(await reviewer.textContent('.ed-message.ok'), /Devuelto/);
  await page.click('.ed-history'); // back and forth: the form again, as it now stands
  await page.waitForSelector('.ed-history-list li[data-action="request-changes"]');
  assert.match(await page.textContent('.ed-history-list li[data-action="request-changes"]'), /El título en inglés debe seguir al español/);
  await page.click('.ed-work .actions button'); // Volver
  await page.waitForSelector('.ed-state[data-state="changes_requested"]');
  assert.match(await page.textContent('.ed-state'), /El título en inglés debe seguir al español/);
  await page.click('.ed-submit');
  await page.waitForFunction(() => /Enviado a revisión/.test(document.querySelector('.ed-message')?.textContent || ''));
  await review();
  await reviewer.click('.ed-reject');
  await reviewer.waitForSelector('.ed-message.ok');
  assert.match(await reviewer.textContent('.ed-message.ok'), /rechazado/);
  const practice = await (await reviewer.request.get(`${base}/api/v1/practices/4`)).json();
  assert.equal(practice.title.en, 'National reception protocol and Casa Nuestras Raíces', 'the published version stays');
  await reviewer.context().close();
  await page.context().close();
});

test('an editor verifies, deletes and restores a service, and withdraws a draft from review', async () => {
  // A published service of its own (the demo's are linked from practices, which a delete refuses).
  const record = (name) => {
    const file = path.join(path.dirname(db), `${name.replace(/ /g, '-')}-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ name: { es: name }, types: ['PRO.AUTHORITY'], country: 'GT', location: { lon: -90.6, lat: 14.7 } }));
    return file;
  };
  const target = JSON.parse(execFileSync(binary, ['--db', db, 'add', record('Oficina para eliminar')], { encoding: 'utf8' })).id;
  const publicStatus = async (id) => (await fetch(`${base}/api/v1/services/${id}`)).status;
  const page = await openPage(base);
  await signIn(page, editorToken);
  const open = async (id) => {
    await page.fill('#edit-open-id', String(id));
    await page.click('#edit-open button[type=submit]');
    await page.waitForSelector(`.ed-form[data-id="${id}"]`);
  };
  await page.selectOption('#edit-open-kind', 'service');
  await open(target);
  await page.click('.ed-verify');
  await page.waitForSelector('.ed-message.ok:has-text("verificado hoy")');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await (await fetch(`${base}/api/v1/services/${target}`)).json()).last_verified, today);

  await page.click('.ed-delete');
  await page.waitForSelector('.ed-delete-yes'); // asked once more
  assert.equal(await publicStatus(target), 200, 'nothing deleted before the confirmation');
  await page.click('.ed-delete-yes');
  await page.waitForSelector(`.ed-message:has-text("Registro ${target} eliminado")`);
  assert.equal(await publicStatus(target), 404, 'a deleted service leaves the public reads');
  await page.click('.ed-restore');
  await page.waitForSelector(`.ed-form[data-id="${target}"]`);
  await page.waitForSelector('.ed-message:has-text("Registro restaurado")');
  assert.equal(await publicStatus(target), 200, 'restored');

  // A draft of ana's, submitted from the shell, withdrawn in the page.
  const draft = JSON.parse(execFileSync(binary, ['--db', db, '--as', 'ana', 'add', record('Borrador para retirar')], { encoding: 'utf8' })).id;
  execFileSync(binary, ['--db', db, '--as', 'ana', 'review', 'submit', String(draft)], { encoding: 'utf8' });
  await open(draft);
  assert.equal(await page.getAttribute('.ed-state', 'data-state'), 'in_review');
  await page.click('.ed-withdraw');
  await page.waitForSelector('.ed-message:has-text("Retirado de la revisión")');
  assert.equal(await page.getAttribute('.ed-state', 'data-state'), 'withdrawn');
  await page.context().close();
});

test('on a phone, signed in: the tabs and the form fit, the session survives a reload, nothing read with the token is cached', async () => {
  const page = await openPage(base, PHONE);
  await signIn(page, editorToken);
  const width = await page.evaluate(() => window.innerWidth);
  for (const box of await page.$$eval('[role=tab]', (els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
    assert.ok(box.left >= 0 && box.right <= width + 0.5, `tab inside the viewport: ${JSON.stringify(box)}`);
  }
  await page.click('#new-service');
  await page.waitForSelector('.ed-form[data-kind="service"]');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling');
  await page.click('.ed-form button[type=submit]'); // empty: the server's messages by their fields
  await page.waitForFunction(() => document.querySelector('#ed-service-types-error')?.textContent.length > 0);
  assert.deepEqual(await violations(page), [], 'the form with its messages, at 320 px');
  // English: the form's labels follow the language switch.
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#tab-edit').textContent === 'Editing');
  assert.equal(await page.textContent('label[for="ed-service-location-lat"]'), 'Latitude');
  assert.equal(await page.textContent('label[for="ed-service-name-en"]'), 'English');
  assert.equal(await page.textContent('.ed-work h3'), 'New service');
  assert.equal(await page.textContent('#ed-service-status option[value="temporarily_closed"]'), 'Temporarily closed');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling in English');
  await shot(page, 'edit-phone-en');

  // The service worker the page uses offline, installed; then a reload resumes the session.
  await page.evaluate(async () => { await navigator.serviceWorker.register('/sw.js'); await navigator.serviceWorker.ready; });
  await page.reload();
  await ready(page);
  await page.waitForSelector('#tab-edit');
  await page.click('#tab-edit');
  await page.fill('#edit-open-id', String(SERVICE));
  await page.click('#edit-open button[type=submit]');
  await page.waitForSelector(`.ed-form[data-id="${SERVICE}"]`);
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
    return urls;
  });
  assert.ok(cached.length > 0, 'the worker cached the page');
  assert.deepEqual(cached.filter((u) => /\/api\/|\/ogcapi/.test(u)), [], 'no API answer in the cache');
  await page.context().close();
});

test('an editor looks into a reported closure from the reports view, and resolving it takes the notice off the listing', async () => {
  const file = path.join(path.dirname(db), `reported-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ name: { es: 'Oficina con un aviso' }, types: ['PRO.AUTHORITY'], country: 'GT', location: { lon: -90.55, lat: 14.62 } }));
  const service = JSON.parse(execFileSync(binary, ['--db', db, 'add', file], { encoding: 'utf8' })).id;
  // Anyone files a report, without a token.
  const filed = await fetch(`${base}/api/v1/services/${service}/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ reason: 'closed', text: 'Cerró en octubre, dice el guardia' }) });
  assert.equal(filed.status, 201);
  const report = (await filed.json()).id;
  const problems = async () => (await (await fetch(`${base}/api/v1/services/${service}`)).json()).reported_problems ?? [];
  assert.deepEqual(await problems(), [], 'a new report is not shown to the public');

  const page = await openPage(base);
  await signIn(page, editorToken);
  await page.click('#open-reports');
  const item = `.ed-reports li[data-id="${report}"]`;
  await page.waitForSelector(`${item}[data-status="new"]`);
  const seen = await page.textContent(item);
  assert.ok(seen.includes('Cerró') && seen.includes(`servicio ${service}`), seen);
  assert.ok(!seen.includes('dice el guardia'), 'the text is for reviewers only (docs/security.md)');
  assert.deepEqual(await violations(page), [], 'the reports view');
  await shot(page, 'edit-reports');

  await page.click(`${item} .ed-report-triage`);
  await page.waitForSelector(`${item}[data-status="triaged"]`);
  await page.waitForSelector('.ed-message.ok:has-text("En revisión")');
  assert.deepEqual((await problems()).map((p) => p.reason), ['closed'], 'a triaged closure is on the public listing');
  await page.context().close();

  // A reviewer of the country reads the text while the report is open, and resolves it.
  const reviewer = await openPage(base);
  await signIn(reviewer, reviewerToken);
  await reviewer.click('#open-reports');
  await reviewer.waitForSelector(`${item}[data-status="triaged"]`);
  assert.ok((await reviewer.textContent(item)).includes('Cerró en octubre, dice el guardia'));
  await reviewer.click(`${item} .ed-report-resolve`);
  await reviewer.waitForSelector(`${item}[data-status="resolved"]`);
  assert.equal(await reviewer.$(`${item} button.ed-report-resolve`), null, 'a closed report takes no more decisions');
  assert.ok(!(await reviewer.textContent(item)).includes('dice el guardia'), 'the text goes once the report is closed');
  assert.deepEqual(await problems(), [], 'resolved: the notice is off the listing');

  // The service's link opens its form.
  await reviewer.click(`${item} button.link`);
  await reviewer.waitForSelector(`.ed-form[data-id="${service}"]`);
  await reviewer.context().close();
});
