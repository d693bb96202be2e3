// The details panel: every public field of a service or of a good practice, labelled in the
// interface language (controlled values in words, never their codes).
import { t, lang, localized, languageName } from './i18n.js';
import { $, h, fill, api, fail } from './dom.js';
import { state, termLabel, countryName, actorOf, actorName } from './state.js';
import { contactsOf, contactLink, contactWithLabel, fallbackMark, hoursLine, illustrativeNote, isApproximate, placeText, textMark, word } from './records.js';
import { toggleSelected } from './list.js';
import { reportedNotice, reportProblem } from './report.js';
import { clearLinked, mapReady, showLinked } from './map.js';

/** A label and its value, or nothing when the value is empty. */
export function row(label, ...value) {
  const content = value.flat(Infinity).filter((v) => v != null && v !== '' && v !== false);
  if (!content.length) return null;
  return [h('dt', {}, label), h('dd', {}, content)];
}

const joined = (values, separator = ', ') => values.filter((v) => v != null && v !== '').join(separator);

let returnFocus = null;
function showDetails(...content) {
  returnFocus = document.activeElement;
  fill($('#details-body'), content);
  $('#details').hidden = false;
  $('#details').focus();
}

export function closeDetails() {
  $('#details').hidden = true;
  clearLinked();
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
}

function addButton(s) {
  const selected = state.selected.has(s.id);
  return h('button', { type: 'button', class: 'primary', 'aria-pressed': String(selected), onclick: (ev) => toggleSelected(s.id, ev.currentTarget) },
    selected ? t('remove') : t('add'));
}

function serviceFields(s) {
  const description = localized(s.description, s.resolved_language?.description);
  const a = s.address || {};
  const area = s.service_area;
  return h('dl', { class: 'fields' },
    row(t('types'), s.types.map(termLabel).join(' · ')),
    row(t('description'), description.text ? [description.text, ' ', fallbackMark(s.resolved_language, 'description')] : null),
    row(t('organisation'), actorName(actorOf(s))),
    row(t('address'), joined([a.street, a.locality, a.admin2_name, a.admin1_name, a.postal_code, countryName(s.country)])),
    row(t('service_area'), area ? joined([...(area.countries || []).map(countryName), ...(area.admin1 || [])]) : null),
    row(t('contact'), contactsOf(s).map((c, i) => (i ? [h('br'), contactWithLabel(c)] : contactWithLabel(c)))),
    row(t('hours'), hoursLine(s, { closures: true })),
    row(t('languages'), (s.languages || []).map(languageName).join(', ')),
    row(t('populations'), (s.populations || []).map((p) => word('pop', p)).join(', ')),
    row(t('ages'), s.age ? t('ages_range', { a: s.age.min ?? 0, b: s.age.max ?? '' }) : null),
    row(t('gender'), word('gender', s.gender)),
    row(t('cost'), word('cost', s.cost)),
    row(t('referral'), s.referral_required == null ? null : t(s.referral_required ? 'yes' : 'no')),
    row(t('capacity'), s.capacity),
    row(t('status'), word('status', s.status)),
    row(t('verified', { d: '' }).trim(), s.last_verified || t('not_verified')));
}

export async function openService(id) {
  try {
    const s = await api(`/api/v1/services/${id}?lang=${lang()}`);
    const name = localized(s.name, s.resolved_language?.name);
    showDetails(
      h('h2', { id: 'details-title' }, name.text, ' ', fallbackMark(s.resolved_language, 'name')),
      illustrativeNote(s),
      isApproximate(s) ? h('p', { class: 'badge approx block' }, t('approximate_note')) : null,
      reportedNotice(s),
      serviceFields(s),
      h('div', { class: 'actions' }, addButton(s),
        // An approximate place is not zoomed in on: street level would pretend to know the site.
        s.location ? h('button', { type: 'button', onclick: () => { mapReady().then((m) => m.setView([s.location.lat, s.location.lon], isApproximate(s) ? 10 : 14)); } }, t('show_on_map')) : null,
        state.account?.actionsFor('service', s)), // signed in (account.js): edit, history
      reportProblem(s));
  } catch (e) { fail(e); }
}

