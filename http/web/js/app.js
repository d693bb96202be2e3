// Enlace web map: find services (filters, near me, near a place), details, a printable list,
// good practices and coverage. Talks only to the server it was loaded from.
import { t, setLanguage, pickLanguage, lang, localized, languageName, apply } from './i18n.js';
import { isOpen, describe } from './hours.js';

const FAMILIES = ['IDN', 'REC', 'PRO', 'LEG', 'FAM', 'HLT', 'VIO', 'INT'];
// ISO 3166-1 numeric ids of the member countries, as used by world-atlas.
const MEMBERS = { BZ: '084', CA: '124', CR: '188', SV: '222', GT: '320', HN: '340', MX: '484', NI: '558', PA: '591', DO: '214', US: '840' };
const NUMERIC_TO_ALPHA2 = Object.fromEntries(Object.entries(MEMBERS).map(([a, n]) => [n, a]));
const SPOKEN = ['es', 'en', 'fr', 'ht', 'quc', 'mam', 'kjb'];
const POPULATIONS = ['unaccompanied', 'separated', 'accompanied', 'returned', 'in_transit', 'asylum_seeking', 'refugee', 'trafficking_victim'];

const $ = (sel) => document.querySelector(sel);
const state = {
  config: {}, taxonomy: [], countries: [], places: [], actors: null,
  results: [], available: [], near: false, practices: null, stats: null,
  selected: new Set(), view: 'find', origin: null, // origin: the search point, in memory only
};

