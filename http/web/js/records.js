// A service's parts in words: distance, place, contacts, hours, controlled values, language marks.
import { t, lang, localized, languageName } from './i18n.js';
import { isOpen, describe } from './hours.js';
import { $, h } from './dom.js';
import { FAMILIES, state, familyOf, countryName } from './state.js';

export function primaryFamily(service) {
  const wanted = $('#f-type').value;
  if (wanted && service.types.some((c) => c === wanted || c.startsWith(`${wanted}.`))) return familyOf(wanted);
  const families = service.types.map(familyOf);
  return FAMILIES.find((f) => families.includes(f)) || 'IDN';
}

export const isApproximate = (s) => Boolean(s.location && (s.location.coarsened || s.location.precision === 'approximate' || s.location.precision === 'admin1'));

export function distanceText(m) {
  if (m == null) return '';
  return m < 1000 ? t('m', { d: Math.round(m) }) : t('km', { d: (m / 1000).toLocaleString(lang(), { maximumFractionDigits: m < 10000 ? 1 : 0 }) });
}

export function fallbackMark(resolved, field) {
  const r = resolved?.[field];
  if (!r || !r.fallback) return null;
  return h('span', { class: 'badge fallback', title: t('fallback', { lang: languageName(r.language), want: languageName(lang()) }) },
    r.language.toUpperCase(), h('span', { class: 'sr-only' }, ` (${t('fallback', { lang: languageName(r.language), want: languageName(lang()) })})`));
}

/** Public contacts of a service, else of its organisation. */
export function contactsOf(s) {
  const own = (s.contacts || []).filter((c) => !c.personal);
  if (own.length) return own;
  const actor = state.actors?.get(s.actor_id);
  if (!actor) return [];
  const out = (actor.contacts || []).filter((c) => !c.personal);
  if (actor.email) out.push({ kind: 'email', value: actor.email });
  if (actor.website) out.push({ kind: 'url', value: actor.website });
  return out;
}

export function contactLink(c) {
  const v = c.value;
  if (c.kind === 'phone' || c.kind === 'hotline') return h('a', { href: `tel:${v.replace(/[^+\d]/g, '')}` }, v);
  if (c.kind === 'email') return h('a', { href: `mailto:${v}` }, v);
  if (c.kind === 'url' && /^https?:\/\//.test(v)) return h('a', { href: v, rel: 'noopener noreferrer', target: '_blank' }, v.replace(/^https?:\/\//, ''));
  return h('span', {}, v);
}

export function contactLine(s) {
  const list = contactsOf(s).slice(0, 2);
  if (!list.length) {
    const actor = state.actors?.get(s.actor_id);
    const who = actor ? `${localized(actor.name).text}${actor.acronym ? ` (${actor.acronym})` : ''}` : '';
    return h('p', { class: 'contact muted' }, who ? `${t('no_contact')}: ${who}` : t('no_contact'));
  }
  return h('p', { class: 'contact' }, ...list.flatMap((c, i) => (i ? [' · ', contactLink(c)] : [contactLink(c)])));
}

export function hoursLine(s) {
  const open = isOpen(s.hours);
  const badge = open == null ? null : h('span', { class: `badge ${open ? 'open' : 'closed'}` }, open ? t('open_now') : t('closed_now'));
  const text = !s.hours ? t('no_hours') : s.hours.always_open ? t('always_open') : describe(s.hours, (d) => t(`day_${d}`));
  return h('p', { class: 'hours' }, badge, badge ? ' ' : '', text);
}

/** A controlled value in words (gender_any, cost_free...), or the value itself. */
export function word(kind, value) {
  if (!value) return null;
  const key = `${kind}_${value}`;
  const text = t(key);
  return text === key ? value : text;
}

export function placeText(s) {
  const a = s.address || {};
  return [a.locality, a.admin1_name, countryName(s.country)].filter(Boolean).join(', ');
}
