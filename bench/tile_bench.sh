#!/usr/bin/env bash
# Vector tiles: `enlace serve` answering /tiles/services/{z}/{x}/{y}.mvt at zooms 4, 8, 12 and 16
# against its ceiling (the same server's /healthz), and beside `ogr2ogr -f MVT` (GDAL's MVT
# writer, the peer) building the same tiles from a GeoPackage of the same public points.
#
# Usage: bench/tile_bench.sh [SERVICES]      (SERVICES: 1000000 default, or 100000 / 10000)
# Env:   ENLACE (the enlace binary), SOURCE_DB (a registry of SERVICES synthetic services; default
#        build/bench-data/services-SERVICES-g2.db, made by the query bench), WORK (scratch dir),
#        DURATION (wrk seconds, 10), SKIP_PEER=1.
# Needs: wrk, sqlite3, ogr2ogr, curl. The source registry is never written: it is copied.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
services="${1:-1000000}"
enlace="${ENLACE:-$here/build/cli/enlace}"
source_db="${SOURCE_DB:-$here/build/bench-data/services-$services-g2.db}"
work="${WORK:-$here/build/bench-tiles-$services}"
duration="${DURATION:-10}"
port=18090
wrk_args=(-t2 -c32 "-d${duration}s" --latency --timeout 30s)
zooms=(4 8 12 16)

[[ -x "$enlace" ]] || { echo "no enlace binary at $enlace (set ENLACE)" >&2; exit 1; }
[[ -f "$source_db" ]] || { echo "no registry at $source_db (run the query bench first, or set SOURCE_DB)" >&2; exit 1; }
for tool in wrk sqlite3 ogr2ogr curl python3; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
mkdir -p "$work"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; }
trap cleanup EXIT

db="$work/enlace.db"
if [[ ! -f "$db" ]]; then
    sqlite3 "$source_db" ".backup '$db.part'"
    mv "$db.part" "$db"
fi
"$enlace" --db "$db" init > /dev/null

# The tiles asked for: at each zoom, the tile holding each of 16 towns of the region.
python3 - "$work" "${zooms[@]}" <<'PY'
import math, sys
work, zooms = sys.argv[1], [int(z) for z in sys.argv[2:]]
towns = [(14.63, -90.51), (14.90, -92.26), (19.43, -99.13), (13.69, -89.19), (15.50, -88.03), (12.13, -86.25),
         (9.93, -84.09), (8.98, -79.52), (18.49, -69.93), (32.52, -117.04), (25.69, -100.31), (34.05, -118.24),
         (29.76, -95.37), (43.65, -79.38), (17.50, -88.19), (31.76, -106.49)]
for z in zooms:
    n = 2 ** z
    tiles = []
    for lat, lon in towns:
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        tiles.append((z, x, y))
    with open(f"{work}/tiles-{z}.txt", "w") as f:
        for t in tiles:
            f.write("%d %d %d\n" % t)
    with open(f"{work}/tiles-{z}.lua", "w") as f:
        f.write("local tiles = {" + ", ".join('"/tiles/services/%d/%d/%d.mvt"' % t for t in tiles) + "}\n")
        f.write("local i = 0\nrequest = function()\n  i = i % #tiles + 1\n  return wrk.format('GET', tiles[i])\nend\n")
PY

results="$work/results.tsv"
printf 'server\tquery\trequests_per_s\tp50\tp99\tnon_2xx\tbytes_mean\tbytes_max\tgzip_mean\n' > "$results"

wait_for() { for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2> /dev/null && return 0; sleep 0.2; done; return 1; }

run_wrk() {  # NAME URL [wrk options...] -> requests/s, p50, p99, non-2xx
    local name="$1" url="$2"; shift 2
    local out="$work/wrk-$name.txt"
    curl -fsS -o /dev/null --max-time 300 "$base/healthz" || true
    wrk "${wrk_args[@]}" "$@" "$url" > "$out" 2>&1
    printf '%s\t%s\t%s\t%s' "$(awk '/^Requests\/sec/ {print $2}' "$out")" "$(awk '$1 == "50%" {print $2}' "$out")" \
        "$(awk '$1 == "99%" {print $2}' "$out")" "$(awk '/Non-2xx or 3xx/ {print $5}' "$out")"
}

