#!/usr/bin/env bash
# HTTP throughput of `enlace serve` against its ceiling (the same server's /healthz: a fixed small
# body, no store access) and against MapServer 8 (OGC API - Features over FastCGI under lighttpd,
# 2 processes, the same public points in a GeoPackage), measured side by side with wrk -t2 -c32.
#
# Usage: bench/http_bench.sh [SERVICES]      (SERVICES: 1000000 default, or 100000 / 10000)
# Env:   ENLACE (the enlace binary), SOURCE_DB (a registry of SERVICES synthetic services; default
#        build-bench/bench-data/services-SERVICES-g1.db, made by the query bench), WORK (scratch dir),
#        DURATION (wrk seconds, 10), SKIP_MAPSERVER=1.
# Needs: wrk, sqlite3, ogr2ogr, cgi-mapserver, mapserver-bin, lighttpd (apt-get install ...).
# The source registry is never written: it is copied, and the copy migrated with `enlace init`.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
services="${1:-1000000}"
enlace="${ENLACE:-$here/build-bench/cli/enlace}"
source_db="${SOURCE_DB:-$here/build-bench/bench-data/services-$services-g2.db}"
work="${WORK:-$here/build-bench/bench-http-$services}"
duration="${DURATION:-10}"
enlace_port=18080
peer_port=18081
wrk_args=(-t2 -c32 "-d${duration}s" --latency --timeout 30s)  # slow answers are counted, not dropped

[[ -x "$enlace" ]] || { echo "no enlace binary at $enlace (set ENLACE)" >&2; exit 1; }
[[ -f "$source_db" ]] || { echo "no registry at $source_db (run the query bench first, or set SOURCE_DB)" >&2; exit 1; }
for tool in wrk sqlite3 ogr2ogr; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
mkdir -p "$work"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; }
trap cleanup EXIT

db="$work/enlace.db"
if [[ ! -f "$db" ]]; then
    echo "copying $source_db" >&2
    sqlite3 "$source_db" ".backup '$db.part'"
    mv "$db.part" "$db"
fi
"$enlace" --db "$db" init > /dev/null  # migrates the copy to this program's schema (idempotent)

# --- the points nearest-10 rotates over (near towns, and two far from any service) ---
cat > "$work/near.lua" <<'LUA'
local points = {
  {14.63, -90.51}, {14.90, -92.26}, {19.43, -99.13}, {13.69, -89.19}, {15.50, -88.03}, {12.13, -86.25},
  {9.93, -84.09}, {8.98, -79.52}, {18.49, -69.93}, {32.52, -117.04}, {25.69, -100.31}, {34.05, -118.24},
  {29.76, -95.37}, {43.65, -79.38}, {17.50, -88.19}, {31.76, -106.49}, {0.0, -120.0}, {60.0, -150.0},
}
local i = 0
request = function()
  i = i % #points + 1
  local p = points[i]
  return wrk.format("GET", "/api/v1/services?lat=" .. p[1] .. "&lon=" .. p[2] .. "&k=10&f=geojson")
end
LUA

# The same query from 5,000 points spread over Mexico and Central America (a fixed pseudo-random
# sequence): about 50,000 distinct records in the answers, more than the server's cache of decoded
# records holds, so most are read from the file.
cat > "$work/near-spread.lua" <<'LUA'
local seed = 12345
local function next_unit()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end
local points = {}
for i = 1, 5000 do points[i] = {8.0 + 24.0 * next_unit(), -117.0 + 39.0 * next_unit()} end
local i = 0
request = function()
  i = i % #points + 1
  local p = points[i]
  return wrk.format("GET", string.format("/api/v1/services?lat=%.4f&lon=%.4f&k=10&f=geojson", p[1], p[2]))
end
LUA

bbox="-90.9,14.2,-89.9,15.2"   # 1 x 1 degree around Ciudad de Guatemala
results="$work/results.tsv"
printf 'server\tquery\trequests_per_s\tp50\tp99\tnon_2xx\ttimeouts\n' > "$results"

# Requests wrk left in flight are still answered after it stops: wait until the server has worked
# through them (a cheap request queued behind them comes back), so one run does not slow the next.
drain() {  # URL
    curl -fsS -o /dev/null --max-time 300 "$1" || true
}

# run_wrk SERVER QUERY URL [wrk options...]
run_wrk() {
    local server="$1" name="$2" url="$3"; shift 3
    local out="$work/wrk-$server-$name.txt"
    drain "$drain_url"
    wrk "${wrk_args[@]}" "$@" "$url" > "$out" 2>&1
    local rps p50 p99 bad timeouts
    rps="$(awk '/^Requests\/sec/ {print $2}' "$out")"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    bad="$(awk '/Non-2xx or 3xx/ {print $5}' "$out")"
    timeouts="$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' "$out")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$name" "$rps" "$p50" "$p99" "${bad:-0}" "${timeouts:-0}" | tee -a "$results"
}

wait_for() {  # URL
    for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2> /dev/null && return 0; sleep 0.2; done
    echo "nothing answers at $1" >&2; return 1
}

