// What the edit forms hold for each kind of record: one entry per input, by its JSON path in the
// body the write API takes (the JSON `enlace show` prints), with the widget that edits it. Nested
// members the forms do not break down (contacts, hours, partners...) are edited as JSON. Members
// the registry keeps (id, timestamps, review status, public point) are never in a form.
import { POPULATIONS } from './state.js';

const LANGS = ['es', 'en', 'fr'];
/** One input per interface language for a language map ({es, en, fr}). */
const localized = (member, label, widget = 'text') => LANGS.map((l) => ({ path: `${member}.${l}`, label, lang: l, widget, group: member }));

const SERVICE_STATUS = ['active', 'temporarily_closed', 'inactive', 'defunct'];
const PRECISION = ['exact', 'approximate', 'locality', 'admin1'];

export const FIELDS = {
  service: [
    ...localized('name', 'ed_name'),
    { path: 'types', label: 'types', widget: 'multi', options: 'taxonomy', required: true },
    { path: 'country', label: 'country', widget: 'select', options: 'countries', required: true },
    { path: 'actor_id', label: 'organisation', widget: 'select', options: 'actors', number: true },
    ...localized('description', 'description', 'textarea'),
    { path: 'location.lat', label: 'ed_lat', widget: 'number', step: 'any', group: 'location' },
    { path: 'location.lon', label: 'ed_lon', widget: 'number', step: 'any', group: 'location' },
    { path: 'location.precision', label: 'ed_precision', widget: 'select', options: PRECISION, words: 'ed_precision', group: 'location' },
    { path: 'address.street', label: 'ed_street', widget: 'text', group: 'address' },
    { path: 'address.locality', label: 'ed_locality', widget: 'text', group: 'address' },
    { path: 'languages', label: 'languages', widget: 'list', hint: 'ed_codes_hint' },
    { path: 'populations', label: 'populations', widget: 'multi', options: POPULATIONS, words: 'pop' },
    { path: 'age.min', label: 'ed_age_min', widget: 'number', step: '1', group: 'age' },
    { path: 'age.max', label: 'ed_age_max', widget: 'number', step: '1', group: 'age' },
    { path: 'gender', label: 'gender', widget: 'select', options: ['any', 'female', 'male'], words: 'gender' },
    { path: 'cost', label: 'cost', widget: 'select', options: ['free', 'paid', 'sliding'], words: 'cost' },
    { path: 'referral_required', label: 'referral', widget: 'bool' },
    { path: 'capacity', label: 'capacity', widget: 'number', step: '1' },
    { path: 'status', label: 'status', widget: 'select', options: SERVICE_STATUS, words: 'status' },
    { path: 'visibility', label: 'ed_visibility', widget: 'select', options: ['public', 'restricted'], words: 'ed_visibility' },
    { path: 'contacts', label: 'contact', widget: 'json' },
    { path: 'hours', label: 'hours', widget: 'json' },
    { path: 'service_area', label: 'service_area', widget: 'json' },
  ],
  actor: [
    ...localized('name', 'ed_name'),
    { path: 'acronym', label: 'ed_acronym', widget: 'text' },
    { path: 'actor_type', label: 'ed_actor_type', widget: 'text', options: 'actor_types', required: true },
    { path: 'countries', label: 'p_countries', widget: 'multi', options: 'countries', required: true },
    ...localized('description', 'description', 'textarea'),
    { path: 'website', label: 'ed_website', widget: 'text', type: 'url' },
    { path: 'email', label: 'ed_email', widget: 'text', type: 'email' },
    { path: 'contacts', label: 'contact', widget: 'json' },
  ],
  practice: [
    ...localized('title', 'ed_title'),
    { path: 'countries', label: 'p_countries', widget: 'multi', options: 'countries', required: true },
    { path: 'scope', label: 'p_scope', widget: 'select', options: ['national', 'admin1', 'admin2', 'cross_border', 'regional'], words: 'scope' },
    { path: 'axes', label: 'p_axes', widget: 'multi', options: [1, 2, 3, 4, 5], words: 'axis', number: true },
    { path: 'service_types', label: 'p_service_types', widget: 'multi', options: 'taxonomy' },
    { path: 'target_population', label: 'p_target', widget: 'multi', options: POPULATIONS, words: 'pop' },
    { path: 'period.start', label: 'ed_period_start', widget: 'text', group: 'period' },
    { path: 'period.end', label: 'ed_period_end', widget: 'text', group: 'period' },
    ...['problem', 'description', 'resources', 'results', 'lessons', 'replicability', 'sustainability']
      .flatMap((f) => localized(f, `p_${f}`, 'textarea')),
    { path: 'evidence_level', label: 'p_evidence', widget: 'select', options: ['anecdotal', 'monitoring_data', 'external_evaluation'], words: 'evidence' },
    { path: 'evidence_links', label: 'p_evidence_links', widget: 'list' },
    { path: 'institutionalised', label: 'p_institutionalised', widget: 'bool' },
    { path: 'budget_line', label: 'p_budget', widget: 'bool' },
    { path: 'principles', label: 'p_principles', widget: 'list', hint: 'ed_codes_hint' },
    { path: 'contact_email', label: 'p_contact', widget: 'text', type: 'email' },
    { path: 'original_language', label: 'p_original_language', widget: 'text' },
    { path: 'licence', label: 'p_licence', widget: 'text' },
    { path: 'actors', label: 'p_actors', widget: 'list', number: true, hint: 'ed_ids_hint' },
    { path: 'services', label: 'p_services', widget: 'list', number: true, hint: 'ed_ids_hint' },
    { path: 'partners', label: 'p_partners', widget: 'json' },
    { path: 'sources', label: 'p_sources', widget: 'json' },
  ],
};

/** The top-level members a kind's form edits: only these go into a patch. */
export const members = (kind) => [...new Set(FIELDS[kind].map((f) => f.path.split('.')[0]))];

/**
 * The field an error of the 422 body belongs to: its own path ("location.lat"), else the first
 * input under it ("age" -> age.min, "name" -> name.es), else the nearest one above it
 * ("contacts[0].value" -> contacts). Null when the form has no such input.
 */
export function fieldFor(kind, errorPath) {
  const path = String(errorPath).replace(/\[\d+\]/g, '');
  const fields = FIELDS[kind];
  return fields.find((f) => f.path === path)
    || fields.find((f) => f.path.startsWith(`${path}.`))
    || fields.filter((f) => path.startsWith(`${f.path}.`)).sort((a, b) => b.path.length - a.path.length)[0]
    || null;
}

const GROUP_LABELS = { location: 'ed_location', address: 'address', age: 'ages', period: 'p_period' };

/** A field's label key for a change log's path (the member's own label), else null. */
export function labelOf(kind, member) {
  if (GROUP_LABELS[member]) return GROUP_LABELS[member];
  return FIELDS[kind]?.find((x) => x.path === member || x.group === member)?.label ?? null;
}
