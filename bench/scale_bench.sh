#!/usr/bin/env bash
# Scale-out (issue 14): the same reads against (a) one server on the SQLite file, (b) one server on
# PostgreSQL holding the same registry (`enlace copy`), (c) two servers on that database behind
# nginx; then 8 focal points writing at once through one server on PostgreSQL, with the time until
# the other server's index follows each write (woken by its change feed, no read asked) and until
# it shows it to a read; and PostGIS's own KNN (`<->` on geography, through pgbench)
# on the same points and database as the peer of nearest-10.
#
# Usage: bench/scale_bench.sh [SERVICES]     (SERVICES: 100000 default)
# Env:   ENLACE (the enlace binary), WORK (scratch dir), DURATION (wrk seconds, 10), WRITE_SECONDS
#        (20), EDITORS (8), RECORD_CACHE (16384, each server's --record-cache).
# Needs: wrk, sqlite3, curl, nginx, postgresql-15 + postgis (scripts/setup.sh installs the last two).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/bench/bench_support.sh"
services="${1:-100000}"
enlace="${ENLACE:-$here/build-bench/cli/enlace}"
work="${WORK:-$here/build-bench/bench-scale-$services}"
duration="${DURATION:-10}"
write_seconds="${WRITE_SECONDS:-20}"
editors="${EDITORS:-8}"
record_cache="${RECORD_CACHE:-16384}" # records each server keeps decoded (enlace serve --record-cache)
pgbench=/usr/lib/postgresql/15/bin/pgbench
port_a=18101
port_b=18102
port_front=18100

[[ -x "$enlace" ]] || { echo "no enlace binary at $enlace (set ENLACE)" >&2; exit 1; }
for tool in wrk sqlite3 curl nginx psql "$pgbench"; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
mkdir -p "$work/nginx-tmp"
chmod 777 "$work/nginx-tmp"
cluster="$work/pg"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2> /dev/null || true
    for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
    bash "$here/scripts/postgres-cluster.sh" stop "$cluster" > /dev/null 2>&1 || true
}
trap cleanup EXIT

# --- the registry: SERVICES on a grid over central Guatemala, as a file and as a database ---
sqlite_db="$work/scale.db"
if [[ ! -f "$sqlite_db" ]]; then
    echo "building a registry of $services services" >&2
    grid_services_csv "$services" 14.7 -91.3 1.0 1.6 s > "$work/services.csv"
    rm -f "$sqlite_db.part"
    "$enlace" --db "$sqlite_db.part" init > /dev/null
    "$enlace" --db "$sqlite_db.part" import "$work/services.csv" --source scale --quiet --no-duplicate-check
    mv "$sqlite_db.part" "$sqlite_db"
fi
cluster_uri="$(bash "$here/scripts/postgres-cluster.sh" start "$cluster" | tail -1)"
psql -X -q "$cluster_uri" -c "CREATE DATABASE scale TEMPLATE enlace_template" > /dev/null
pg_db="${cluster_uri/\/postgres\?//scale?}"
copy_start=$(date +%s.%N)
"$enlace" --db "$sqlite_db" copy --to "$pg_db" > /dev/null
echo "copied the registry into PostgreSQL in $(seconds_since "$copy_start") s" >&2
psql -X -q "$pg_db" -c "VACUUM ANALYZE" > /dev/null
token_a="$("$enlace" --db "$pg_db" user add scale-editor --role editor --country GT 2> /dev/null)"

cat > "$work/near.lua" <<'LUA'
local seed = 777
local function unit()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end
request = function()
  return wrk.format("GET", string.format("/api/v1/services?lat=%.4f&lon=%.4f&k=10&f=geojson",
                                         14.7 + unit(), -91.3 + 1.6 * unit()))
end
LUA
bbox="-90.9,14.9,-89.9,15.9"

start_server() {  # REGISTRY PORT THREADS
    "$enlace" --db "$1" serve --port "$2" --threads "$3" --max-connections-per-client 256 --record-cache "$record_cache" \
        > "$work/serve-$2.out" 2>> "$work/serve.log" &
    pids+=($!)
    wait_for "http://127.0.0.1:$2/readyz"
}
stop_servers() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
    pids=()
}