# --- enlace serve ---
"$enlace" --db "$db" serve --port "$enlace_port" --threads 2 > "$work/serve.out" 2> "$work/serve.log" &
enlace_pid=$!
pids+=("$enlace_pid")
base="http://127.0.0.1:$enlace_port"
drain_url="$base/healthz"
wait_for "$base/healthz"
# Warm up the file cache (the in-memory index is built before the server listens).
curl -fsS -o /dev/null "$base/api/v1/services?lat=14.6&lon=-90.5&k=10"
curl -fsS -o /dev/null "$base/ogcapi/collections/services/items?bbox=$bbox&limit=100"
curl -fsS -o /dev/null "$base/api/v1/services?country=GT&type=LEG&limit=100"

run_wrk enlace ceiling_healthz "$base/healthz"
run_wrk enlace nearest10_geojson "$base/" -s "$work/near.lua"
run_wrk enlace nearest10_geojson_5000_points "$base/" -s "$work/near-spread.lua"
run_wrk enlace ogc_bbox_items100 "$base/ogcapi/collections/services/items?bbox=$bbox&limit=100"
run_wrk enlace country_type_page100 "$base/api/v1/services?country=GT&type=LEG&limit=100"
drain "$drain_url"
rss_kb="$(ps -o rss= -p "$enlace_pid" | tr -d ' ')"
hwm_kb="$(awk '/VmHWM/ {print $2}' "/proc/$enlace_pid/status")"
printf 'enlace\tmemory\trss_kb=%s\tpeak_kb=%s\t\t\t\n' "$rss_kb" "$hwm_kb" | tee -a "$results"
kill -TERM "$enlace_pid"; wait "$enlace_pid" || true

# --- MapServer 8 over FastCGI (peers.md) ---
if [[ "${SKIP_MAPSERVER:-0}" != 1 ]]; then
    for tool in mapserv lighttpd; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
    gpkg="$work/peer.gpkg"
    if [[ ! -f "$gpkg" ]]; then
        echo "exporting the public points to $gpkg" >&2
        sqlite3 -csv -header "$db" "SELECT id, country, json_extract(doc, '\$.name.es') AS name, public_lon AS lon,
            public_lat AS lat FROM services WHERE visibility = 'public' AND status IN ('active', 'temporarily_closed')
            AND public_lon IS NOT NULL" > "$work/peer.csv"
        ogr2ogr -f GPKG "$gpkg" "$work/peer.csv" -nln services -a_srs EPSG:4326 \
            -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo AUTODETECT_TYPE=YES -oo KEEP_GEOM_COLUMNS=NO
        rm -f "$work/peer.csv"
    fi
    cat > "$work/mapserver.conf" <<CONF
CONFIG
  ENV
    MS_MAP_PATTERN "^$work/"
    OGCAPI_HTML_TEMPLATE_DIRECTORY "/usr/share/mapserver/ogcapi/templates/html-plain/"
  END
  MAPS
    "peer" "$work/peer.map"
  END
END
CONF
    cat > "$work/peer.map" <<MAPFILE
MAP
  NAME "peer"
  EXTENT -180 -90 180 90
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "ows_title" "peer" "ows_enable_request" "*" "oga_enable_request" "*"
      "oga_onlineresource" "http://127.0.0.1:$peer_port/ogcapi"
    END
  END
  LAYER
    NAME "services"
    TYPE POINT
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "$gpkg"
    DATA "services"
    PROCESSING "CLOSE_CONNECTION=DEFER"
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" "services" "ows_abstract" "services" "gml_include_items" "all" "gml_featureid" "id" "gml_types" "auto"
    END
    TEMPLATE "x"
  END
END
MAPFILE
    cat > "$work/lighttpd.conf" <<CONF
server.document-root = "$work"
server.bind = "127.0.0.1"
server.port = $peer_port
server.pid-file = "$work/lighttpd.pid"
server.errorlog = "$work/lighttpd-error.log"
server.modules = ("mod_rewrite", "mod_fastcgi")
url.rewrite-once = ("^/ogcapi(.*)\$" => "/mapserv/peer/ogcapi\$1")
fastcgi.server = ("/mapserv" => ((
    "bin-path" => "/usr/bin/mapserv",
    "socket" => "$work/mapserv.sock",
    "check-local" => "disable",
    "max-procs" => 2,
    "bin-environment" => ("MAPSERVER_CONFIG_FILE" => "$work/mapserver.conf"),
)))
CONF
    lighttpd -D -f "$work/lighttpd.conf" > "$work/lighttpd.out" 2>&1 &
    lighttpd_pid=$!
    pids+=("$lighttpd_pid")
    peer="http://127.0.0.1:$peer_port/ogcapi"
    drain_url="$peer/collections?f=json"
    wait_for "$peer/collections?f=json"
    curl -fsS -o "$work/peer-items.json" "$peer/collections/services/items?f=json&bbox=$bbox&limit=100"
    run_wrk mapserver ogc_bbox_items100 "$peer/collections/services/items?f=json&bbox=$bbox&limit=100"
    run_wrk mapserver ogc_collections "$peer/collections?f=json"
    # lighttpd leaves its FastCGI children running: note them first, then stop them by pid.
    children="$(pgrep -P "$lighttpd_pid" || true)"
    kill "$lighttpd_pid"; wait "$lighttpd_pid" || true
    for pid in $children; do kill "$pid" 2> /dev/null || true; done
fi

column -t -s $'\t' "$results"
