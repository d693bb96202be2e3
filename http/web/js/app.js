// Enlace web map: find services (filters, near me, near a place), details, a printable list,
// good practices and coverage. Talks only to the server it was loaded from. The parts:
// find.js (searches, results, paging), map.js, details.js, list.js, practices.js, coverage.js;
// dom.js (h(), fill(), api()), state.js (memory and reference data), records.js (a service in words).
import { t, setLanguage, pickLanguage, lang, localized, languageName, apply } from './i18n.js';
import { $, h, api, status, fail } from './dom.js';
import { POPULATIONS, SPOKEN, state } from './state.js';
import { renderResults, search, wireFind } from './find.js';
import { closeDetails } from './details.js';
import { renderList, saveSelected, shareLink } from './list.js';
import { drawLegend, hideServices, loadOutlines, mapReady } from './map.js';

// The tabs' own modules load when a tab is first opened: the first results need neither.
const practices = () => import('./practices.js');
const coverage = () => import('./coverage.js');
const searchPractices = () => practices().then((m) => m.searchPractices()).catch(fail);
// Offline use (offline.js) loads when a copy is saved on this phone or the user asks for one.
const offline = () => import('./offline.js');
// Signing in (account.js) loads only for /#signin or a tab that holds a token (session.js's key).
const account = () => import('./account.js');
const wantsAccount = () => { try { return location.hash === '#signin' || Boolean(sessionStorage.getItem('enlace.token')); } catch { return false; } };
const hasOfflineCopy = () => { try { return Boolean(localStorage.getItem('enlace.offline')); } catch { return false; } };

function fillSelect(select, options, keepFirst = true) {
  const value = select.value;
  const first = keepFirst ? select.options[0] : null;
  select.replaceChildren(...(first ? [first] : []), ...options);
  select.value = value;
}

function typeOptions(marked = true) {
  return state.taxonomy.map((x) => h('option', { value: x.code, class: x.parent ? 'child' : 'family' },
    `${x.parent ? '\u00a0\u00a0\u00a0' : ''}${localized(x.labels).text}${marked && x.sensitive ? ' *' : ''}`));
}

function fillFilters() {
  const countries = () => [...state.countries].sort((a, b) => localized(a.names).text.localeCompare(localized(b.names).text, lang()))
    .map((c) => h('option', { value: c.alpha2 }, localized(c.names).text));
  fillSelect($('#f-country'), countries());
  fillSelect($('#p-country'), countries());
  fillSelect($('#f-type'), typeOptions());
  fillSelect($('#p-type'), typeOptions());
  fillSelect($('#c-type'), typeOptions(false), false);
  if (!$('#c-type').value) $('#c-type').value = 'REC';
  fillSelect($('#f-population'), POPULATIONS.map((p) => h('option', { value: p }, t(`pop_${p}`))));
  fillSelect($('#f-language'), SPOKEN.map((l) => h('option', { value: l }, languageName(l))));
  fillSelect($('#p-axis'), [1, 2, 3, 4, 5].map((a) => h('option', { value: a }, t(`axis_${a}`))));
  // A place of sensitive sites only sits at their coarsened point: said so in its name.
  fillSelect($('#f-place'), state.places.map((p, i) => h('option', { value: i }, `${p.name} (${p.country}${p.approximate ? `, ${t('place_approximate')}` : ''})`)));
}

function showView(view) {
  const leaving = state.view;
  state.view = view;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  for (const panel of document.querySelectorAll('[role="tabpanel"]')) panel.hidden = panel.id !== `view-${view}`;
  document.body.dataset.view = view;
  status(view === 'find' ? $('#results-title').textContent : '');
  if (!$('#details').hidden) closeDetails();
  if (leaving === 'coverage' && view !== 'coverage') { coverage().then((m) => m.unshadeCountries()).catch(fail); hideServices(false).catch(fail); }
  if (view === 'coverage') { hideServices(true).catch(fail); coverage().then((m) => m.renderCoverage()).catch(fail); mapReady().then((m) => m.fitBounds([[6, -118], [52, -60]])); }
  if (view === 'practices' && !state.practices) searchPractices();
  if (view === 'list') renderList();
  setTimeout(() => mapReady().then((m) => m.invalidateSize()).catch(fail), 0);
}

