// The API's answers from the saved countries, when the network fails (docs/web.md "Offline"):
// the same paths and shapes as the server's, so that every view (search, near me, details, the
// list, practices, coverage) works unchanged. Filters as the server reads them; near a point,
// nearest first by great-circle (haversine) distance to each service's public point, in the page.
import { localized } from './i18n.js';
import { allBundles, savedCopies } from './offline_store.js';

const EARTH_RADIUS_M = 6371008.8; // the core's (core/include/enlace/core/geodesy.hpp)
const AVAILABLE_HERE = 10;        // as ServiceQuery::available_here_limit

let loaded = null;
/** The saved bundles, merged once into memory: services, actors, practices without repeats. */
function saved() {
  loaded ??= allBundles().then((entries) => {
    const merged = { countries: entries.map((e) => e.country), services: new Map(), actors: new Map(), practices: new Map(), places: [], taxonomy: [], memberCountries: [] };
    for (const { bundle } of entries) {
      for (const s of bundle.services) merged.services.set(s.id, s);
      for (const a of bundle.actors) merged.actors.set(a.id, a);
      for (const p of bundle.practices) merged.practices.set(p.id, p);
      merged.places.push(...bundle.places);
      merged.taxonomy = bundle.taxonomy;
      merged.memberCountries = bundle.countries;
    }
    merged.serviceList = [...merged.services.values()].sort((a, b) => a.id - b.id);
    return merged;
  });
  return loaded;
}
/** After a save, an update or a removal. */
export const forget = () => { loaded = null; };

export function haversineM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(x)));
}

// Accents and case do not matter, each word matches a word's start ("ninez" finds "niñez").
const fold = (text) => String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const words = (text) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const texts = (value) => (value == null ? [] : typeof value === 'string' ? [value] : Object.values(value));

function textMatcher(q) {
  const wanted = words(q);
  return (...values) => {
    const have = values.flatMap(texts).flatMap(words);
    return wanted.every((w) => have.some((h) => h.startsWith(w)));
  };
}

const list = (params, name) => (params.get(name) || '').split(',').map((v) => v.trim()).filter(Boolean);
// A family code (REC) includes its types (REC.SHORTSTAY).
const typeMatches = (codes, wanted) => wanted.some((w) => codes.some((c) => c === w || c.startsWith(`${w}.`)));

function serviceFilter(params) {
  const countries = list(params, 'country').map((c) => c.toUpperCase());
  const availableIn = list(params, 'available_in').map((c) => c.toUpperCase());
  const types = list(params, 'type').map((c) => c.toUpperCase());
  const populations = list(params, 'population');
  const languages = list(params, 'language').map((l) => l.toLowerCase());
  const age = params.has('age') ? Number(params.get('age')) : null;
  const text = params.get('q') ? textMatcher(params.get('q')) : null;
  return (s) => (!countries.length || countries.includes(s.country))
    && (!availableIn.length || availableIn.includes(s.country) || (!s.location && (s.service_area?.countries || []).some((c) => availableIn.includes(c))))
    && (!types.length || typeMatches(s.types || [], types))
    && (!populations.length || (s.populations || []).some((p) => populations.includes(p)))
    && (!languages.length || (s.languages || []).some((l) => languages.some((w) => l.toLowerCase() === w || l.toLowerCase().startsWith(`${w}-`))))
    && (age == null || ((s.age?.min ?? 0) <= age && age <= (s.age?.max ?? 120)))
    && (!text || text(s.name, s.description, s.address?.locality, s.address?.admin1_name));
}

const mapFeature = (s) => ({
  type: 'Feature', id: s.id,
  geometry: s.location ? { type: 'Point', coordinates: [s.location.lon, s.location.lat] } : null,
  properties: { name: localized(s.name).text, types: s.types, ...(s.location ? { precision: s.location.precision, coarsened: Boolean(s.location.coarsened) } : {}) },
});

function services(data, params) {
  const keep = serviceFilter(params);
  let matches = data.serviceList.filter(keep);
  let availableHere = [];
  const near = params.has('lat') && params.has('lon') ? { lat: Number(params.get('lat')), lon: Number(params.get('lon')) } : null;
  if (near) {
    // Services without a site serve the saved countries (the bundle's rule): pinned "available here".
    availableHere = matches.filter((s) => !s.location);
    const radius = params.has('radius_km') ? Number(params.get('radius_km')) * 1000 : Infinity;
    matches = matches.filter((s) => s.location)
      .map((s) => ({ ...s, distance_m: Math.round(haversineM(near, s.location) * 10) / 10 }))
      .filter((s) => s.distance_m <= radius)
      .sort((a, b) => a.distance_m - b.distance_m || a.id - b.id);
    if (params.has('k')) matches = matches.slice(0, Number(params.get('k')));
  }
  const limit = Number(params.get('limit') || 50);
  const start = Number(params.get('cursor') || 0);
  const page = matches.slice(start, start + limit);
  const next = start + limit < matches.length ? String(start + limit) : null;
  const offline = { countries: data.countries, copies: savedCopies() };
  if (params.get('f') === 'geojson') return { type: 'FeatureCollection', features: page.map(mapFeature), next_cursor: next, offline };
  const first = !start;
  return {
    items: page, next_cursor: next, offline,
    ...(params.get('with_total') === 'true' ? { total: matches.length } : {}),
    available_here: near && first ? availableHere.slice(0, AVAILABLE_HERE) : [],
    available_here_total: near && first ? availableHere.length : 0,
    // Offline there is no outline lookup on the server: the point is taken to be in the saved countries.
    ...(near ? { point_countries: data.countries } : {}),
  };
}

function practices(data, params) {
  const countries = list(params, 'country').map((c) => c.toUpperCase());
  const axes = list(params, 'axis').map(Number);
  const types = list(params, 'type').map((c) => c.toUpperCase());
  const text = params.get('q') ? textMatcher(params.get('q')) : null;
  const items = [...data.practices.values()].sort((a, b) => a.id - b.id).filter((p) => (!countries.length || (p.countries || []).some((c) => countries.includes(c)))
    && (!axes.length || (p.axes || []).some((a) => axes.includes(a)))
    && (!types.length || typeMatches(p.service_types || p.types || [], types))
    && (!text || text(p.title, p.problem, p.description, p.results)));
  return { items, next_cursor: null };
}

function stats(data) {
  const cells = new Map();
  for (const s of data.serviceList) {
    if (!data.countries.includes(s.country)) continue;
    for (const type of s.types) {
      const key = `${s.country}\t${type}`;
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
  }
  return { cells: [...cells].map(([key, services]) => { const [country, type] = key.split('\t'); return { country, type, services }; }) };
}

/** The answer to an API path from the saved countries, or undefined when they cannot answer it. */
export async function answer(path) {
  if (!savedCopies().length) return undefined;
  const url = new URL(path, location.href);
  const data = await saved();
  const p = url.pathname;
  const one = /^\/api\/v1\/(services|actors|practices)\/(\d+)$/.exec(p);
  if (one) return data[one[1]].get(Number(one[2]));
  switch (p) {
    case '/api/v1/services': return services(data, url.searchParams);
    case '/api/v1/actors': return { items: [...data.actors.values()], next_cursor: null };
    case '/api/v1/practices': return practices(data, url.searchParams);
    case '/api/v1/taxonomy': return { items: data.taxonomy };
    case '/api/v1/countries': return { items: data.memberCountries };
    case '/api/v1/places': return { places: data.places };
    case '/api/v1/stats': return stats(data);
    default: return undefined;
  }
}
