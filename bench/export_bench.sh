#!/bin/sh
# Export benchmark: `enlace export` of a synthetic registry to GeoJSON and GeoPackage beside
# ogr2ogr writing the same output format from a GeoPackage of the same services (the peer), in the
# same run. Median wall time of RUNS runs and peak RSS (/usr/bin/time -v) for each; peak RSS of our
# export for each registry size, to show that memory does not grow with the number of rows.
#
#   bench/export_bench.sh [ENLACE] [DB ...]
# ENLACE defaults to build-bench/cli/enlace; DBs default to the bench registries of build-bench
# (bench-data/services-N-gV.db, made by enlace_bench_queries). RUNS (default 3) and WORK (scratch
# folder, default a temporary one) come from the environment.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
enlace=${1:-$root/build-bench/cli/enlace}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  data=$root/build-bench/bench-data
  set -- $(ls "$data"/services-100000-g*.db | grep -v peer | tail -1) $(ls "$data"/services-1000000-g*.db | grep -v peer | tail -1)
fi
runs=${RUNS:-3}
work=${WORK:-$(mktemp -d)}
[ -x "$enlace" ] || { echo "no enlace binary at $enlace" >&2; exit 1; }
command -v ogr2ogr >/dev/null || { echo "ogr2ogr missing (apt-get install gdal-bin)" >&2; exit 1; }

# measure LABEL OUTPUT CMD...: runs CMD $runs times (removing OUTPUT first); prints median seconds and max RSS.
measure() {
  label=$1; output=$2; shift 2
  times=""; rss=0
  i=0
  while [ $i -lt "$runs" ]; do
    rm -rf "$output"
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s }' "$work/time.txt")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    times="$times $t"
    [ "$r" -gt "$rss" ] && rss=$r
    i=$((i + 1))
  done
  median=$(echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-44s median %7.2f s  (runs:%s)  peak RSS %6d MB\n' "$label" "$median" "$times" $((rss / 1024))
}

for db in "$@"; do
  [ -f "$db" ] || { echo "missing registry $db" >&2; exit 1; }
  n=$(basename "$db" | sed 's/services-\([0-9]*\).*/\1/')
  echo "== $n services ($db)"
  ref="$work/peer-$n.gpkg"
  [ -f "$ref" ] || "$enlace" --db "$db" export "$ref" --format gpkg 2>/dev/null
  measure "enlace export GeoJSON" "$work/ours-$n.geojson" "$enlace" --db "$db" export "$work/ours-$n.geojson"
  measure "ogr2ogr GPKG -> GeoJSON" "$work/peer-$n.geojson" ogr2ogr -f GeoJSON "$work/peer-$n.geojson" "$ref"
  measure "enlace export GPKG" "$work/ours-$n.gpkg" "$enlace" --db "$db" export "$work/ours-$n.gpkg"
  measure "ogr2ogr GPKG -> GPKG" "$work/peer-copy-$n.gpkg" ogr2ogr -f GPKG "$work/peer-copy-$n.gpkg" "$ref"
done
echo "scratch: $work"
