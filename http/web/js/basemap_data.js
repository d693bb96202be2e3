// The base layer's data (docs/web.md "Base layer"): a member country's 1:50m outline with its
// neighbours and its towns by the zoom they are labelled from, from our own server under the
// asset tag (cached for a year), else from the country's saved copy when the network fails.
export const TOWN_ZOOMS = [5, 8, 11];

const url = (path) => new URL(`../basemap/${path}`, import.meta.url).href;
const hasOfflineCopy = () => { try { return Boolean(localStorage.getItem('enlace.offline')); } catch { return false; } };

async function fromNetwork(path) {
  const response = await fetch(url(path), { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${response.status} basemap/${path}`);
  return response.json();
}

/** Network first; when it fails, the copy saved with the country (null when there is none). */
async function read(country, path, pick) {
  try {
    return await fromNetwork(path);
  } catch (e) {
    if (!(e instanceof TypeError) || !hasOfflineCopy()) throw e; // a 404 is an answer, not a failure
    const { savedBasemap } = await import('./offline_store.js');
    const saved = pick(await savedBasemap(country));
    if (!saved) throw e;
    return saved;
  }
}

/** TopoJSON of the country and its neighbours (object `countries`). */
export const outline = (country) => read(country, `outline/${country}.json`, (b) => b?.outline);

/** GeoJSON of the country's towns first labelled at `zoom` (5, 8 or 11), largest first. */
export const towns = (country, zoom) => read(country, `towns/${country}/${zoom}.json`, (b) => b?.towns?.[zoom]);

/** Everything of a country's base layer, from the network, for its saved copy. */
export async function fetchBasemap(country) {
  const [topology, ...byZoom] = await Promise.all([fromNetwork(`outline/${country}.json`),
    ...TOWN_ZOOMS.map((z) => fromNetwork(`towns/${country}/${z}.json`))]);
  return { outline: topology, towns: Object.fromEntries(TOWN_ZOOMS.map((z, i) => [z, byZoom[i]])) };
}
