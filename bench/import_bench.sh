#!/usr/bin/env bash
# Import benchmark: N points (default 1,000,000) as CSV, generated with sqlite3 (no Python), and the
# same points as a shapefile and as GeoJSON (converted with ogr2ogr beforehand), each imported with
# `enlace import` and converted with `ogr2ogr -f GPKG` for comparison. Prints the median wall time
# of 3 runs and the peak RSS (from /usr/bin/time -v) of each tool, per input format.
# Usage: [FORMATS="csv shp geojson"] bench/import_bench.sh [BUILD_DIR] [N]
set -euo pipefail
# The points lie on a 1000 x 1000 grid over lon -91.3..-89.7, lat 14.7..15.7: inside Guatemala's
# outline, so that every row is valid at any N (a wider grid reaches Mexico and Honduras at 1M).
BUILD=${1:-build-bench}
N=${2:-1000000}
ENLACE=$BUILD/cli/enlace
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CSV=$WORK/points.csv

sqlite3 -csv -header :memory: >"$CSV" <<SQL
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N)
SELECT 'p' || i AS id, 'Servicio ' || i AS nombre, 'PRO.AUTHORITY' AS tipo, 'GT' AS pais,
       printf('%.6f', 14.7 + (i % 1000) * 0.001) AS lat, printf('%.6f', -91.3 + (i / 1000 % 1000) * 0.0016) AS lon
FROM n;
SQL
echo "input: $(wc -l <"$CSV") lines, $(du -h "$CSV" | cut -f1)"

median() { sort -n | sed -n 2p; }
measure() {  # label, command...
    label=$1; shift
    : >"$WORK/times"
    for run in 1 2 3; do
        rm -f "$WORK/out.gpkg" "$WORK/bench.db"
        case $label in enlace*) "$ENLACE" --db "$WORK/bench.db" init >/dev/null ;; esac
        /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.$run" || { cat "$WORK/time.$run"; exit 1; }
        awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
            "$WORK/time.$run" >>"$WORK/times"
        grep 'Maximum resident' "$WORK/time.$run" | awk -F': ' '{ print $2 }' >>"$WORK/rss"
    done
    echo "$label: median $(median <"$WORK/times") s of 3, peak RSS $(sort -n "$WORK/rss" | tail -1) KiB"
    rm -f "$WORK/rss"
}

for format in ${FORMATS:-csv shp geojson}; do
    case $format in
    csv) input=$CSV; open=(-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326) ;;
    shp) input=$WORK/points.shp; open=() ;;
    geojson) input=$WORK/points.geojson; open=() ;;
    *) echo "unknown format $format (csv, shp, geojson)" >&2; exit 2 ;;
    esac
    if [ "$format" != csv ]; then
        driver=$([ "$format" = shp ] && echo "ESRI Shapefile" || echo GeoJSON)
        ogr2ogr -f "$driver" "$input" "$CSV" -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 \
            -select id,nombre,tipo,pais
        echo "$format input: $(du -sh "$input" | cut -f1)"
    fi
    measure "enlace ($format)" "$ENLACE" --db "$WORK/bench.db" import "$input" --quiet --no-duplicate-check
    measure "ogr2ogr ($format -> GPKG)" ogr2ogr -f GPKG "$WORK/out.gpkg" "$input" "${open[@]}"
done
