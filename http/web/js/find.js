// Finding services. Anywhere: pages of 50 in id order with the number of matches ("50 de 1260")
// and "show more". Near me / near a place: a radius that grows (25, 100, 300 km) until five
// services are found; with fewer within 300 km, those and the rest of the caseworker's own
// country, nearest first. Services available here (hotlines, phone-only, country-wide) are
// pinned above the distance list. The map draws every match, fetched in pages of light points
// once the first results are shown, or as vector tiles when very many match (tiles.js).
import { t, lang, localized } from './i18n.js';
import { $, h, fill, api, status, fail } from './dom.js';
import { state, termLabel, countryName } from './state.js';
import { contactLine, distanceText, fallbackMark, hoursLine, isApproximate, placeText, primaryFamily, verifiedLine } from './records.js';
import { openService } from './details.js';
import { toggleSelected } from './list.js';
import { addPoints, fitAll, mapReady, showSearch } from './map.js';

const PAGE = 50;         // results per page of the list
const MAP_PAGE = 1000;   // points per page of the map (~150 bytes each)
export const RINGS_KM = [25, 100, 300];
const ENOUGH = 5;        // services a ring must hold before the search stops growing
const PINNED = 3;        // services available here shown before "show more"

let searchToken = 0;     // the latest search: answers to older ones are dropped
let tiles = null;        // tiles.js, loaded the first time very many services match
let availableOpen = false;

function filters() {
  const form = $('#find-form');
  const out = {};
  for (const name of ['country', 'type', 'population', 'age', 'language', 'q']) {
    const v = form.elements[name].value.trim();
    if (v) out[name] = v;
  }
  return out;
}

/** Pages of /api/v1/services for these parameters; the first also counts every match. */
function pager(params) {
  let cursor = null;
  const pages = {
    done: false,
    async next() {
      const q = new URLSearchParams(params);
      q.set('limit', PAGE);
      q.set('lang', lang());
      if (cursor) q.set('cursor', cursor); else q.set('with_total', 'true');
      const data = await api(`/api/v1/services?${q}`);
      cursor = data.next_cursor;
      pages.done = !cursor;
      return data;
    },
  };
  return pages;
}

/** Appends a page; services kept aside (`pending`) join it where their distance puts them. */
function takePage(find, items) {
  if (find.pending.length) {
    const last = find.pager.done ? Infinity : items.at(-1)?.distance_m ?? Infinity;
    items = [...items, ...find.pending.filter((s) => s.distance_m <= last)];
    find.pending = find.pending.filter((s) => s.distance_m > last);
    items.sort((a, b) => a.distance_m - b.distance_m || a.id - b.id);
  }
  find.items.push(...items);
}

function found({ scope, pager: pages, data, first, pending = [], map }) {
  const find = {
    scope, pager: pages, items: [], pending, map, extra: pending,
    total: (data.total ?? data.items.length) + pending.length,
    available: first.available_here || [], availableTotal: first.available_here_total ?? 0,
    offline: data.offline ?? null, // answered from the saved countries (offline_answer.js)
  };
  takePage(find, data.items);
  return find;
}

async function listed(base) {
  const pages = pager(base);
  const data = await pages.next();
  return found({ scope: {}, pager: pages, data, first: data, map: base });
}

async function nearest(base, origin, from) {
  const at = { ...base, lat: origin.lat, lon: origin.lon };
  let first = null;
  let last = null;
  for (const km of RINGS_KM.slice(from)) {
    const params = { ...at, radius_km: km };
    const pages = pager(params);
    const data = await pages.next();
    first ??= data;
    state.pointCountries = data.point_countries ?? state.pointCountries; // what "save this country" saves
    last = { km, data };
    if ((data.total ?? data.items.length) >= ENOUGH) return found({ scope: { km }, pager: pages, data, first, map: params });
  }
  // Fewer than ENOUGH within the largest ring (all on its one page): those, and the rest of the
  // country the caseworker is in (or filtered on), nearest first; never the whole region first.
  const countries = base.country ? base.country.split(',') : first.point_countries || [];
  if (countries.length) {
    const params = { ...at, country: countries.join(',') };
    const pages = pager(params);
    const data = await pages.next();
    const outside = last.data.items.filter((s) => !countries.includes(s.country));
    if ((data.total ?? data.items.length) + outside.length > 0) {
      return found({ scope: { km: last.km, countries }, pager: pages, data, first, pending: outside, map: params });
    }
  }
  // Nothing in the country either (or no country at the point, e.g. at sea): the nearest few
  // anywhere, bounded by k so that counting them never walks the whole registry.
  const params = { ...at, k: PAGE };
  const pages = pager(params);
  return found({ scope: {}, pager: pages, data: await pages.next(), first, map: params });
}

