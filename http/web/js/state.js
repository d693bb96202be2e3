// What the page holds in memory (never in the URL or storage, except the chosen list's ids) and
// the reference data it looks codes up in.
import { localized } from './i18n.js';

export const FAMILIES = ['IDN', 'REC', 'PRO', 'LEG', 'FAM', 'HLT', 'VIO', 'INT'];
// ISO 3166-1 numeric ids of the member countries, as used by world-atlas.
export const MEMBERS = { BZ: '084', CA: '124', CR: '188', SV: '222', GT: '320', HN: '340', MX: '484', NI: '558', PA: '591', DO: '214', US: '840' };
export const NUMERIC_TO_ALPHA2 = Object.fromEntries(Object.entries(MEMBERS).map(([a, n]) => [n, a]));
export const SPOKEN = ['es', 'en', 'fr', 'ht', 'quc', 'mam', 'kjb'];
export const POPULATIONS = ['unaccompanied', 'separated', 'accompanied', 'returned', 'in_transit', 'asylum_seeking', 'refugee', 'trafficking_victim'];

export const state = {
  config: {}, taxonomy: [], countries: [], places: [], actors: null,
  // find: the current search (results shown, total, scope, available here, next page)
  find: null, practices: null, stats: null,
  selected: new Set(), view: 'find',
  origin: null, // the search point, in memory only: {lat, lon, label, approximate}
  pointCountries: null, // the countries the last near search's point is in (alpha-2)
};

export const term = (code) => state.taxonomy.find((x) => x.code === code);
export const termLabel = (code) => { const x = term(code); return x ? localized(x.labels).text : code; };
export const countryName = (a2) => { const c = state.countries.find((x) => x.alpha2 === a2); return c ? localized(c.names).text : a2; };
export const familyOf = (code) => String(code).split('.')[0];
export const actorOf = (s) => state.actors?.get(s.actor_id);
export const actorName = (a) => (a ? localized(a.name).text + (a.acronym ? ` (${a.acronym})` : '') : '');
