#!/usr/bin/env bash
# Load and soak (issue 15): `enlace serve` under 64 connections of mixed reads (nearest-10, an OGC
# bbox page, a text search, a small CSV export) for DURATION seconds, first alone and then while an
# `enlace import` of LIVE services and a focal point's edits over HTTP write the same registry.
# The figure is the mix's throughput and p99 under writes as a ratio of the same mix without them,
# measured in the same run, with the errors of each (none expected), the torn reads seen (a
# reader counting the imported area must see all of the import or none of it), the server's
# memory before, at its peak and after, and how long SIGTERM takes to stop it under that load.
#
# Usage: bench/soak_bench.sh [SERVICES]      (SERVICES: 100000 default)
# Env:   ENLACE (the enlace binary), WORK (scratch dir), DURATION (wrk seconds, 60), LIVE (services
#        the import adds while serving, 20000), THREADS (server threads, 2), SLOW (connections that
#        send a body at 1 byte/s beside the load, 16), STORE (sqlite, or
#        postgres: the same registry copied into a database of a cluster the script starts under
#        WORK and stops at the end, which the server, the import and the editor then share).
# Needs: wrk, sqlite3, curl (apt-get install wrk sqlite3 curl); for postgres, postgresql-15 and
#        PostGIS (scripts/setup.sh installs them).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/bench/bench_support.sh"
services="${1:-100000}"
enlace="${ENLACE:-$here/build-bench/cli/enlace}"
work="${WORK:-$here/build-bench/bench-soak-$services}"
duration="${DURATION:-60}"
live="${LIVE:-20000}"
threads="${THREADS:-2}"
store="${STORE:-sqlite}"
[[ "$store" == sqlite || "$store" == postgres ]] || { echo "STORE must be sqlite or postgres" >&2; exit 2; }
port=18090
base="http://127.0.0.1:$port"
connections=64

[[ -x "$enlace" ]] || { echo "no enlace binary at $enlace (set ENLACE)" >&2; exit 1; }
for tool in wrk sqlite3 curl; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
mkdir -p "$work"
pids=()
cluster="$work/pg"
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
    [[ "$store" == postgres ]] && bash "$here/scripts/postgres-cluster.sh" stop "$cluster" > /dev/null 2>&1 || true
}
trap cleanup EXIT

# --- the registry: SERVICES on a grid over central Guatemala, and LIVE more for the live import in
# Petén, apart from them, so that a count of the Petén box is the import's progress.
db="$work/soak.db"
if [[ ! -f "$work/base.db" ]]; then
    echo "building a registry of $services services" >&2
    grid_services_csv "$services" 14.7 -91.3 1.0 1.6 b > "$work/base.csv"
    rm -f "$work/base.db.part"
    "$enlace" --db "$work/base.db.part" init > /dev/null
    "$enlace" --db "$work/base.db.part" import "$work/base.csv" --source soak-base --quiet --no-duplicate-check
    mv "$work/base.db.part" "$work/base.db"
fi
grid_services_csv "$live" 16.5 -90.5 0.2 0.2 l > "$work/live.csv"
live_bbox="-90.51,16.49,-90.29,16.71"
if [[ "$store" == postgres ]]; then
    cluster_uri="$(bash "$here/scripts/postgres-cluster.sh" start "$cluster" | tail -1)"
    psql -X -q "$cluster_uri" -c "CREATE DATABASE soak TEMPLATE enlace_template" > /dev/null
    db="${cluster_uri/\/postgres\?//soak?}"
    "$enlace" --db "$work/base.db" copy --to "$db" > /dev/null
else
    rm -f "$db" "$db-wal" "$db-shm"
    sqlite3 "$work/base.db" ".backup '$db'"
fi
token="$("$enlace" --db "$db" user add soak-editor --role editor --country GT 2> /dev/null)"

# --- the mix: a quarter each of nearest-10, an OGC items page in a 1 x 1 degree box, a text search
# and a CSV export of a 0.1 x 0.1 degree box (about SERVICES / 160 rows), at rotating places.
cat > "$work/mix.lua" <<'LUA'
local seed = 4242
local function unit()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end
local i = 0
request = function()
  i = i + 1
  local lat, lon = 14.7 + unit(), -91.3 + 1.6 * unit()
  local kind = i % 4
  if kind == 0 then
    return wrk.format("GET", string.format("/api/v1/services?lat=%.4f&lon=%.4f&k=10&f=geojson", lat, lon))
  elseif kind == 1 then
    return wrk.format("GET", string.format(
      "/ogcapi/collections/services/items?bbox=%.3f,%.3f,%.3f,%.3f&limit=100", lon, lat, lon + 1, lat + 1))
  elseif kind == 2 then
    return wrk.format("GET", string.format("/api/v1/services?q=servicio+%d&limit=20", math.floor(unit() * 100000)))
  end
  return wrk.format("GET", string.format("/api/v1/export?format=csv&bbox=%.3f,%.3f,%.3f,%.3f",
                                         lon, lat, lon + 0.1, lat + 0.1))
end
LUA

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