// ---------------------------------------------------------------- helpers
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const error = new Error(`${response.status} ${path.split('?')[0]}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

const status = (text) => { $('#status').textContent = text; };
const fail = (e) => { console.error(e); status(t('error', { e: e?.message ?? String(e) })); };

const term = (code) => state.taxonomy.find((x) => x.code === code);
const termLabel = (code) => { const x = term(code); return x ? localized(x.labels).text : code; };
const countryName = (a2) => { const c = state.countries.find((x) => x.alpha2 === a2); return c ? localized(c.names).text : a2; };
const familyOf = (code) => String(code).split('.')[0];

function primaryFamily(service) {
  const wanted = $('#f-type').value;
  if (wanted && service.types.some((c) => c === wanted || c.startsWith(`${wanted}.`))) return familyOf(wanted);
  const families = service.types.map(familyOf);
  return FAMILIES.find((f) => families.includes(f)) || 'IDN';
}

const isApproximate = (s) => Boolean(s.location && (s.location.coarsened || s.location.precision === 'approximate' || s.location.precision === 'admin1'));

function distanceText(m) {
  if (m == null) return '';
  return m < 1000 ? t('m', { d: Math.round(m) }) : t('km', { d: (m / 1000).toLocaleString(lang(), { maximumFractionDigits: m < 10000 ? 1 : 0 }) });
}

function fallbackMark(resolved, field) {
  const r = resolved?.[field];
  if (!r || !r.fallback) return null;
  return h('span', { class: 'badge fallback', title: t('fallback', { lang: languageName(r.language), want: languageName(lang()) }) },
    r.language.toUpperCase(), h('span', { class: 'sr-only' }, ` (${t('fallback', { lang: languageName(r.language), want: languageName(lang()) })})`));
}

/** Public contacts of a service, else of its organisation. */
function contactsOf(s) {
  const own = (s.contacts || []).filter((c) => !c.personal);
  if (own.length) return own;
  const actor = state.actors?.get(s.actor_id);
  if (!actor) return [];
  const out = (actor.contacts || []).filter((c) => !c.personal);
  if (actor.email) out.push({ kind: 'email', value: actor.email });
  if (actor.website) out.push({ kind: 'url', value: actor.website });
  return out;
}

function contactLink(c) {
  const v = c.value;
  if (c.kind === 'phone' || c.kind === 'hotline') return h('a', { href: `tel:${v.replace(/[^+\d]/g, '')}` }, v);
  if (c.kind === 'email') return h('a', { href: `mailto:${v}` }, v);
  if (c.kind === 'url' && /^https?:\/\//.test(v)) return h('a', { href: v, rel: 'noopener noreferrer', target: '_blank' }, v.replace(/^https?:\/\//, ''));
  return h('span', {}, v);
}

function contactLine(s) {
  const list = contactsOf(s).slice(0, 2);
  if (!list.length) {
    const actor = state.actors?.get(s.actor_id);
    const who = actor ? `${localized(actor.name).text}${actor.acronym ? ` (${actor.acronym})` : ''}` : '';
    return h('p', { class: 'contact muted' }, who ? `${t('no_contact')}: ${who}` : t('no_contact'));
  }
  return h('p', { class: 'contact' }, ...list.flatMap((c, i) => (i ? [' · ', contactLink(c)] : [contactLink(c)])));
}

function hoursLine(s) {
  const open = isOpen(s.hours);
  const badge = open == null ? null : h('span', { class: `badge ${open ? 'open' : 'closed'}` }, open ? t('open_now') : t('closed_now'));
  const text = !s.hours ? t('no_hours') : s.hours.always_open ? t('always_open') : describe(s.hours, (d) => t(`day_${d}`));
  return h('p', { class: 'hours' }, badge, badge ? ' ' : '', text);
}

/** A controlled value in words (gender_any, cost_free...), or the value itself. */
function word(kind, value) {
  if (!value) return null;
  const key = `${kind}_${value}`;
  const text = t(key);
  return text === key ? value : text;
}

function placeText(s) {
  const a = s.address || {};
  return [a.locality, a.admin1_name, countryName(s.country)].filter(Boolean).join(', ');
}

// ---------------------------------------------------------------- the map
let map; let outlines; let clusters; let originMarker; let practiceLayer; let legend;
const outlineByCountry = new Map();

function initMap() {
  map = L.map('map', { worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
  map.fitBounds([[6, -120], [50, -62]]);
  map.attributionControl.setPrefix(false);
  if (state.config.tile_url) {
    L.tileLayer(state.config.tile_url, { maxZoom: 18, attribution: state.config.tile_attribution || '' }).addTo(map);
  }
  clusters = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40,
    iconCreateFunction: (c) => L.divIcon({ html: `<span>${c.getChildCount()}</span>`, className: 'cluster', iconSize: [34, 34] }),
  }).addTo(map);
  practiceLayer = L.layerGroup().addTo(map);
  legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => L.DomUtil.create('div', 'legend');
  legend.addTo(map);
  drawLegend();
}

function drawLegend() {
  const el = document.querySelector('.legend');
  if (!el) return;
  el.replaceChildren(h('details', { open: window.innerWidth > 760 }, h('summary', {}, t('legend')),
    ...FAMILIES.map((f) => h('div', {}, h('span', { class: `dot fam-${f}`, 'aria-hidden': 'true' }), ' ', termLabel(f))),
    h('div', {}, h('span', { class: 'dot approx-key', 'aria-hidden': 'true' }), ' ', t('approximate'))));
}

async function loadOutlines() {
  const topo = await api('/vendor/world-atlas/countries-110m.json');
  const all = topojson.feature(topo, topo.objects.countries);
  const tiles = Boolean(state.config.tile_url);
  outlines = L.geoJSON(all, {
    interactive: false,
    style: (f) => (NUMERIC_TO_ALPHA2[f.id]
      ? { color: '#4a5a6a', weight: 1, fillColor: '#ffffff', fillOpacity: tiles ? 0 : 1 }
      : { color: '#8a96a3', weight: 0.5, fillColor: '#e4e7eb', fillOpacity: tiles ? 0 : 1 }),
    onEachFeature: (f, layer) => { if (NUMERIC_TO_ALPHA2[f.id]) outlineByCountry.set(NUMERIC_TO_ALPHA2[f.id], layer); },
  }).addTo(map);
  outlines.bringToBack();
}

function markerFor(s, extraClass = '') {
  if (!s.location) return null;
  const approx = isApproximate(s);
  const name = localized(s.name, s.resolved_language?.name).text;
  const marker = L.marker([s.location.lat, s.location.lon], {
    icon: L.divIcon({ className: `mk fam-${primaryFamily(s)}${approx ? ' approx' : ''}${extraClass}`, iconSize: [20, 20], html: '' }),
    title: approx ? `${name} (${t('approximate')})` : name,
    alt: name, keyboard: true,
  });
  marker.on('click', () => openService(s.id));
  return marker;
}

function drawResults() {
  clusters.clearLayers();
  const markers = state.results.map((s) => markerFor(s)).filter(Boolean);
  clusters.addLayers(markers);
  if (originMarker) { originMarker.remove(); originMarker = null; }
  if (state.origin) {
    originMarker = L.circleMarker([state.origin.lat, state.origin.lon], { radius: 8, color: '#000', weight: 3, fillColor: '#fff', fillOpacity: 1 })
      .bindTooltip(state.origin.label).addTo(map);
  }
  const points = state.results.filter((s) => s.location).slice(0, state.near ? 5 : 500).map((s) => [s.location.lat, s.location.lon]);
  if (state.origin) points.push([state.origin.lat, state.origin.lon]);
  if (points.length) map.fitBounds(points, { padding: [30, 30], maxZoom: 9 });
}

// ---------------------------------------------------------------- filters and reference data
function fillSelect(select, options, keepFirst = true) {
  const value = select.value;
  const first = keepFirst ? select.options[0] : null;
  select.replaceChildren(...(first ? [first] : []), ...options);
  select.value = value;
}

function typeOptions() {
  return state.taxonomy.map((x) => h('option', { value: x.code, class: x.parent ? 'child' : 'family' },
    `${x.parent ? '\u00a0\u00a0\u00a0' : ''}${localized(x.labels).text}${x.sensitive ? ' *' : ''}`));
}

function fillFilters() {
  const countries = () => [...state.countries].sort((a, b) => localized(a.names).text.localeCompare(localized(b.names).text, lang()))
    .map((c) => h('option', { value: c.alpha2 }, localized(c.names).text));
  fillSelect($('#f-country'), countries());
  fillSelect($('#p-country'), countries());
  fillSelect($('#f-type'), typeOptions());
  fillSelect($('#p-type'), typeOptions());
  fillSelect($('#c-type'), state.taxonomy.map((x) => h('option', { value: x.code }, `${x.parent ? '\u00a0\u00a0\u00a0' : ''}${localized(x.labels).text}`)), false);
  if (!$('#c-type').value) $('#c-type').value = 'REC';
  fillSelect($('#f-population'), POPULATIONS.map((p) => h('option', { value: p }, t(`pop_${p}`))));
  fillSelect($('#f-language'), SPOKEN.map((l) => h('option', { value: l }, languageName(l))));
  fillSelect($('#p-axis'), [1, 2, 3, 4, 5].map((a) => h('option', { value: a }, t(`axis_${a}`))));
  fillSelect($('#f-place'), state.places.map((p, i) => h('option', { value: i }, `${p.name} (${p.country})`)));
}

// ---------------------------------------------------------------- finding services
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

async function search() {
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

function renderResults() {
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

// ---------------------------------------------------------------- details
function row(label, ...value) {
  const content = value.flat().filter((v) => v != null && v !== '' && v !== false);
  if (!content.length) return null;
  return [h('dt', {}, label), h('dd', {}, ...content)];
}

let detailsReturnFocus = null;
function showDetails(...content) {
  detailsReturnFocus = document.activeElement;
  $('#details-body').replaceChildren(...content);
  $('#details').hidden = false;
  $('#details').focus();
}
function closeDetails() {
  $('#details').hidden = true;
  practiceLayer.clearLayers();
  if (detailsReturnFocus && document.contains(detailsReturnFocus)) detailsReturnFocus.focus();
}

async function openService(id) {
  try {
    const s = await api(`/api/v1/services/${id}?lang=${lang()}`);
    const name = localized(s.name, s.resolved_language?.name);
    const description = localized(s.description, s.resolved_language?.description);
    const actor = state.actors?.get(s.actor_id);
    const selected = state.selected.has(s.id);
    const a = s.address || {};
    showDetails(
      h('h2', { id: 'details-title' }, name.text, ' ', fallbackMark(s.resolved_language, 'name')),
      s.illustrative ? h('p', { class: 'warning' }, t('illustrative')) : null,
      isApproximate(s) ? h('p', { class: 'badge approx block' }, t('approximate_note')) : null,
      h('dl', { class: 'fields' },
        row(t('types'), s.types.map(termLabel).join(' · ')),
        row(t('description'), description.text, ' ', fallbackMark(s.resolved_language, 'description')),
        row(t('organisation'), actor ? localized(actor.name).text + (actor.acronym ? ` (${actor.acronym})` : '') : null),
        row(t('address'), [a.street, a.locality, a.admin2_name, a.admin1_name, a.postal_code, countryName(s.country)].filter(Boolean).join(', ')),
        row(t('service_area'), s.service_area ? [...(s.service_area.countries || []).map(countryName), ...(s.service_area.admin1 || [])].join(', ') : null),
        row(t('contact'), contactsOf(s).flatMap((c, i) => (i ? [h('br'), contactLink(c)] : [contactLink(c)]))),
        row(t('hours'), hoursLine(s)),
        row(t('languages'), s.languages.map(languageName).join(', ')),
        row(t('populations'), s.populations.map((p) => t(`pop_${p}`)).join(', ')),
        row(t('ages'), s.age ? t('ages_range', { a: s.age.min ?? 0, b: s.age.max ?? '' }) : null),
        row(t('gender'), word('gender', s.gender)),
        row(t('cost'), word('cost', s.cost)),
        row(t('referral'), s.referral_required == null ? null : t(s.referral_required ? 'yes' : 'no')),
        row(t('capacity'), s.capacity),
        row(t('status'), t(`status_${s.status}`)),
        row(t('verified', { d: '' }).trim(), s.last_verified || t('not_verified'))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', 'aria-pressed': String(selected), onclick: (ev) => toggleSelected(s.id, ev.currentTarget) }, selected ? t('remove') : t('add')),
        s.location ? h('button', { type: 'button', onclick: () => { map.setView([s.location.lat, s.location.lon], 12); } }, t('show_on_map')) : null));
  } catch (e) { fail(e); }
}

// ---------------------------------------------------------------- the list for a client's file
function saveSelected() {
  try { sessionStorage.setItem('enlace.selected', [...state.selected].join(',')); } catch { /* storage off */ }
  $('#list-count').textContent = state.selected.size;
}

function toggleSelected(id, button) {
  if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id);
  saveSelected();
  for (const b of document.querySelectorAll(`[data-id="${id}"] .add`)) {
    b.setAttribute('aria-pressed', String(state.selected.has(id)));
    b.textContent = state.selected.has(id) ? t('remove') : t('add');
  }
  if (button && !button.closest('[data-id]')) {
    button.setAttribute('aria-pressed', String(state.selected.has(id)));
    button.textContent = state.selected.has(id) ? t('remove') : t('add');
  }
  if (state.view === 'list') renderList();
}

async function renderList() {
  const ids = [...state.selected];
  const out = $('#selected');
  $('#print-header').textContent = `Enlace · ${t('printed_on', { d: new Date().toLocaleDateString(lang()) })}`;
  if (!ids.length) { out.replaceChildren(h('li', { class: 'muted' }, t('list_empty'))); return; }
  const services = (await Promise.all(ids.map((id) => api(`/api/v1/services/${id}?lang=${lang()}`).catch(() => null)))).filter(Boolean);
  out.replaceChildren(...services.map((s) => h('li', { class: 'chosen', 'data-id': s.id },
    h('h3', {}, localized(s.name, s.resolved_language?.name).text),
    h('p', {}, s.types.map(termLabel).join(' · ')),
    h('p', {}, placeText(s), isApproximate(s) ? ` (${t('approximate')})` : ''),
    contactLine(s),
    hoursLine(s),
    h('p', { class: 'verified' }, s.last_verified ? t('verified', { d: s.last_verified }) : t('not_verified')),
    h('button', { type: 'button', class: 'add no-print', onclick: () => toggleSelected(s.id) }, t('remove')))));
}

function shareLink() {
  // Only service ids: nothing about the child, the search or the position.
  return `${location.origin}/#list=${[...state.selected].join(',')}`;
}