function practiceFields(p, services) {
  const text = (field) => {
    const r = localized(p[field], p.resolved_language?.[field]);
    return r.text ? [r.text, textMark(r)] : null;
  };
  const yesNo = (v) => (v == null ? null : t(v ? 'yes' : 'no'));
  const actor = (id) => actorName(state.actors?.get(id)) || `#${id}`;
  return h('dl', { class: 'fields' },
    row(t('p_countries'), (p.countries || []).map(countryName).join(', ')),
    row(t('p_scope'), joined([word('scope', p.scope), ...(p.admin_codes || [])])),
    row(t('p_actors'), (p.actors || []).map(actor).join(', ')),
    row(t('p_partners'), (p.partners || []).map((x) => `${x.name}${x.role ? ` – ${localized(x.role).text}` : ''}`).join('; ')),
    row(t('p_period'), p.period ? `${p.period.start ?? '?'} – ${p.period.end ?? t('p_ongoing')}` : null),
    row(t('p_axes'), (p.axes || []).map((a) => t(`axis_${a}`)).join(' · ')),
    row(t('p_service_types'), (p.service_types || []).map(termLabel).join(' · ')),
    row(t('p_gcm'), (p.gcm_objectives || []).join(', ')),
    row(t('p_target'), (p.target_population || []).map((x) => word('pop', x)).join(', ')),
    row(t('p_problem'), text('problem')),
    row(t('p_description'), text('description')),
    row(t('p_resources'), text('resources')),
    row(t('p_results'), text('results')),
    row(t('p_evidence'), word('evidence', p.evidence_level)),
    row(t('p_evidence_links'), (p.evidence_links || []).map((u) => h('div', {}, contactLink({ kind: 'url', value: u })))),
    row(t('p_lessons'), text('lessons')),
    row(t('p_replicability'), text('replicability')),
    row(t('p_sustainability'), text('sustainability')),
    row(t('p_institutionalised'), yesNo(p.institutionalised)),
    row(t('p_budget'), yesNo(p.budget_line)),
    row(t('p_principles'), (p.principles || []).map((x) => word('principle', x)).join(', ')),
    row(t('p_contact'), p.contact_email ? contactLink({ kind: 'email', value: p.contact_email }) : null),
    row(t('p_sources'), (p.sources || []).map((s) => h('div', {}, s.url ? contactLink({ kind: 'url', value: s.url }) : s.title,
      s.title && s.url ? ` ${s.title}` : null, s.accessed ? ` (${s.accessed})` : null))),
    row(t('p_validation'), joined([p.submitted_by, p.reviewed_by, p.reviewed_on], ' · ')),
    row(t('p_status'), word('review', p.review_status)),
    row(t('p_original_language'), p.original_language ? languageName(p.original_language) : null),
    row(t('p_licence'), p.licence),
    row(t('p_services'), services.length ? h('ul', { class: 'linked' }, services.map((s) => h('li', { 'data-id': s.id },
      h('button', { type: 'button', class: 'link', onclick: () => openService(s.id) }, localized(s.name, s.resolved_language?.name).text),
      ` – ${placeText(s)}`))) : null));
}

export async function openPractice(p) {
  try {
    // A linked service the public may not see (restricted) answers 404 and is left out.
    const services = (await Promise.all((p.services || []).map((id) => api(`/api/v1/services/${id}?lang=${lang()}`).catch(() => null)))).filter(Boolean);
    const title = localized(p.title, p.resolved_language?.title);
    showDetails(
      h('h2', { id: 'details-title' }, title.text, ' ', textMark(title)),
      illustrativeNote(p),
      practiceFields(p, services),
      state.account ? h('div', { class: 'actions' }, state.account.actionsFor('practice', p)) : null);
    await showLinked(services);
  } catch (e) { fail(e); }
}