start_server() {
    # One address stands for 64 clients here: its share is the whole (docs/reliability.md).
    "$enlace" --db "$db" serve --port "$port" --threads "$threads" --max-connections 256 \
        --max-connections-per-client 256 > "$work/serve.out" 2>> "$work/serve.log" &
    server_pid=$!
    pids+=("$server_pid")
    wait_for "$base/healthz"
}

results="$work/results.tsv"
printf 'phase\trequests\trequests_per_s\tp50\tp99\tnon_2xx\tsocket_errors\n' > "$results"
run_wrk() {  # PHASE SECONDS
    local out="$work/wrk-$1.txt"
    wrk -t2 "-c$connections" "-d$2s" --latency --timeout 30s -s "$work/mix.lua" "$base" > "$out" 2>&1 || true
    local requests rps p50 p99 bad errors
    requests="$(awk '/requests in/ {print $1}' "$out")"
    rps="$(awk '/^Requests\/sec/ {print $2}' "$out")"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    bad="$(awk '/Non-2xx or 3xx/ {print $5}' "$out")"
    errors="$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' "$out")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$requests" "$rps" "$p50" "$p99" "${bad:-0}" "${errors:-0}" \
        | tee -a "$results"
}

# The editor: creates a service, then edits it twice with the version read, until told to stop.
editor() {  # STOP_FILE
    local i=0 created=0 failed=0 id body status
    while [[ ! -f "$1" ]]; do
        body="$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d "{\"name\": {\"es\": \"Servicio editado $i\"}, \"types\": [\"LEG.AID\"], \"country\": \"GT\",
                 \"location\": {\"lon\": $(awk "BEGIN {print -91.2 + ($i % 300) * 0.003}"), \"lat\": 15.2}}" \
            "$base/api/v1/services")" || { failed=$((failed + 1)); continue; }
        status="${body##*$'\n'}"
        if [[ "$status" != 201 ]]; then failed=$((failed + 1)); echo "POST: $body" >> "$work/editor-errors.log"; continue; fi
        id="$(grep -o '"id":[0-9]*' <<< "$body" | head -1 | cut -d: -f2)"
        created=$((created + 1))
        for version in 1 2; do
            status="$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH -H "Authorization: Bearer $token" \
                -H 'Content-Type: application/merge-patch+json' -H "If-Match: \"v$version\"" \
                -d "{\"capacity\": $((i + version))}" "$base/api/v1/services/$id")" || status=000
            [[ "$status" == 200 ]] || { failed=$((failed + 1)); echo "PATCH $id: $status" >> "$work/editor-errors.log"; }
        done
        i=$((i + 1))
    done
    echo "$created $((created * 2)) $failed" > "$work/editor.txt"
}

# The reader of the import's area: each count must be none or all of the import.
area_reader() {  # STOP_FILE
    local none=0 all=0 torn=0 total
    while [[ ! -f "$1" ]]; do
        total="$(curl -fsS "$base/api/v1/services?bbox=$live_bbox&limit=1&with_total=true" |
            grep -o '"total":[0-9]*' | cut -d: -f2)" || total="failed"
        case "$total" in
        0) none=$((none + 1)) ;;
        "$live") all=$((all + 1)) ;;
        *) torn=$((torn + 1)); echo "total $total" >> "$work/torn.log" ;;
        esac
    done
    echo "$none $all $torn" > "$work/area.txt"
}