// ---------------------------------------------------------------- good practices
async function searchPractices() {
  const form = $('#practice-form');
  const params = new URLSearchParams();
  for (const name of ['country', 'axis', 'type', 'q']) {
    const v = form.elements[name].value.trim();
    if (v) params.set(name, v);
  }
  params.set('lang', lang());
  params.set('limit', '100');
  status(t('loading'));
  try {
    const data = await api(`/api/v1/practices?${params}`);
    state.practices = data.items;
    $('#practices-title').textContent = t('practices_count', { n: data.items.length });
    status($('#practices-title').textContent);
    $('#practices').replaceChildren(...data.items.map((p) => {
      const title = localized(p.title, p.resolved_language?.title);
      return h('li', { class: 'result practice', 'data-id': p.id },
        h('div', { class: 'r-head' }, h('button', { type: 'button', class: 'link name', onclick: () => openPractice(p) }, title.text),
          title.fallback ? h('span', { class: 'badge fallback', title: t('fallback', { lang: languageName(title.language), want: languageName(lang()) }) }, title.language.toUpperCase()) : null),
        h('p', { class: 'meta' }, (p.countries || []).map(countryName).join(', ')),
        h('p', { class: 'types' }, (p.axes || []).map((a) => t(`axis_${a}`)).join(' · ')));
    }));
  } catch (e) {
    if (e.status === 404) { $('#practices-title').textContent = ''; $('#practices').replaceChildren(h('li', { class: 'muted' }, t('practices_missing'))); status(t('practices_missing')); } else fail(e);
  }
}