"$enlace" --db "$db" serve --port "$port" --threads 2 --max-connections-per-client 256 > "$work/serve.out" 2> /dev/null &
pids+=($!)
base="http://127.0.0.1:$port"
wait_for "$base/healthz"
printf 'enlace\tceiling_healthz\t%s\t\t\t\n' "$(run_wrk ceiling "$base/healthz")" | tee -a "$results"
for z in "${zooms[@]}"; do
    sizes=() gz=()
    while read -r tz tx ty; do
        sizes+=("$(curl -fsS -o /dev/null -w '%{size_download}' "$base/tiles/services/$tz/$tx/$ty.mvt")")
        gz+=("$(curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "$base/tiles/services/$tz/$tx/$ty.mvt")")
    done < "$work/tiles-$z.txt"
    stats="$(printf '%s\n' "${sizes[@]}" | awk '{s += $1; if ($1 > m) m = $1} END {printf "%d\t%d", s / NR, m}')"
    gzip_mean="$(printf '%s\n' "${gz[@]}" | awk '{s += $1} END {printf "%d", s / NR}')"
    printf 'enlace\ttiles_z%s\t%s\t%s\t%s\n' "$z" "$(run_wrk "z$z" "$base/" -s "$work/tiles-$z.lua")" "$stats" "$gzip_mean" |
        tee -a "$results"
done
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2> /dev/null || true

# --- the peer: ogr2ogr -f MVT, one run per tile (what building that tile on request costs) ---
if [[ "${SKIP_PEER:-0}" != 1 ]]; then
    gpkg="$work/peer.gpkg"
    if [[ ! -f "$gpkg" ]]; then
        sqlite3 -csv -header "$db" "SELECT id, public_lon AS lon, public_lat AS lat FROM services
            WHERE visibility = 'public' AND status IN ('active', 'temporarily_closed') AND public_lon IS NOT NULL
            AND review_status = 'published' AND deleted = 0" > "$work/peer.csv"
        ogr2ogr -f GPKG "$gpkg" "$work/peer.csv" -nln services -a_srs EPSG:4326 \
            -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo AUTODETECT_TYPE=YES -oo KEEP_GEOM_COLUMNS=NO
        rm -f "$work/peer.csv"
    fi
    for z in "${zooms[@]}"; do
        times=()
        while read -r tz tx ty; do
            read -r w s e n < <(python3 -c "
import math,sys
z,x,y=$tz,$tx,$ty
N=2**z
lat=lambda t: math.degrees(math.atan(math.sinh(math.pi*(1-2*t/N))))
print(x/N*360-180, lat(y+1), (x+1)/N*360-180, lat(y))")
            out="$work/peer-$tz-$tx-$ty"
            rm -rf "$out"
            start=$(date +%s.%N)
            ogr2ogr -f MVT "$out" "$gpkg" -spat "$w" "$s" "$e" "$n" -dsco MINZOOM="$tz" -dsco MAXZOOM="$tz" \
                -dsco FORMAT=DIRECTORY -dsco COMPRESS=NO -dsco MAX_SIZE=500000 > /dev/null 2>&1
            end=$(date +%s.%N)
            times+=("$(python3 -c "print(($end - $start) * 1000)")")
        done < "$work/tiles-$z.txt"
        printf '%s\n' "${times[@]}" | sort -g > "$work/peer-times-$z.txt"
        python3 - "$work/peer-times-$z.txt" "$z" <<'PY' | tee -a "$results"
import sys
t = [float(v) for v in open(sys.argv[1])]
p = lambda q: t[min(len(t) - 1, max(0, int(-(-q * len(t) // 1)) - 1))]
print("ogr2ogr_mvt\ttiles_z%s\t%.2f\t%.1fms\t%.1fms\t\t\t\t" % (sys.argv[2], 1000 * len(t) / sum(t), p(0.5), p(0.99)))
PY
    done
fi
column -t -s $'\t' "$results"