// ~100 m: enough to rank services, and no more of the caseworker's position than that is sent.
const round3 = (v) => Math.round(v * 1000) / 1000;

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) { resolve(null); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => resolve(null), { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  });
}

/** The search point from the form, in memory only; null when none is wanted, false when missing. */
async function origin() {
  const where = $('#find-form').elements.where.value;
  if (where === 'me') {
    status(t('locating'));
    const p = await position();
    if (!p) { status(t('geo_denied')); return false; }
    return { lat: round3(p.lat), lon: round3(p.lon), label: t('you_are_here'), approximate: false };
  }
  if (where === 'place') {
    const p = state.places[Number($('#f-place').value)];
    if (!p || $('#f-place').value === '') { status(t('choose_place')); $('#f-place').focus(); return false; }
    return { lat: p.lat, lon: p.lon, label: p.name, approximate: Boolean(p.approximate) };
  }
  return null;
}

/**
 * A new search from the form; `from` (an index into RINGS_KM) widens the last one. `after`: what
 * must be there before results are drawn (the first search goes out with the reference data).
 */
export async function search({ from = 0, after = null } = {}) {
  const token = ++searchToken;
  if (!from) {
    const point = await origin();
    if (point === false) return;
    state.origin = point;
    availableOpen = false;
  }
  status(t('loading'));
  try {
    const base = filters();
    const find = state.origin ? await nearest(base, state.origin, from) : await listed(base);
    await after;
    if (token !== searchToken) return;
    state.find = find;
    renderResults();
    drawMap(find, token);
  } catch (e) { fail(e); }
}

/** The map follows the list: on a slow line Leaflet may still be on its way (map.js). */
async function drawMap(find, token) {
  try { await mapReady(); } catch (e) { fail(e); return; }
  if (token !== searchToken) return;
  let tiled = false;
  if (!state.origin && find.total > (state.config.map_tiles_above ?? 5000)) {
    tiles ??= await import('./tiles.js');
    if (token !== searchToken) return;
    tiled = tiles.tileable(find.map);
  }
  showSearch(find, { markers: !tiled });
  if (tiled) { drawTiles(find, token); return; }
  tiles?.hideTiles();
  loadMapPoints(find, token);
}

/** Very many matches: vector tiles instead of every point (tiles.js). */
async function drawTiles(find, token) {
  const note = $('#map-note');
  delete note.dataset.points;
  try {
    await tiles.showTiles(find.map);
    if (token !== searchToken) return;
    note.textContent = t('map_tiles', { n: find.total.toLocaleString(lang()) });
    note.dataset.points = 'tiles';
  } catch (e) { if (token === searchToken) fail(e); }
}

const pointOf = (f) => ({
  id: f.id, name: f.properties.name, types: f.properties.types,
  location: { lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], precision: f.properties.precision, coarsened: f.properties.coarsened },
});

/** Every match of the search on the map, page after page, while the list is already usable. */
async function loadMapPoints(find, token) {
  const note = $('#map-note');
  note.textContent = t('map_loading');
  delete note.dataset.points;
  try {
    let drawn = await addPoints([...find.items, ...find.extra]);
    // A search whose first page holds every match has its points already: no second fetch.
    let cursor = find.pager.done ? null : '';
    while (cursor !== null) {
      const q = new URLSearchParams(find.map);
      q.set('f', 'geojson');
      q.set('view', 'map');
      q.set('limit', MAP_PAGE);
      q.set('lang', lang());
      if (cursor) q.set('cursor', cursor);
      const data = await api(`/api/v1/services?${q}`);
      if (token !== searchToken) return;
      drawn = await addPoints(data.features.filter((f) => f.geometry).map(pointOf));
      if (token !== searchToken) return;
      cursor = data.next_cursor;
      if (cursor) note.textContent = `${t('map_loading')} ${drawn.toLocaleString(lang())}`;
    }
    note.textContent = t('map_points', { n: drawn.toLocaleString(lang()) });
    note.dataset.points = String(drawn);
    fitAll();
  } catch (e) { if (token === searchToken) fail(e); }
}

async function showMore() {
  const find = state.find;
  const token = searchToken;
  const before = find.items.length;
  try {
    if (find.pager.done) takePage(find, []);
    else {
      const data = await find.pager.next();
      if (token !== searchToken) return;
      takePage(find, data.items);
    }
    renderResults();
    addPoints(find.items);
    document.querySelector(`#results > li:nth-child(${before + 1}) .name`)?.focus();
  } catch (e) { fail(e); }
}