async function openPractice(p) {
  const text = (field) => {
    const r = localized(p[field], p.resolved_language?.[field]);
    if (!r.text) return null;
    return [r.text, r.fallback ? h('span', { class: 'badge fallback', title: t('fallback', { lang: languageName(r.language), want: languageName(lang()) }) }, r.language.toUpperCase()) : null];
  };
  const actorName = (id) => { const a = state.actors?.get(id); return a ? localized(a.name).text + (a.acronym ? ` (${a.acronym})` : '') : `#${id}`; };
  const services = (await Promise.all((p.services || []).map((id) => api(`/api/v1/services/${id}?lang=${lang()}`).catch(() => null)))).filter(Boolean);
  const title = localized(p.title, p.resolved_language?.title);
  const yesNo = (v) => (v == null ? null : t(v ? 'yes' : 'no'));
  showDetails(
    h('h2', { id: 'details-title' }, title.text),
    p.illustrative ? h('p', { class: 'warning' }, t('illustrative')) : null,
    h('dl', { class: 'fields' },
      row(t('p_countries'), (p.countries || []).map(countryName).join(', ')),
      row(t('p_scope'), [word('scope', p.scope), ...(p.admin_codes || [])].filter(Boolean).join(', ')),
      row(t('p_actors'), (p.actors || []).map(actorName).join(', ')),
      row(t('p_partners'), (p.partners || []).map((x) => `${x.name}${x.role ? ` – ${localized(x.role).text}` : ''}`).join('; ')),
      row(t('p_period'), p.period ? `${p.period.start ?? '?'} – ${p.period.end ?? t('p_ongoing')}` : null),
      row(t('p_axes'), (p.axes || []).map((a) => t(`axis_${a}`)).join(' · ')),
      row(t('p_service_types'), (p.service_types || []).map(termLabel).join(' · ')),
      row(t('p_gcm'), (p.gcm_objectives || []).join(', ')),
      row(t('p_target'), (p.target_population || []).map((x) => t(`pop_${x}`)).join(', ')),
      row(t('p_problem'), text('problem')),
      row(t('p_description'), text('description')),
      row(t('p_resources'), text('resources')),
      row(t('p_results'), text('results')),
      row(t('p_evidence'), p.evidence_level),
      row(t('p_evidence_links'), (p.evidence_links || []).map((u) => h('div', {}, contactLink({ kind: 'url', value: u })))),
      row(t('p_lessons'), text('lessons')),
      row(t('p_replicability'), text('replicability')),
      row(t('p_sustainability'), text('sustainability')),
      row(t('p_institutionalised'), yesNo(p.institutionalised)),
      row(t('p_budget'), yesNo(p.budget_line)),
      row(t('p_principles'), (p.principles || []).join(', ')),
      row(t('p_contact'), p.contact_email ? contactLink({ kind: 'email', value: p.contact_email }) : null),
      row(t('p_sources'), (p.sources || []).map((s) => h('div', {}, s.url ? contactLink({ kind: 'url', value: s.url }) : s.title, s.title && s.url ? ` ${s.title}` : '', s.accessed ? ` (${s.accessed})` : ''))),
      row(t('p_validation'), [p.submitted_by, p.reviewed_by, p.reviewed_on].filter(Boolean).join(' · ')),
      row(t('p_status'), p.review_status),
      row(t('p_original_language'), p.original_language ? languageName(p.original_language) : null),
      row(t('p_licence'), p.licence),
      row(t('p_services'), services.length ? h('ul', { class: 'linked' }, ...services.map((s) => h('li', { 'data-id': s.id },
        h('button', { type: 'button', class: 'link', onclick: () => openService(s.id) }, localized(s.name, s.resolved_language?.name).text),
        ` – ${placeText(s)}`))) : null)));
  practiceLayer.clearLayers();
  const points = [];
  for (const s of services) {
    const m = markerFor(s, ' linked');
    if (m) { practiceLayer.addLayer(m); points.push([s.location.lat, s.location.lon]); }
  }
  if (points.length) map.fitBounds(points, { padding: [40, 40], maxZoom: 9 });
}

