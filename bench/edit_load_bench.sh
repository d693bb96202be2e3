#!/usr/bin/env bash
# Edits under load (issue 12): `enlace serve` on a registry of SERVICES under wrk (nearest-10 and
# OGC bbox pages of 100, alternating, 32 connections) while a focal point writes one service every
# 100 ms over HTTP: the reads' p50 and p99 alone and under the writes, how soon the next read shows
# each write, and whether any read ever sees a write half applied (a PATCH changes a service's name
# and capacity together; a watcher reads that service over and over). Then the same while `enlace
# import` adds IMPORT services to the same file from another process, where the watcher also counts
# the imported area: none of it or all of it, never a part.
#
# Usage: bench/edit_load_bench.sh [SERVICES]     (1000000 default)
# Env:   ENLACE (the enlace binary), WORK (scratch dir), REGISTRY (an existing registry of the grid
#        to copy instead of building one), DURATION (seconds of each phase, 60), IMPORT (100000),
#        WATCH (1; 0 leaves the watcher out, to see what its own curl loop costs the readers).
# Needs: wrk, sqlite3, curl.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/bench/bench_support.sh"
services="${1:-1000000}"
enlace="${ENLACE:-$here/build-bench/cli/enlace}"
work="${WORK:-$here/build-bench/bench-edits-$services}"
duration="${DURATION:-60}"
import_count="${IMPORT:-100000}"
watch="${WATCH:-1}"
port=18201
base="http://127.0.0.1:$port"

[[ -x "$enlace" ]] || { echo "no enlace binary at $enlace (set ENLACE)" >&2; exit 1; }
for tool in wrk sqlite3 curl; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
mkdir -p "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
}
trap cleanup EXIT

# --- the registry: SERVICES on a grid over central Guatemala (as scale_bench.sh), copied per run ---
pristine="$work/pristine.db"
if [[ ! -f "$pristine" ]]; then
    if [[ -n "${REGISTRY:-}" ]]; then
        sqlite3 "$REGISTRY" ".backup '$pristine'"
    else
        echo "building a registry of $services services" >&2
        grid_services_csv "$services" 14.7 -91.3 1.0 1.6 s > "$work/services.csv"
        "$enlace" --db "$pristine.part" init > /dev/null
        "$enlace" --db "$pristine.part" import "$work/services.csv" --source scale --quiet --no-duplicate-check
        mv "$pristine.part" "$pristine"
    fi
fi
db="$work/run.db"
rm -f "$db" "$db-wal" "$db-shm"
cp "$pristine" "$db"
# The import's services, in an area of their own in the Petén, north of the grid (16.8-17.2 N, 89.6-90.1 W).
grid_services_csv "$import_count" 16.8 -90.1 0.4 0.5 imp > "$work/import.csv"
import_bbox="-90.15,16.75,-89.55,17.25"
token="$("$enlace" --db "$db" user add edits-editor --role editor --country GT 2> /dev/null)"
auth=(-H "Authorization: Bearer $token")

"$enlace" --db "$db" serve --port "$port" --threads 2 --max-connections-per-client 256 > "$work/serve.out" 2> "$work/serve.log" &
pids+=($!)
wait_for "$base/readyz"

cat > "$work/reads.lua" <<'LUA'
local seed = 777
local n = 0
local function unit()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end
request = function()
  n = n + 1
  if n % 2 == 0 then
    local lon, lat = -91.3 + 1.5 * unit(), 14.7 + 0.9 * unit()
    return wrk.format("GET", string.format("/ogcapi/collections/services/items?bbox=%.4f,%.4f,%.4f,%.4f&limit=100",
                                           lon, lat, lon + 0.1, lat + 0.1))
  end
  return wrk.format("GET", string.format("/api/v1/services?lat=%.4f&lon=%.4f&k=10&f=geojson",
                                         14.7 + unit(), -91.3 + 1.6 * unit()))
end
LUA

# The service the PATCHes change: its name and capacity always carry the same number.
watched="$(curl -sS "${auth[@]}" -H 'Content-Type: application/json' -d '{"name": {"es": "Vigilado 0"}, "capacity": 0,
    "types": ["LEG.AID"], "country": "GT", "location": {"lon": -90.5, "lat": 15.2}}' "$base/api/v1/services" |
    grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)"
[[ -n "$watched" ]] || { echo "could not create the watched service" >&2; exit 1; }

writer() {  # PHASE: one write every 100 ms for DURATION s, alternately a create and a PATCH of the watched service
    # Times are curl's own (time_total: from sending the request to its last byte), not the
    # process's start: what the server and the socket took.
    local phase="$1" end=$(( $(now_ms) + duration * 1000 )) i=0 t0 out code id seen etag
    etag="$(curl -sS -D - -o /dev/null "${auth[@]}" "$base/api/v1/services/$watched" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')"
    while (( $(now_ms) < end )); do
        t0=$(now_ms)
        if (( i % 2 == 0 )); then
            out="$(curl -sS -w '\n%{http_code} %{time_total}' "${auth[@]}" -H 'Content-Type: application/json' \
                -d "{\"name\": {\"es\": \"Nuevo $phase $i\"}, \"types\": [\"LEG.AID\"], \"country\": \"GT\",
                     \"location\": {\"lon\": -90.$((1000 + i % 9000)), \"lat\": 15.$((2000 + i % 1000))}}" \
                "$base/api/v1/services")" || out=$'\n000 0'
            read -r code took <<< "${out##*$'\n'}"
            if [[ "$code" == 201 ]]; then
                id="$(grep -o '"id":[0-9]*' <<< "$out" | head -1 | cut -d: -f2)"
                # the next read, sent as soon as the 201 is in: does it show the write, and in what time?
                seen="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${auth[@]}" "$base/api/v1/services/$id")"
                echo "create $(ms "$took") $(ms "${seen#* }") ${seen%% *}"
            else
                echo "failed create $code"
            fi
        else
            out="$(curl -sS -D - -o /dev/null -w '%{http_code} %{time_total}' -X PATCH "${auth[@]}" \
                -H 'Content-Type: application/merge-patch+json' -H "If-Match: $etag" \
                -d "{\"name\": {\"es\": \"Vigilado $i\"}, \"capacity\": $i}" "$base/api/v1/services/$watched")" || out="000 0"
            read -r code took <<< "${out##*$'\n'}"
            if [[ "$code" == 200 ]]; then
                etag="$(awk 'tolower($1) == "etag:" {print $2}' <<< "$out" | tr -d '\r')"
                echo "patch $(ms "$took")"
            else
                echo "failed patch $code"
            fi
        fi
        i=$((i + 1))
        sleep "$(awk -v spent=$(( $(now_ms) - t0 )) 'BEGIN {s = (100 - spent) / 1000; print (s > 0 ? s : 0)}')"
    done
}
ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }

