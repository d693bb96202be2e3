// The base layer that orients (docs/web.md "Base layer"): from zoom 5, the member countries in view
// (and their neighbours) at Natural Earth 1:50m instead of the world's 1:110m, and the names of
// their towns from GeoNames, the largest first, as many as fit without overlapping. Loaded with
// import() after the first results; everything comes from our own server (basemap_data.js).
import { h } from './dom.js';
import { NUMERIC_TO_ALPHA2, state } from './state.js';
import { TOWN_ZOOMS, outline, towns } from './basemap_data.js';

export const FINE_ZOOM = 5;       // below it the 1:110m world is as good and far lighter
const MAX_LABELS = 80;            // per view; on a phone fewer fit anyway
const LABEL_GAP_PX = 4;           // between two labels' boxes
const CREDIT = 'Natural Earth · GeoNames (CC BY 4.0)';

let map; let coarse; let fine; let labels;
const outlines = new Map();    // alpha-2 -> promise of its topology's features drawn
const townsOf = new Map();     // `${alpha2}/${zoom}` -> promise of [{name, lat, lon, population, zoom}]
const fineIds = new Set();     // numeric ids drawn at 1:50m
const shapes = new Map();      // alpha-2 of a member -> its 1:50m GeoJSON geometry
let generation = 0;

/** A country's box [west, south, east, north] in view; one that crosses 180° (the United States',
 * from the Aleutians) as its two halves. */
function bboxInView(bbox, view) {
  if (!bbox) return false;
  const [west, south, east, north] = bbox;
  const halves = west <= east ? [[west, east]] : [[west, 180], [-180, east]];
  return halves.some(([w, e]) => view.intersects([[south, w], [north, e]]));
}

function outerRings(geometry) {
  if (geometry.type === 'Polygon') return [geometry.coordinates[0]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.map((p) => p[0]);
  return [];
}

function insideRing(ring, lon, lat) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]; const [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Whether the country's land is in the view, not only its box (Mexico's box covers western
 * Guatemala): one of its points in the view, or the view's centre or a corner on its land.
 */
function landInView(alpha2, view) {
  const geometry = shapes.get(alpha2);
  if (!geometry) return true; // no outline: judged by its box
  const rings = outerRings(geometry);
  const box = view.pad(0.05);
  if (rings.some((ring) => ring.some(([lon, lat]) => box.contains([lat, lon])))) return true;
  const probes = [view.getCenter(), view.getNorthWest(), view.getNorthEast(), view.getSouthWest(), view.getSouthEast()];
  return probes.some((p) => rings.some((ring) => insideRing(ring, p.lng, p.lat)));
}

function drawOutline(alpha2) {
  if (!outlines.has(alpha2)) {
    outlines.set(alpha2, outline(alpha2).then((topo) => {
      for (const f of topojson.feature(topo, topo.objects.countries).features) {
        const member = NUMERIC_TO_ALPHA2[f.id];
        if (member) shapes.set(member, f.geometry);
        if (fineIds.has(f.id)) continue; // a neighbour already drawn with another country
        fineIds.add(f.id);
        L.geoJSON(f, {
          interactive: false,
          style: () => (member
            ? { color: '#4a5a6a', weight: 1.2, fillColor: '#ffffff', fillOpacity: 1, className: 'fine member-fine' }
            : { color: '#8a96a3', weight: 0.8, fillColor: '#e4e7eb', fillOpacity: 1, className: 'fine' }),
          onEachFeature: (_, layer) => layer.on('add', () => {
            const el = layer.getElement();
            el.classList.add('fine');
            el.dataset.id = f.id;
            if (member) el.dataset.country = member;
          }),
        }).addTo(fine);
      }
    }).catch(() => { outlines.delete(alpha2); })); // offline and not saved, or not a member: the 1:110m stays
  }
  return outlines.get(alpha2);
}

function loadTowns(alpha2, zoom) {
  const key = `${alpha2}/${zoom}`;
  if (!townsOf.has(key)) {
    townsOf.set(key, towns(alpha2, zoom).then((fc) => fc.features.map((f) => ({
      name: f.properties.name, population: f.properties.population, capital: Boolean(f.properties.capital),
      lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0], zoom, country: alpha2,
    }))).catch(() => { townsOf.delete(key); return []; }));
  }
  return townsOf.get(key);
}