// ---------------------------------------------------------------- coverage
const HEAT = (n) => (n === 0 ? 'h0' : n === 1 ? 'h1' : n <= 3 ? 'h2' : n <= 6 ? 'h3' : 'h4');
const FILL = { h0: '#f4c7c3', h1: '#d6e6f4', h2: '#9ecae1', h3: '#4f94c8', h4: '#1d5a93' };

async function renderCoverage() {
  if (!state.stats) state.stats = (await api('/api/v1/stats')).cells;
  const count = (country, type) => state.stats.find((c) => c.country === country && c.type === type)?.services ?? 0;
  const countries = [...state.countries].sort((a, b) => localized(a.names).text.localeCompare(localized(b.names).text, lang()));
  const table = $('#coverage-table');
  table.replaceChildren(
    h('caption', { class: 'sr-only' }, t('coverage_intro')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('country')),
      ...FAMILIES.map((f) => h('th', { scope: 'col', title: termLabel(f) }, h('abbr', { title: termLabel(f) }, f))))),
    h('tbody', {}, ...countries.map((c) => h('tr', { 'data-country': c.alpha2 },
      h('th', { scope: 'row' }, localized(c.names).text),
      ...FAMILIES.map((f) => { const n = count(c.alpha2, f); return h('td', { class: HEAT(n), 'data-type': f }, n); })))));
  shadeCountries();
}