function resultItem(s, { withDistance = true } = {}) {
  const name = localized(s.name, s.resolved_language?.name);
  const selected = state.selected.has(s.id);
  const approx = isApproximate(s) || Boolean(state.origin?.approximate);
  const distance = withDistance && s.distance_m != null;
  return h('li', { class: 'result', 'data-id': s.id },
    h('div', { class: 'r-head' },
      h('span', { class: `dot fam-${primaryFamily(s)}${isApproximate(s) ? ' approx' : ''}`, 'aria-hidden': 'true' }),
      h('button', { type: 'button', class: 'link name', onclick: () => openService(s.id) }, name.text),
      fallbackMark(s.resolved_language, 'name')),
    h('p', { class: 'meta' },
      distance ? h('strong', { class: `distance${approx ? ' approx' : ''}`, title: approx ? t('distance_approx') : null }, distanceText(s.distance_m, approx)) : null,
      distance ? ' · ' : null, placeText(s),
      isApproximate(s) ? h('span', { class: 'badge approx', title: t('approximate_note') }, t('approximate')) : null),
    h('p', { class: 'types' }, s.types.map(termLabel).join(' · ')),
    hoursLine(s),
    contactLine(s),
    verifiedLine(s),
    h('button', { type: 'button', class: 'add', 'aria-pressed': String(selected), onclick: (ev) => toggleSelected(s.id, ev.currentTarget) },
      selected ? t('remove') : t('add')));
}

function resultsTitle(find) {
  const shown = find.items.length;
  if (!shown) return t('no_results');
  const n = shown < find.total ? t('count_of', { shown: shown.toLocaleString(lang()), total: find.total.toLocaleString(lang()) }) : shown.toLocaleString(lang());
  if (!state.origin) return t('results_count', { n });
  if (find.scope.countries) return t('results_country', { n, km: find.scope.km, country: find.scope.countries.map(countryName).join(', ') });
  if (find.scope.km) return t('results_ring', { n, km: find.scope.km });
  return t('results_near', { n });
}

function renderAvailable(find) {
  const list = find.available;
  $('#available').hidden = list.length === 0;
  const shown = availableOpen ? list : list.slice(0, PINNED);
  fill($('#available-list'), shown.map((s) => resultItem(s, { withDistance: false })));
  const hidden = list.length - shown.length;
  $('#available-expand').hidden = hidden <= 0;
  if (hidden > 0) $('#available-expand').textContent = t('show_more', { n: hidden });
  const more = find.availableTotal - list.length;
  $('#available-more').hidden = !availableOpen || more <= 0;
  $('#available-more').textContent = more > 0 ? t('available_more', { n: more }) : '';
}

/** "Sin conexión: resultados de la copia guardada del DATE": the oldest copy that answered. */
function renderOfflineNote(find) {
  const note = $('#offline-note');
  note.hidden = !find.offline;
  if (!find.offline) { delete note.dataset.checked; return; }
  const checked = find.offline.copies.filter((c) => find.offline.countries.includes(c.country)).map((c) => c.checked_at).sort()[0];
  const date = new Date(checked).toLocaleDateString(lang(), { day: 'numeric', month: 'long', year: 'numeric' });
  note.textContent = t('offline_results', { date, countries: find.offline.countries.map(countryName).join(', ') });
  note.dataset.checked = checked;
}

export function renderResults() {
  const find = state.find;
  if (!find) return;
  const title = resultsTitle(find);
  $('#results-title').textContent = title;
  renderOfflineNote(find);
  status(find.offline ? `${$('#offline-note').textContent} ${title}` : title);
  fill($('#results'), find.items.map((s) => resultItem(s)));
  renderAvailable(find);
  // Hidden buttons keep their last (or the page's own) words: a control always has a name.
  const left = find.total - find.items.length;
  $('#more').hidden = left <= 0 || (find.pager.done && !find.pending.length);
  if (!$('#more').hidden) $('#more').textContent = t('show_more', { n: Math.min(PAGE, left).toLocaleString(lang()) });
  const ring = RINGS_KM.indexOf(find.scope.km);
  const wider = Boolean(state.origin) && !find.scope.countries && ring >= 0 && ring < RINGS_KM.length - 1;
  $('#widen').hidden = !wider;
  if (wider) $('#widen').textContent = t('widen', { km: RINGS_KM[ring + 1] });
}

export function wireFind() {
  $('#more').addEventListener('click', showMore);
  $('#widen').addEventListener('click', () => search({ from: RINGS_KM.indexOf(state.find.scope.km) + 1 }));
  $('#available-expand').addEventListener('click', () => { availableOpen = true; renderAvailable(state.find); $('#available-list > li:nth-child(4) .name')?.focus(); });
}
