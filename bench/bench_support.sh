# Shell helpers the server benchmarks share (soak_bench.sh, scale_bench.sh, edit_load_bench.sh):
# sourced, not run.

# Waits until URL answers 2xx, for at most 2 minutes.
wait_for() {  # URL
    for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2> /dev/null && return 0; sleep 0.2; done
    echo "nothing answers at $1" >&2; return 1
}

# N synthetic services on a square grid over HEIGHT x WIDTH degrees from LAT0, LON0, as the CSV
# `enlace import` reads (columns id, nombre, tipo, pais, lat, lon); ids and names carry PREFIX.
grid_services_csv() {  # N LAT0 LON0 HEIGHT WIDTH PREFIX
    sqlite3 -csv -header :memory: <<SQL
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1),
     side(s) AS (SELECT CAST(ceil(sqrt($1)) AS INTEGER))
SELECT '$6' || i AS id, 'Servicio $6 ' || i AS nombre, 'PRO.AUTHORITY' AS tipo, 'GT' AS pais,
       printf('%.6f', $2 + (i % s) * $4 / s) AS lat, printf('%.6f', $3 + (i / s) * $5 / s) AS lon
FROM n, side;
SQL
}

# Seconds since FROM (a `date +%s.%N`), two decimals.
seconds_since() { awk -v from="$1" -v now="$(date +%s.%N)" 'BEGIN {printf "%.2f", now - from}'; }

# Milliseconds since the epoch.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Reads numbers on stdin, one a line: prints "median p99 count" ("- - 0" when there are none).
percentiles() {
    sort -n | awk '{v[NR] = $1} END {if (NR == 0) {print "- - 0"; exit}
        m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]; if (p == "") p = v[NR]; print m, p, NR}'
}