function shadeCountries() {
  if (!state.stats || !outlines) return;
  const type = $('#c-type').value || 'REC';
  for (const [a2, layer] of outlineByCountry) {
    const n = state.stats.find((c) => c.country === a2 && c.type === type)?.services ?? 0;
    layer.setStyle({ fillColor: FILL[HEAT(n)], fillOpacity: state.config.tile_url ? 0.6 : 1 });
    layer.unbindTooltip();
    layer.bindTooltip(`${countryName(a2)}: ${n || t('coverage_gap')}`, { sticky: true });
    layer.options.interactive = true;
  }
  const el = document.querySelector('.legend');
  if (el) {
    el.replaceChildren(h('details', { open: true }, h('summary', {}, `${t('coverage_legend')}: ${termLabel(type)}`),
      ...[['h0', t('coverage_gap')], ['h1', '1'], ['h2', '2–3'], ['h3', '4–6'], ['h4', '7+']].map(([k, label]) => h('div', {}, h('span', { class: `swatch ${k}`, 'aria-hidden': 'true' }), ' ', label))));
  }
}

function unshadeCountries() {
  if (!outlines) return;
  outlines.resetStyle();
  drawLegend();
}

// ---------------------------------------------------------------- views and start-up
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
  if (leaving === 'coverage' && view !== 'coverage') { unshadeCountries(); map.addLayer(clusters); }
  if (view === 'coverage') { map.removeLayer(clusters); renderCoverage().catch(fail); map.fitBounds([[6, -118], [52, -60]]); }
  if (view === 'practices' && !state.practices) searchPractices();
  if (view === 'list') renderList();
  setTimeout(() => map.invalidateSize(), 0);
}

