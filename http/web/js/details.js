// The details panel: every public field of a service or of a good practice.
import { t, lang, localized, languageName } from './i18n.js';
import { $, h, api, fail } from './dom.js';
import { state, termLabel, countryName } from './state.js';
import { contactsOf, contactLink, fallbackMark, hoursLine, isApproximate, placeText, word } from './records.js';
import { toggleSelected } from './list.js';
import { clearLinked, leafletMap, showLinked } from './map.js';

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
export function closeDetails() {
  $('#details').hidden = true;
  clearLinked();
  if (detailsReturnFocus && document.contains(detailsReturnFocus)) detailsReturnFocus.focus();
}

export async function openService(id) {
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
        s.location ? h('button', { type: 'button', onclick: () => { leafletMap().setView([s.location.lat, s.location.lon], 12); } }, t('show_on_map')) : null));
  } catch (e) { fail(e); }
}


export async function openPractice(p) {
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
  showLinked(services);
}