results="$work/results.tsv"
printf 'setup\tquery\trequests_per_s\tp50\tp99\tnon_2xx\n' > "$results"
run_wrk() {  # SETUP QUERY URL [wrk options]
    local setup="$1" name="$2" url="$3"; shift 3
    local out="$work/wrk-$setup-$name.txt"
    curl -fsS -o /dev/null "$url" 2> /dev/null || true
    wrk -t2 -c32 "-d${duration}s" --latency --timeout 30s "$@" "$url" > "$out" 2>&1
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$name" "$(awk '/^Requests\/sec/ {print $2}' "$out")" \
        "$(awk '$1 == "50%" {print $2}' "$out")" "$(awk '$1 == "99%" {print $2}' "$out")" \
        "$(awk '/Non-2xx or 3xx/ {print $5}' "$out" | grep . || echo 0)" | tee -a "$results"
}
read_queries() {  # SETUP BASE_URL
    run_wrk "$1" nearest10 "$2/" -s "$work/near.lua"
    run_wrk "$1" ogc_bbox_items100 "$2/ogcapi/collections/services/items?bbox=$bbox&limit=100"
    run_wrk "$1" country_type_page100 "$2/api/v1/services?country=GT&type=PRO&limit=100"
}

# --- (a) SQLite, (b) one server on PostgreSQL, (c) two behind nginx ---
start_server "$sqlite_db" "$port_a" 2
read_queries sqlite "http://127.0.0.1:$port_a"
stop_servers
start_server "$pg_db" "$port_a" 2
read_queries postgres "http://127.0.0.1:$port_a"
stop_servers

