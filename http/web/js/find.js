// Finding services: filters, anywhere, near me (browser geolocation) or near a place; the results
// and the services available here.
import { t, lang, localized } from './i18n.js';
import { $, h, api, status, fail } from './dom.js';
import { state, termLabel } from './state.js';
import { contactLine, distanceText, fallbackMark, hoursLine, isApproximate, placeText, primaryFamily } from './records.js';
import { openService } from './details.js';
import { toggleSelected } from './list.js';
import { drawResults } from './map.js';

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) { resolve(null); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => resolve(null), { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  });
}

// ~100 m: enough to rank services, and no more of the caseworker's position than that is sent.
const round3 = (v) => Math.round(v * 1000) / 1000;

export async function search() {
  const form = $('#find-form');
  const params = new URLSearchParams();
  for (const name of ['country', 'type', 'population', 'age', 'language', 'q']) {
    const v = form.elements[name].value.trim();
    if (v) params.set(name, v);
  }
  const where = form.elements.where.value;
  state.origin = null;
  if (where === 'me') {
    status(t('locating'));
    const p = await position();
    if (!p) { status(t('geo_denied')); return; }
    state.origin = { lat: round3(p.lat), lon: round3(p.lon), label: t('you_are_here') };
  } else if (where === 'place') {
    const p = state.places[Number($('#f-place').value)];
    if (!p || $('#f-place').value === '') { status(t('choose_place')); $('#f-place').focus(); return; }
    state.origin = { lat: p.lat, lon: p.lon, label: p.name };
  }
  state.near = Boolean(state.origin);
  if (state.origin) { params.set('lat', state.origin.lat); params.set('lon', state.origin.lon); params.set('k', '50'); }
  params.set('limit', state.origin ? '50' : '200');
  params.set('lang', lang());
  status(t('loading'));
  try {
    const data = await api(`/api/v1/services?${params}`);
    state.results = data.items;
    state.available = data.available_here || [];
    state.availableTotal = data.available_here_total || state.available.length;
    renderResults();
    drawResults();
  } catch (e) { fail(e); }
}

function resultItem(s, { withDistance = true } = {}) {
  const name = localized(s.name, s.resolved_language?.name);
  const selected = state.selected.has(s.id);
  return h('li', { class: 'result', 'data-id': s.id },
    h('div', { class: 'r-head' },
      h('span', { class: `dot fam-${primaryFamily(s)}${isApproximate(s) ? ' approx' : ''}`, 'aria-hidden': 'true' }),
      h('button', { type: 'button', class: 'link name', onclick: () => openService(s.id) }, name.text),
      fallbackMark(s.resolved_language, 'name')),
    h('p', { class: 'meta' },
      withDistance && s.distance_m != null ? h('strong', { class: 'distance' }, distanceText(s.distance_m)) : null,
      withDistance && s.distance_m != null ? ' · ' : '', placeText(s),
      isApproximate(s) ? h('span', { class: 'badge approx', title: t('approximate_note') }, t('approximate')) : null),
    h('p', { class: 'types' }, s.types.map(termLabel).join(' · ')),
    hoursLine(s),
    contactLine(s),
    h('p', { class: 'verified' }, s.last_verified ? t('verified', { d: s.last_verified }) : t('not_verified')),
    h('button', { type: 'button', class: 'add', 'aria-pressed': String(selected), onclick: (ev) => toggleSelected(s.id, ev.currentTarget) },
      selected ? t('remove') : t('add')));
}

export function renderResults() {
  const n = state.results.length;
  $('#results-title').textContent = n ? t(state.near ? 'results_near' : 'results_count', { n }) : t('no_results');
  status($('#results-title').textContent);
  $('#results').replaceChildren(...state.results.map((s) => resultItem(s)));
  $('#available').hidden = state.available.length === 0;
  $('#available-list').replaceChildren(...state.available.map((s) => resultItem(s, { withDistance: false })));
  const more = state.availableTotal - state.available.length;
  $('#available-more').hidden = more <= 0;
  $('#available-more').textContent = more > 0 ? t('available_more', { n: more }) : '';
}