function wire() {
  // Through the tab list, so that the editing tab a sign-in adds (account.js) works the same.
  const nav = $('.tabs');
  nav.addEventListener('click', (ev) => { const tab = ev.target.closest('[role="tab"]'); if (tab) showView(tab.dataset.view); });
  nav.addEventListener('keydown', (ev) => {
    const tab = ev.target.closest('[role="tab"]');
    if (!tab) return;
    const tabs = [...nav.querySelectorAll('[role="tab"]')];
    const i = tabs.indexOf(tab);
    const next = ev.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : ev.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
    if (next) { ev.preventDefault(); next.focus(); showView(next.dataset.view); }
  });
  $('#find-form').addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
  $('#find-form').addEventListener('reset', () => setTimeout(() => { updateWhere(); search(); }, 0));
  for (const radio of document.querySelectorAll('input[name="where"]')) radio.addEventListener('change', updateWhere);
  wireFind();
  $('#offline-save').addEventListener('click', () => offline()
    .then((m) => m.saveChosen($('#f-country').value || state.pointCountries?.[0] || '')).catch(fail));
  $('#practice-form').addEventListener('submit', (ev) => { ev.preventDefault(); searchPractices(); });
  $('#c-type').addEventListener('change', () => coverage().then((m) => m.shadeCountries()).catch(fail));
  $('#details-close').addEventListener('click', closeDetails);
  $('#details').addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeDetails(); });
  $('#print').addEventListener('click', () => window.print());
  $('#share').addEventListener('click', async () => {
    const link = shareLink();
    try { await navigator.clipboard.writeText(link); status(t('copied')); } catch { status(link); }
  });
  $('#clear-list').addEventListener('click', () => { state.selected.clear(); saveSelected(); renderList(); });
  $('#lang').addEventListener('change', async (ev) => {
    await setLanguage(ev.target.value);
    fillFilters();
    drawLegend();
    if (state.view === 'find') await search();
    else { state.practices = null; showView(state.view); }
  });
}

function updateWhere() {
  $('.place-field').hidden = $('#find-form').elements.where.value !== 'place';
}

async function start() {
  wire();
  const chosen = pickLanguage();
  $('#lang').value = chosen;
  // The reference data and the first search go out together (the page hints all of them): on a
  // 3G line every wait for one answer before asking the next costs about 400 ms.
  // The legend and the filters are drawn in words, so after the dictionary too: a saved copy
  // (offline) can answer before the dictionary is read.
  const language = setLanguage(chosen);
  const reference = Promise.all([
    api('/config.json').catch(() => ({})),
    api('/api/v1/taxonomy'), api('/api/v1/countries'), api('/api/v1/places').catch(() => ({ places: [] })), language,
  ]).then(([config, taxonomy, countries, places]) => {
    Object.assign(state, { config, taxonomy: taxonomy.items, countries: countries.items, places: places.places });
    drawLegend();
    fillFilters();
    apply();
  });
  await language;
  // Actors give services their contacts; the endpoint may not exist on older servers.
  api('/api/v1/actors?limit=1000').then((d) => { state.actors = new Map(d.items.map((a) => [a.id, a])); return reference; })
    .then(renderResults).catch(() => { state.actors = new Map(); });
  const fromLink = /#list=([\d,]+)/.exec(location.hash);
  let saved = '';
  try { saved = sessionStorage.getItem('enlace.selected') || ''; } catch { /* storage off */ }
  for (const id of (fromLink ? fromLink[1] : saved).split(',').filter(Boolean)) state.selected.add(Number(id));
  saveSelected();
  await search({ after: reference });
  // The base layer after the first results: on a slow line the services come first.
  await loadOutlines().catch(fail);
  if (hasOfflineCopy()) await offline().then((m) => m.startOffline()).catch(fail);
  if (fromLink) showView('list');
  if (wantsAccount()) await account().then((m) => m.startAccount({ show: showView })).catch(fail);
  window.addEventListener('hashchange', () => {
    if (location.hash === '#signin') account().then((m) => m.startAccount({ show: showView })).catch(fail);
  });
  document.body.dataset.ready = 'true';
}

start().catch(fail);
