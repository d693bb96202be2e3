// The Strategic Plan in the web page (issue 16, item 8), in Debian's chromium against `enlace
// serve` over a fresh demo registry with real tokens: an editor of Guatemala opens the overview
// (every cell missing, marked so), proposes an entity for an action in the Guatemala form and sees
// the overview change, with no confirm button; a compiler confirms it, adds a dated note and
// downloads the XLSX table; the view has no serious axe-core violation on a 320 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { binary, finish, openPage, PHONE, ready, registry, serve, shot, source, startBrowser } from './harness.mjs';

const axeSource = readFileSync(path.join(source, 'http/web/node_modules/axe-core/axe.min.js'), 'utf8');
let base; let db; let editorToken; let compilerToken;

const userAdd = (...args) => execFileSync(binary, ['--db', db, 'user', 'add', ...args], { encoding: 'utf8' }).trim();
const cellOf = (page, action, country) => page.$eval(`#plan-overview tr[data-action="${action}"] td[data-country="${country}"]`,
  (td) => ({ status: td.className, text: td.textContent }));

async function openPlan(page, token) {
  await page.goto(`${base}/#signin`);
  await ready(page);
  await page.waitForSelector('#signin-token');
  await page.fill('#signin-token', token);
  await page.press('#signin-token', 'Enter');
  await page.waitForSelector('#open-plan');
  await page.click('#open-plan');
  await page.waitForSelector('#plan-overview');
}

before(async () => {
  db = registry('plan', ['init', '--demo']);
  editorToken = userAdd('ana', '--role', 'editor', '--country', 'GT');
  compilerToken = userAdd('iom', '--role', 'compiler');
  base = await serve(db);
  await startBrowser();
});

after(finish);

test('a focal point proposes for its country; a compiler confirms, notes and downloads', async () => {
  const editor = await openPage(base);
  await openPlan(editor, editorToken);
  assert.equal(await editor.$$eval('#plan-overview tbody tr', (rows) => rows.length), 15, 'one row per action');
  assert.equal(await editor.$$eval('#plan-overview thead th', (ths) => ths.length), 12, 'the action and 11 countries');
  assert.match(await editor.textContent('#plan-missing'), /^165 de 165 casillas/);
  assert.deepEqual(await cellOf(editor, '1.1.1', 'GT'), { status: 'plan-missing', text: '— falta' });
  assert.equal(await editor.inputValue('#plan-country'), 'GT', "the form is the focal point's country");
  const action = '#plan-1_1_1';
  await editor.check(`${action} .plan-actor:has-text("PGN") input`);
  await editor.click(`${action} .plan-save`);
  await editor.waitForFunction(() => document.querySelector('#plan-overview tr[data-action="1.1.1"] td[data-country="GT"]').className === 'plan-proposed');
  assert.match(await editor.textContent('#plan-missing'), /^164 de 165/);
  assert.match(await editor.textContent(`${action} summary`), /propuesta/);
  assert.equal(await editor.$(`${action} .plan-confirm`), null, 'an editor does not confirm');
  // Another country's form is read-only for this focal point.
  await editor.selectOption('#plan-country', 'SV');
  await editor.waitForSelector('#plan-form h4:has-text("SV")');
  assert.equal(await editor.$('#plan-form .plan-save, #plan-form .plan-note'), null, 'no form for another country');
  await shot(editor, 'plan-editor');
  await editor.context().close();

  const compiler = await openPage(base);
  await openPlan(compiler, compilerToken);
  await compiler.selectOption('#plan-country', 'GT');
  await compiler.waitForSelector(`${action} .plan-confirm`);
  await compiler.click(`${action} .plan-confirm`);
  await compiler.waitForFunction(() => document.querySelector('#plan-overview tr[data-action="1.1.1"] td[data-country="GT"]').className === 'plan-confirmed');
  assert.match(await compiler.textContent(`${action} summary`), /confirmada/);
  assert.match(await compiler.textContent(action), /Procuraduría General de la Nación/);
  await compiler.click(`${action} summary`); // a confirmed action starts closed
  await compiler.fill(`${action}-on`, '2026-11-30');
  await compiler.fill(`${action}-note`, 'Confirmado en la reunión virtual');
  await compiler.click(`${action} .plan-add-note`);
  await compiler.waitForSelector(`${action} .plan-notes li:has-text("Confirmado en la reunión virtual")`, { state: 'attached' });
  const [download] = await Promise.all([compiler.waitForEvent('download'), compiler.click('#plan-xlsx')]);
  assert.equal(download.suggestedFilename(), 'strategic-plan.xlsx');
  const saved = await download.path();
  assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK', 'a workbook (zip)');
  await compiler.context().close();

  const history = JSON.parse(execFileSync(binary, ['--db', db, 'plan', 'history', '1.1.1', '--country', 'GT'], { encoding: 'utf8' }));
  assert.deepEqual(history.map((c) => [c.change, c.who]), [['propose', 'user:ana'], ['confirm', 'user:iom'], ['note', 'user:iom']]);
});

test('the Plan view on a 320 px phone: no serious axe-core violation', async () => {
  const page = await openPage(base, PHONE);
  await openPlan(page, editorToken);
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  assert.deepEqual(found, []);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `the page does not scroll sideways (${width} px): the overview scrolls in its own box`);
  await shot(page, 'plan-phone');
  await page.context().close();
});
