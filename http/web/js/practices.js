// Good practices: filters (country, RCM axis, service type, text) and the list; the detail is in
// details.js.
import { t, lang, localized } from './i18n.js';
import { $, h, fill, api, status, fail } from './dom.js';
import { state, countryName } from './state.js';
import { openPractice } from './details.js';
import { textMark } from './records.js';

function practiceItem(p) {
  const title = localized(p.title, p.resolved_language?.title);
  return h('li', { class: 'result practice', 'data-id': p.id },
    h('div', { class: 'r-head' }, h('button', { type: 'button', class: 'link name', onclick: () => openPractice(p) }, title.text), textMark(title)),
    h('p', { class: 'meta' }, (p.countries || []).map(countryName).join(', ')),
    h('p', { class: 'types' }, (p.axes || []).map((a) => t(`axis_${a}`)).join(' · ')));
}

export async function searchPractices() {
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
    fill($('#practices'), data.items.map(practiceItem));
  } catch (e) {
    if (e.status !== 404) { fail(e); return; }
    $('#practices-title').textContent = '';
    fill($('#practices'), h('li', { class: 'muted' }, t('practices_missing')));
    status(t('practices_missing'));
  }
}
