// The map: offline country outlines (finer ones and town names from zoom 5: basemap.js), every match of a search as clustered markers (sensitive
// sites at their public point, with a dashed ring), the search point, linked practice services
// and the legend. Leaflet and its plugins are loaded after the first results (mapReady): on a 3G
// line their 48 KB would hold the list back by a second.
import { t, localized } from './i18n.js';
import { h, fill, api, loadScript, loadStyle } from './dom.js';
import { FAMILIES, NUMERIC_TO_ALPHA2, state, termLabel } from './state.js';
import { isApproximate, primaryFamily } from './records.js';
import { openService } from './details.js';

let map; let ready; let outlines; let clusters; let tiles; let originMarker; let ring; let practiceLayer;
const outlineByCountry = new Map();
const drawn = new Map(); // service id -> its marker on the cluster layer
let userMoved = false;   // since the last search: then the map is not moved for the user

export const narrow = () => window.innerWidth <= 760;
export const leafletMap = () => map;
/** Where tiles.js draws very many matches: shown and hidden with the clustered markers. */
export const tileGroup = () => tiles;
export const outlineLayers = () => outlineByCountry;
export const hasOutlines = () => Boolean(outlines);

const vendor = (file) => new URL(`../vendor/${file}`, import.meta.url).href;

/** The map, made the first time it is asked for; resolves to the Leaflet map. */
export function mapReady() {
  ready ??= Promise.all([loadStyle(vendor('leaflet/leaflet.css')), loadStyle(vendor('markercluster/MarkerCluster.css')),
    loadScript(vendor('leaflet/leaflet.js')).then(() => loadScript(vendor('markercluster/leaflet.markercluster.js')))])
    .then(() => { createMap(); return map; })
    .catch((e) => { ready = null; throw e; });
  return ready;
}

function createMap() {
  map = L.map('map', { worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
  map.fitBounds([[6, -120], [50, -62]]);
  map.attributionControl.setPrefix(false);
  if (state.config.tile_url) {
    L.tileLayer(state.config.tile_url, { maxZoom: 18, attribution: state.config.tile_attribution || '' }).addTo(map);
  }
  clusters = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true,
    iconCreateFunction: (c) => L.divIcon({ html: `<span>${c.getChildCount()}</span>`, className: 'cluster', iconSize: [34, 34] }),
  }).addTo(map);
  tiles = L.layerGroup().addTo(map);
  practiceLayer = L.layerGroup().addTo(map);
  for (const ev of ['pointerdown', 'wheel', 'keydown']) map.getContainer().addEventListener(ev, () => { userMoved = true; }, { passive: true });
}

/** The legend's content (under the map on a phone, folded there to keep the map in view). */
export function setLegend(summary, rows) {
  fill(document.querySelector('#legend'), h('details', { open: !narrow() }, h('summary', {}, summary), rows));
}

export function drawLegend() {
  setLegend(t('legend'), [
    ...FAMILIES.map((f) => h('div', {}, h('span', { class: `dot fam-${f}`, 'aria-hidden': 'true' }), ' ', termLabel(f))),
    h('div', {}, h('span', { class: 'dot approx-key', 'aria-hidden': 'true' }), ' ', t('approximate'))]);
}

export async function loadOutlines() {
  await mapReady();
  await loadScript(vendor('topojson-client/topojson-client.min.js'));
  const topo = await api(new URL('../vendor/world-atlas/countries-110m.json', import.meta.url).href);
  const all = topojson.feature(topo, topo.objects.countries);
  const tiles = Boolean(state.config.tile_url);
  outlines = L.geoJSON(all, {
    interactive: false,
    style: (f) => (NUMERIC_TO_ALPHA2[f.id]
      ? { color: '#4a5a6a', weight: 1, fillColor: '#ffffff', fillOpacity: tiles ? 0 : 1 }
      : { color: '#8a96a3', weight: 0.5, fillColor: '#e4e7eb', fillOpacity: tiles ? 0 : 1 }),
    onEachFeature: (f, layer) => {
      const a2 = NUMERIC_TO_ALPHA2[f.id];
      if (!a2) return;
      outlineByCountry.set(a2, layer);
      layer.on('add', () => { const el = layer.getElement(); el.classList.add('member'); el.dataset.country = a2; });
    },
  }).addTo(map);
  outlines.bringToBack();
  // From zoom 5, finer outlines and town names (basemap.js): a module of its own, after the rest.
  const { startBasemap } = await import('./basemap.js');
  startBasemap(map, outlines);
}

export function resetOutlines() { outlines?.resetStyle(); }

export function markerFor(s, extraClass = '') {
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

/** Adds the services not drawn yet; resolves once the cluster layer holds them all. */
export function addPoints(services) {
  const fresh = [];
  for (const s of services) {
    if (!s.location || drawn.has(s.id)) continue;
    const m = markerFor(s);
    drawn.set(s.id, m);
    fresh.push(m);
  }
  if (fresh.length) clusters.addLayers(fresh);
  return new Promise((resolve) => {
    const check = () => (clusters.getLayers().length >= drawn.size ? resolve(drawn.size) : setTimeout(check, 50));
    check();
  });
}

/**
 * A new search: its first results as markers (more come with addPoints; none when tiles draw the
 * matches), the search point and its radius.
 */
export function showSearch(find, { markers = true } = {}) {
  clusters.clearLayers();
  drawn.clear();
  userMoved = false;
  if (markers) addPoints(find.items);
  originMarker?.remove();
  ring?.remove();
  originMarker = null;
  ring = null;
  const origin = state.origin;
  if (origin) {
    originMarker = L.circleMarker([origin.lat, origin.lon], { radius: 8, color: '#000', weight: 3, fillColor: '#fff', fillOpacity: 1 })
      .bindTooltip(origin.label).addTo(map);
    if (find.scope.km && !find.scope.countries) {
      ring = L.circle([origin.lat, origin.lon], { radius: find.scope.km * 1000, interactive: false, fill: false, color: '#0b5394', weight: 1.5, dashArray: '6 6' }).addTo(map);
    }
  }
  const points = find.items.filter((s) => s.location).slice(0, origin ? 5 : 500).map((s) => [s.location.lat, s.location.lon]);
  if (origin) points.push([origin.lat, origin.lon]);
  if (points.length) map.fitBounds(points, { padding: [30, 30], maxZoom: 9 });
}

/** Once every point of a list is drawn: show them all, unless the user has moved the map. */
export function fitAll() {
  if (userMoved || state.origin || !drawn.size) return;
  map.fitBounds(clusters.getBounds(), { padding: [30, 30], maxZoom: 9 });
}

export async function hideServices(hidden) {
  await mapReady();
  for (const layer of [clusters, tiles]) {
    if (hidden) map.removeLayer(layer); else map.addLayer(layer);
  }
}

export async function showLinked(services) {
  await mapReady();
  practiceLayer.clearLayers();
  const points = [];
  for (const s of services) {
    const m = markerFor(s, ' linked');
    if (m) { practiceLayer.addLayer(m); points.push([s.location.lat, s.location.lon]); }
  }
  if (points.length) map.fitBounds(points, { padding: [40, 40], maxZoom: 9 });
}

export const clearLinked = () => practiceLayer?.clearLayers();