start_server "$pg_db" "$port_a" 1
start_server "$pg_db" "$port_b" 1
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  upstream enlace { server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; keepalive 64; }
  server {
    listen 127.0.0.1:$port_front;
    location / { proxy_pass http://enlace; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"
wait_for "http://127.0.0.1:$port_front/readyz"
read_queries postgres-2-servers-nginx "http://127.0.0.1:$port_front"
kill "$(cat "$work/nginx.pid")"
stop_servers

# --- writes: EDITORS focal points at once through server A on PostgreSQL; server B reads ---
start_server "$pg_db" "$port_a" 2
start_server "$pg_db" "$port_b" 2
followed_by_b() {  # the change log's revision server B's index has reached (its /healthz reads no store)
    curl -s "http://127.0.0.1:$port_b/healthz" | grep -o '"followed_revision":[0-9]*' | cut -d: -f2
}
editor() {  # N: writes for WRITE_SECONDS; one line per write: kind, latency ms, visible-on-B ms, followed-by-B ms
    local n="$1" end=$(( $(now_ms) + write_seconds * 1000 )) i=0 out id t0 t1 seen followed revision
    local head="$work/editor-$n.head"
    while (( $(now_ms) < end )); do
        t0=$(now_ms)
        out="$(curl -sS -D "$head" -w '\n%{http_code}' -H "Authorization: Bearer $token_a" -H 'Content-Type: application/json' \
            -d "{\"name\": {\"es\": \"Servicio del editor $n, $i\"}, \"types\": [\"LEG.AID\"], \"country\": \"GT\",
                 \"location\": {\"lon\": -90.$((1000 + n * 100 + i % 100)), \"lat\": 15.$((2000 + i % 1000))}}" \
            "http://127.0.0.1:$port_a/api/v1/services")" || out=$'\n000'
        t1=$(now_ms)
        [[ "${out##*$'\n'}" == 201 ]] || { echo "failed POST ${out##*$'\n'}"; i=$((i + 1)); continue; }
        id="$(grep -o '"id":[0-9]*' <<< "$out" | head -1 | cut -d: -f2)"
        revision="$(grep -i '^enlace-revision:' "$head" | tr -dc 0-9)"
        seen="-" followed="-"
        # Every other write, one of two times after its 201 (a read of the other server advances
        # its index itself, so the two are never measured on one write):
        if (( i % 2 == 0 )); then
            # until the other server's index has followed the log to it with no request of ours
            # reading its store: its change feed woke it (LISTEN/NOTIFY);
            followed=never
            for _ in $(seq 1 200); do
                if (( $(followed_by_b || echo 0) >= revision )); then followed=$(( $(now_ms) - t1 )); break; fi
            done
        else
            # until the other server shows it to a read (which checks the revision itself).
            seen=never
            for _ in $(seq 1 200); do
                if [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token_a" \
                    "http://127.0.0.1:$port_b/api/v1/services/$id")" == 200 ]]; then seen=$(( $(now_ms) - t1 )); break; fi
            done
        fi
        echo "create $((t1 - t0)) $seen $followed"
        t0=$(now_ms)
        status="$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH -H "Authorization: Bearer $token_a" \
            -H 'Content-Type: application/merge-patch+json' -H 'If-Match: "v1"' -d "{\"capacity\": $i}" \
            "http://127.0.0.1:$port_a/api/v1/services/$id")" || status=000
        [[ "$status" == 200 ]] && echo "patch $(( $(now_ms) - t0 ))" || echo "failed PATCH $status"
        i=$((i + 1))
    done
}
editor_pids=()
for n in $(seq 1 "$editors"); do editor "$n" > "$work/editor-$n.txt" & editor_pids+=($!); done
wait "${editor_pids[@]}"
stop_servers
cat "$work"/editor-*.txt > "$work/writes.txt"
read -r create_p50 create_p99 creates < <(awk '$1 == "create" {print $2}' "$work/writes.txt" | percentiles)
read -r patch_p50 patch_p99 patches < <(awk '$1 == "patch" {print $2}' "$work/writes.txt" | percentiles)
read -r seen_p50 seen_p99 seen < <(awk '$1 == "create" && $3 ~ /^[0-9]+$/ {print $3}' "$work/writes.txt" | percentiles)
read -r followed_p50 followed_p99 followed < <(awk '$1 == "create" && $4 ~ /^[0-9]+$/ {print $4}' "$work/writes.txt" | percentiles)
failed="$(grep -c '^failed' "$work/writes.txt" || true)"
never="$(awk '$1 == "create" && $3 == "never"' "$work/writes.txt" | wc -l)"
unfollowed="$(awk '$1 == "create" && $4 == "never"' "$work/writes.txt" | wc -l)"

# --- the peer: PostGIS's KNN on the same points, 32 clients, the public points as our nearest uses ---
cat > "$work/knn.sql" <<'SQL'
\set lat random(1470000, 1570000)
\set lon random(-9130000, -8970000)
SELECT id FROM services WHERE reach = 0 AND status IN ('active', 'temporarily_closed')
  ORDER BY public_site <-> ST_SetSRID(ST_MakePoint(:lon / 100000.0, :lat / 100000.0), 4326)::geography LIMIT 10;
SQL
rm -f "$work"/pgbench_log*
(cd "$work" && "$pgbench" -n -c 32 -j 2 -T "$duration" -f knn.sql -l --log-prefix=pgbench_log "$pg_db" > pgbench.txt 2>&1)
knn_tps="$(awk '/^tps/ {print $3; exit}' "$work/pgbench.txt")"
read -r knn_p50 knn_p99 knn_n < <(cat "$work"/pgbench_log* | awk '{print $3 / 1000}' | percentiles)
printf 'postgis-pgbench\tknn10_geography\t%s\t%sms\t%sms\t0\n' "$knn_tps" "$knn_p50" "$knn_p99" | tee -a "$results"

{
    echo "writes on PostgreSQL, $editors editors for $write_seconds s: $creates creates (median ${create_p50} ms, p99 ${create_p99} ms), $patches PATCHes (median ${patch_p50} ms, p99 ${patch_p99} ms), $failed failed"
    echo "the other server's index followed a create (every other one; woken, no read asked) after: median ${followed_p50} ms, p99 ${followed_p99} ms ($followed followed, $unfollowed never)"
    echo "the other server showed a create to a read (the others) after: median ${seen_p50} ms, p99 ${seen_p99} ms ($seen seen, $never never)"
    awk -F'\t' 'NR > 1 {rps[$1 "/" $2] = $3}
        END {
          n = split("nearest10 ogc_bbox_items100 country_type_page100", q, " ")
          for (i = 1; i <= n; i++) {
            s = rps["sqlite/" q[i]]; p = rps["postgres/" q[i]]; t = rps["postgres-2-servers-nginx/" q[i]]
            if (s > 0 && p > 0) printf "%s: PostgreSQL %.2f of SQLite; two servers behind nginx %.2f of one\n", q[i], p / s, t / p
          }
          k = rps["postgis-pgbench/knn10_geography"]; e = rps["postgres/nearest10"]
          if (k > 0) printf "nearest-10 over HTTP on PostgreSQL / PostGIS KNN in SQL: %.2f\n", e / k
        }' "$results"
} | tee "$work/summary.txt"