rm -f "$work"/*.log "$work/stop"
start_server
for url in "/api/v1/services?lat=14.9&lon=-90.5&k=10" "/ogcapi/collections/services/items?bbox=-91,14.8,-90,15.8&limit=100"; do
    curl -fsS -o /dev/null "$base$url"
done
run_wrk warm-up 10
rss_before="$(rss_kb "$server_pid")"

# --- reads alone, then the same reads while the import and the editor write ---
run_wrk reads "$duration"
rss_reads="$(rss_kb "$server_pid")"

editor "$work/stop" &
editor_pid=$!
area_reader "$work/stop" &
reader_pid=$!
( sleep 5; start=$(date +%s.%N)
  "$enlace" --db "$db" import "$work/live.csv" --source soak-live --quiet --no-duplicate-check > "$work/import.log" 2>&1
  echo "$? $(seconds_since "$start")" > "$work/import.txt" ) &
import_pid=$!
( while kill -0 "$server_pid" 2> /dev/null && [[ ! -f "$work/stop" ]]; do rss_kb "$server_pid"; sleep 1; done ) > "$work/rss.txt" &
# Slow clients beside the load: SLOW connections from 127.0.0.3, each sending a POST's body at one
# byte a second; the server must drop each at its body deadline (30 s) while the mix goes on.
python3 - "$port" "${SLOW:-16}" "$duration" > "$work/slow.txt" 2>&1 <<'PY' &
import socket, statistics, sys, threading, time
port, count, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
head = (b"POST /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100000\r\n\r\n")
held, replies = [], []
def slow():
    s = socket.socket()
    s.bind(("127.0.0.3", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(head)
    start = time.monotonic()
    s.settimeout(1.0)
    while time.monotonic() - start < duration + 30:
        try:
            s.sendall(b"x")
            data = s.recv(4096)
            if data:
                replies.append(data.split(b"\r\n")[0].decode(errors="replace"))
            held.append(time.monotonic() - start)  # the server closed or answered
            return
        except socket.timeout:
            continue
        except OSError:
            held.append(time.monotonic() - start)
            return
    held.append(float("inf"))
threads = [threading.Thread(target=slow) for _ in range(count)]
for t in threads: t.start()
for t in threads: t.join()
finite = [h for h in held if h != float("inf")]
print(f"{count} {len(finite)} {statistics.median(finite) if finite else 0:.1f} {max(finite) if finite else 0:.1f} "
      f"{len(replies)} {';'.join(sorted(set(replies))) or '-'}")
PY
slow_pid=$!
run_wrk reads+writes "$duration"
wait "$import_pid"
wait "$slow_pid" || true
touch "$work/stop"
wait "$editor_pid" "$reader_pid"
rss_after="$(rss_kb "$server_pid")"
peak_kb="$(sort -n "$work/rss.txt" | tail -1)"

read -r import_rc import_s < "$work/import.txt"
read -r created edited edit_failures < "$work/editor.txt"
read -r area_none area_all torn < "$work/area.txt"
count_after="$(curl -fsS "$base/api/v1/services?bbox=$live_bbox&limit=1&with_total=true" | grep -o '"total":[0-9]*' | cut -d: -f2)"

# --- SIGTERM under the same load: how long until the process is gone ---
rm -f "$work/stop"
wrk -t2 "-c$connections" -d20s --timeout 30s -s "$work/mix.lua" "$base" > "$work/wrk-sigterm.txt" 2>&1 &
wrk_pid=$!
sleep 5
term_start=$(date +%s.%N)
kill -TERM "$server_pid"
wait "$server_pid" || true
stop_s="$(seconds_since "$term_start")"
wait "$wrk_pid" || true

# --- 10,000 idle connections from one address, against the default limits: another client (on
# 127.0.0.2) must still be answered at once, and the server's memory and descriptors stay bounded.
"$enlace" --db "$db" serve --port "$port" --threads "$threads" > "$work/serve-idle.out" 2>> "$work/serve.log" &
server_pid=$!
pids+=("$server_pid")
wait_for "$base/healthz"
idle_rss_before="$(rss_kb "$server_pid")"
python3 - "$port" 10000 15 > "$work/idle.txt" 2>&1 <<'PY' &
import resource, socket, sys, time
port, count, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
resource.setrlimit(resource.RLIMIT_NOFILE, (count + 100, max(count + 100, resource.getrlimit(resource.RLIMIT_NOFILE)[1])))
sockets = []
for _ in range(count):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    sockets.append(s)
print(f"opened {len(sockets)}", flush=True)
time.sleep(hold)
PY
idle_pid=$!
sleep 5
other="$(curl -sS -o /dev/null --interface 127.0.0.2 -w '%{http_code} %{time_total}' "$base/healthz" || echo "failed")"
idle_rss="$(rss_kb "$server_pid")"
idle_fds="$(ls "/proc/$server_pid/fd" | wc -l)"
wait "$idle_pid" || true
after_idle="$(curl -sS -o /dev/null -w '%{http_code}' "$base/healthz" || echo "failed")"
kill -TERM "$server_pid"; wait "$server_pid" || true

{
    echo "store: $store, $services services, $threads server threads"
    echo "10,000 idle connections from 127.0.0.1: $(head -1 "$work/idle.txt"); a client on 127.0.0.2 got ${other} s; the server held ${idle_fds} descriptors, RSS ${idle_rss_before} -> ${idle_rss} kB; after they closed: ${after_idle}"
    echo "import while serving: $live services, exit $import_rc, ${import_s} s; the area's count after: ${count_after:-?}"
    echo "editor: $created created, $edited edits, $edit_failures failed"
    echo "reads of the imported area: $area_none saw none of the import, $area_all all of it, $torn anything else (torn or failed)"
    echo "server RSS: ${rss_before} kB after the warm-up, ${rss_reads} kB after the reads, peak ${peak_kb} kB under writes, ${rss_after} kB after"
    echo "SIGTERM under $connections connections: stopped in ${stop_s} s"
    read -r slow_n slow_closed slow_median slow_max slow_replies slow_lines < "$work/slow.txt" || true
    echo "slow bodies under the load: ${slow_n:-?} connections from 127.0.0.3 at 1 byte/s; ${slow_closed:-?} dropped by the server, after a median ${slow_median:-?} s (at most ${slow_max:-?} s); ${slow_replies:-?} answered (${slow_lines:-})"
} | tee "$work/summary.txt"
awk -F'\t' 'NR > 1 {rps[$1] = $3} END {if (rps["reads"] > 0) printf "reads under writes / reads alone: %.2f of the throughput\n", rps["reads+writes"] / rps["reads"]}' \
    "$results" | tee -a "$work/summary.txt"