function wire() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => showView(tab.dataset.view));
    tab.addEventListener('keydown', (ev) => {
      const i = tabs.indexOf(tab);
      const next = ev.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : ev.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
      if (next) { ev.preventDefault(); next.focus(); showView(next.dataset.view); }
    });
  }
  $('#find-form').addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
  $('#find-form').addEventListener('reset', () => setTimeout(() => { updateWhere(); search(); }, 0));
  for (const radio of document.querySelectorAll('input[name="where"]')) radio.addEventListener('change', updateWhere);
  $('#practice-form').addEventListener('submit', (ev) => { ev.preventDefault(); searchPractices(); });
  $('#c-type').addEventListener('change', shadeCountries);
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
  const [config, , taxonomy, countries, places] = await Promise.all([
    api('/config.json').catch(() => ({})), setLanguage(chosen),
    api('/api/v1/taxonomy'), api('/api/v1/countries'), api('/api/v1/places').catch(() => ({ places: [] })),
  ]);
  Object.assign(state, { config, taxonomy: taxonomy.items, countries: countries.items, places: places.places });
  // Actors give services their contacts; the endpoint may not exist on older servers.
  api('/api/v1/actors?limit=1000').then((d) => { state.actors = new Map(d.items.map((a) => [a.id, a])); if (state.results.length) renderResults(); }).catch(() => { state.actors = new Map(); });
  initMap();
  fillFilters();
  apply();
  loadOutlines().catch(fail);
  const fromLink = /#list=([\d,]+)/.exec(location.hash);
  let saved = '';
  try { saved = sessionStorage.getItem('enlace.selected') || ''; } catch { /* storage off */ }
  for (const id of (fromLink ? fromLink[1] : saved).split(',').filter(Boolean)) state.selected.add(Number(id));
  saveSelected();
  await search();
  if (fromLink) showView('list');
  document.body.dataset.ready = 'true';
}

start().catch(fail);