watcher() {  # until killed: the watched service read whole (name and capacity agree), and the import's area counted
    local body name capacity matched
    [[ "$watch" == 1 ]] || exec sleep infinity
    while :; do
        body="$(curl -s "${auth[@]}" "$base/api/v1/services/$watched")"
        name="$(grep -o '"es":"Vigilado [0-9]*"' <<< "$body" | head -1 | tr -dc 0-9)"
        capacity="$(grep -o '"capacity":[0-9]*' <<< "$body" | head -1 | cut -d: -f2)"
        if [[ -n "$name" && "$name" == "$capacity" ]]; then echo "whole"; else echo "torn $name $capacity"; fi
        matched="$(curl -s "$base/ogcapi/collections/services/items?bbox=$import_bbox&limit=1" | grep -o '"numberMatched":[0-9]*' | cut -d: -f2)"
        if [[ "$matched" == 0 || "$matched" == "$import_count" ]]; then echo "area $matched"; else echo "partial-area $matched"; fi
    done
}

results="$work/results.tsv"
printf 'phase\trequests_per_s\tp50\tp99\tnon_2xx\n' > "$results"
run_reads() {  # PHASE
    local out="$work/wrk-$1.txt"
    wrk -t2 -c32 "-d${duration}s" --latency --timeout 30s -s "$work/reads.lua" "$base" > "$out" 2>&1
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(awk '/^Requests\/sec/ {print $2}' "$out")" "$(awk '$1 == "50%" {print $2}' "$out")" \
        "$(awk '$1 == "99%" {print $2}' "$out")" "$(awk '/Non-2xx or 3xx/ {print $5}' "$out" | grep . || echo 0)" | tee -a "$results"
}

curl -fsS -o /dev/null "$base/api/v1/services?lat=15&lon=-90.5&k=10" # the index is built before listening; warm the path
run_reads alone

watcher > "$work/watch-writes.txt" &
watch_pid=$!
writer writes > "$work/writes.txt" &
writer_pid=$!
run_reads writes
wait "$writer_pid"
kill "$watch_pid" 2> /dev/null; wait "$watch_pid" 2> /dev/null || true

watcher > "$work/watch-import.txt" &
watch_pid=$!
import_start=$(date +%s.%N)
("$enlace" --db "$db" import "$work/import.csv" --source edits-import --quiet --no-duplicate-check > "$work/import.out" 2>&1;
 echo "import rc $? in $(seconds_since "$import_start") s" >> "$work/import.out") &
import_pid=$!
writer import > "$work/writes-import.txt" &
writer_pid=$!
run_reads "writes+import"
wait "$writer_pid"
wait "$import_pid" || true
sleep 1
kill "$watch_pid" 2> /dev/null; wait "$watch_pid" 2> /dev/null || true

{
    for phase in writes import; do
        file="$work/writes.txt"; [[ "$phase" == import ]] && file="$work/writes-import.txt"
        watch_log="$work/watch-writes.txt"; [[ "$phase" == import ]] && watch_log="$work/watch-import.txt"
        read -r c50 c99 creates < <(awk '$1 == "create" {print $2}' "$file" | percentiles)
        read -r v50 v99 _ < <(awk '$1 == "create" {print $3}' "$file" | percentiles)
        read -r p50 p99 patches < <(awk '$1 == "patch" {print $2}' "$file" | percentiles)
        shown="$(awk '$1 == "create" && $4 == 200' "$file" | wc -l)"
        echo "$phase: $creates creates (median $c50 ms, p99 $c99 ms), $patches PATCHes (median $p50 ms, p99 $p99 ms), $(grep -c '^failed' "$file" || true) failed"
        echo "$phase: the next read, sent on the 201, showed $shown of $creates creates; it answered in median $v50 ms, p99 $v99 ms"
        echo "$phase: the watched service read $(grep -c '^whole' "$watch_log" || true) times whole, $(grep -c '^torn' "$watch_log" || true) torn; the import's area counted $(grep -c '^area 0$' "$watch_log" || true) times empty, $(grep -c "^area $import_count\$" "$watch_log" || true) times whole, $(grep -c '^partial' "$watch_log" || true) in part"
    done
    tail -2 "$work/import.out"
    awk -F'\t' 'NR > 1 {printf "reads %s: %s requests/s, p50 %s, p99 %s, %s non-2xx\n", $1, $2, $3, $4, $5}' "$results"
} | tee "$work/summary.txt"