/** The 1:110m outline of a country drawn at 1:50m is hidden (kept for coverage's shading). */
function showCoarse(fineOn) {
  coarse.eachLayer((layer) => layer.getElement()?.classList.toggle('coarse-hidden', fineOn && fineIds.has(layer.feature.id)));
}

let measure;
/** A label's width in pixels, measured in the font app.css gives it (bold for a capital). */
function labelWidth(town) {
  measure ??= document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(map.getContainer()).fontFamily;
  measure.font = town.capital ? `700 13px ${family}` : `12px ${family}`;
  return measure.measureText(town.name).width;
}

/** Labels the largest towns first, skipping any whose box would overlap one already placed. */
function placeLabels(candidates, view) {
  labels.clearLayers();
  const placed = [];
  const sorted = candidates.filter((t) => view.contains([t.lat, t.lon]))
    .sort((a, b) => (b.capital - a.capital) || (b.population - a.population) || a.name.localeCompare(b.name));
  for (const town of sorted) {
    if (placed.length >= MAX_LABELS) break;
    const p = map.latLngToContainerPoint([town.lat, town.lon]);
    const width = labelWidth(town) + 4; // the halo
    const box = { left: p.x - width / 2, right: p.x + width / 2, top: p.y - 22, bottom: p.y + 4 };
    if (placed.some((o) => box.left < o.right + LABEL_GAP_PX && o.left < box.right + LABEL_GAP_PX
      && box.top < o.bottom + LABEL_GAP_PX && o.top < box.bottom + LABEL_GAP_PX)) continue;
    placed.push(box);
    const label = h('span', { class: 'town-name', 'aria-hidden': 'true' }, town.name);
    L.marker([town.lat, town.lon], {
      pane: 'towns', interactive: false, keyboard: false,
      icon: L.divIcon({ className: `town${town.capital ? ' capital' : ''}`, html: label, iconSize: null }),
    }).on('add', (ev) => Object.assign(ev.target.getElement().dataset, { name: town.name, population: town.population, zoom: town.zoom, country: town.country }))
      .addTo(labels);
  }
}

async function update() {
  const run = ++generation;
  const zoom = map.getZoom();
  const container = map.getContainer();
  const on = zoom >= FINE_ZOOM && state.view !== 'coverage';
  if (!on) {
    map.removeLayer(fine);
    labels.clearLayers();
    showCoarse(false);
    container.dataset.basemapZoom = String(zoom);
    return;
  }
  const view = map.getBounds();
  const members = state.countries.filter((c) => bboxInView(c.bbox, view)).map((c) => c.alpha2);
  await Promise.all(members.map(drawOutline));
  const tiers = TOWN_ZOOMS.filter((z) => z <= zoom);
  const lists = await Promise.all(members.filter((c) => landInView(c, view)).flatMap((c) => tiers.map((z) => loadTowns(c, z))));
  if (run !== generation) return; // the map moved meanwhile: the newer update draws
  map.addLayer(fine);
  fine.bringToBack(); // under the search's ring and the other outlines' lines
  showCoarse(true);
  placeLabels(lists.flat(), view);
  container.dataset.basemapZoom = String(zoom); // what the browser tests wait for
}

/** Starts the base layer over the map and its 1:110m outlines (map.js), unless tiles are set. */
export function startBasemap(leafletMap, coarseOutlines) {
  if (map || state.config.tile_url) return;
  map = leafletMap;
  coarse = coarseOutlines;
  const pane = map.createPane('towns'); // above the outlines, under the services' markers
  pane.style.zIndex = 450;
  pane.style.pointerEvents = 'none';
  fine = L.featureGroup();
  labels = L.layerGroup().addTo(map);
  map.attributionControl.addAttribution(CREDIT);
  map.on('moveend', () => { update().catch(() => {}); });
  // The coverage view shades the 1:110m outlines: the base layer steps aside there, and back after.
  new MutationObserver(() => { update().catch(() => {}); }).observe(document.body, { attributes: true, attributeFilter: ['data-view'] });
  update().catch(() => {});
}
