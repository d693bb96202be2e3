// Coverage: public services by country x service family from /api/v1/stats as a heat table
// (0 = a gap, in red), and the member countries shaded by a chosen family or type.
import { t, lang, localized } from './i18n.js';
import { $, h, fill, api } from './dom.js';
import { FAMILIES, state, termLabel, countryName } from './state.js';
import { drawLegend, hasOutlines, outlineLayers, resetOutlines, setLegend } from './map.js';

const HEAT = (n) => (n === 0 ? 'h0' : n === 1 ? 'h1' : n <= 3 ? 'h2' : n <= 6 ? 'h3' : 'h4');
const FILL = { h0: '#f4c7c3', h1: '#d6e6f4', h2: '#9ecae1', h3: '#4f94c8', h4: '#1d5a93' };
const count = (country, type) => state.stats.find((c) => c.country === country && c.type === type)?.services ?? 0;

export async function renderCoverage() {
  if (!state.stats) state.stats = (await api('/api/v1/stats')).cells;
  const countries = [...state.countries].sort((a, b) => localized(a.names).text.localeCompare(localized(b.names).text, lang()));
  fill($('#coverage-table'),
    h('caption', { class: 'sr-only' }, t('coverage_intro')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('country')),
      FAMILIES.map((f) => h('th', { scope: 'col', title: termLabel(f) }, h('abbr', { title: termLabel(f) }, f))))),
    h('tbody', {}, countries.map((c) => h('tr', { 'data-country': c.alpha2 },
      h('th', { scope: 'row' }, localized(c.names).text),
      FAMILIES.map((f) => { const n = count(c.alpha2, f); return h('td', { class: HEAT(n), 'data-type': f }, n); })))));
  shadeCountries();
}

export function shadeCountries() {
  if (!state.stats || !hasOutlines()) return;
  const type = $('#c-type').value || 'REC';
  for (const [a2, layer] of outlineLayers()) {
    const n = count(a2, type);
    layer.setStyle({ fillColor: FILL[HEAT(n)], fillOpacity: state.config.tile_url ? 0.6 : 1 });
    layer.unbindTooltip();
    layer.bindTooltip(`${countryName(a2)}: ${n || t('coverage_gap')}`, { sticky: true });
    layer.options.interactive = true;
  }
  setLegend(`${t('coverage_legend')}: ${termLabel(type)}`,
    [['h0', t('coverage_gap')], ['h1', '1'], ['h2', '2–3'], ['h3', '4–6'], ['h4', '7+']].map(([k, label]) => h('div', {}, h('span', { class: `swatch ${k}`, 'aria-hidden': 'true' }), ' ', label)));
}

export function unshadeCountries() {
  resetOutlines();
  drawLegend();
}
