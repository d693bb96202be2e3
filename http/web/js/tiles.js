// Very many matches: the map draws them as vector tiles from our own server (/tiles/services,
// counts on a world-anchored grid below zoom 12, public points only) instead of fetching every
// point. Leaflet.VectorGrid is loaded the first time it is needed, so the first visit stays light.
import { leafletMap, tileGroup } from './map.js';
import { openService } from './details.js';
import { loadScript } from './dom.js';

// The filters a tile answers; a search with any other (text, language, a position) keeps points.
const TILE_FILTERS = ['country', 'type', 'population', 'age'];
let layer = null;

export const tileable = (params) => Object.keys(params).every((name) => TILE_FILTERS.includes(name));

const loadLibrary = () => loadScript(new URL('../vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js', import.meta.url).href);

const style = (p) => (p.cluster
  ? { radius: Math.min(22, 7 + 3 * Math.log2(p.count)), fill: true, fillColor: '#0b5394', fillOpacity: 0.55, color: '#fff', weight: 1.5, className: 'tile-count' }
  : { radius: 6, fill: true, fillColor: '#1b7f5b', fillOpacity: 0.9, color: '#fff', weight: 1.5, className: 'tile-service' });

/** Draws the matches of these filters as tiles (replacing any drawn before). */
export async function showTiles(params) {
  await loadLibrary();
  hideTiles();
  const query = new URLSearchParams(params).toString();
  layer = L.vectorGrid.protobuf(`/tiles/services/{z}/{x}/{y}.mvt${query ? `?${query}` : ''}`, {
    rendererFactory: L.svg.tile, // the canvas renderer's clicks need a Leaflet 1.7 call
    interactive: true,
    maxNativeZoom: 16,
    vectorTileLayerStyles: { services: style },
  });
  layer.on('click', (e) => {
    const p = e.layer.properties;
    if (p.cluster) leafletMap().setView(e.latlng, Math.min(leafletMap().getZoom() + 2, 16));
    else openService(p.id);
  });
  tileGroup().addLayer(layer);
}

export function hideTiles() {
  if (layer) tileGroup().removeLayer(layer);
  layer = null;
}
