#!/bin/sh
# Report benchmark: `enlace report` of all eleven member countries over a registry of PRACTICES
# published practices (default 500) and SERVICES public services (default 20,000; a share of them
# sensitive, so coarsened), as HTML and as PDF (one chromium print, then the page numbers). Prints the median and p99
# wall time of RUNS runs (default 7) of each, and the PDF's page count.
#
#   bench/report_bench.sh [ENLACE]
# ENLACE defaults to build/cli/enlace. WORK (scratch folder, default a temporary one) comes from
# the environment; the registry is built there once with `enlace init` and `enlace add` of a
# dataset generated here (awk, fixed seed: the same registry every time).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
enlace=${1:-$root/build/cli/enlace}
runs=${RUNS:-7}
practices=${PRACTICES:-500}
services=${SERVICES:-20000}
work=${WORK:-$(mktemp -d)}
[ -x "$enlace" ] || { echo "no enlace binary at $enlace" >&2; exit 1; }
command -v chromium >/dev/null || { echo "chromium missing (apt-get install chromium)" >&2; exit 1; }
command -v pdfinfo >/dev/null || { echo "pdfinfo missing (apt-get install poppler-utils)" >&2; exit 1; }

db=$work/report-bench-$services-$practices.db
if [ ! -f "$db" ]; then
  # Towns well inside their countries (city level); services scatter up to ~5 km around them.
  awk -v services="$services" -v practices="$practices" 'BEGIN {
    srand(20261202)
    split("GT -90.51 14.63|GT -91.52 14.84|SV -89.22 13.69|SV -89.85 13.92|HN -87.19 14.07|HN -88.03 15.50|" \
          "MX -99.13 19.43|MX -92.26 14.91|MX -100.31 25.69|NI -86.25 12.14|CR -84.09 9.93|PA -79.52 8.98|" \
          "PA -77.98 8.50|BZ -88.76 17.25|DO -69.93 18.49|DO -70.70 19.45|US -77.04 38.91|US -87.63 41.88|" \
          "US -95.37 29.76|CA -79.38 43.65|CA -75.70 45.42", towns, "|")
    ntowns = length(towns)
    split("IDN.FRONTLINE IDN.SAFESPACE REC.RETURN REC.SHORTSTAY REC.BASIC PRO.AUTHORITY PRO.BIP PRO.CASEMGMT " \
          "LEG.ASYLUM LEG.AID LEG.DOCS FAM.RFL FAM.REUNIF HLT.MED HLT.MHPSS VIO.GBV INT.EDU INT.REINT", types, " ")
    ntypes = length(types)
    split("BZ CA CR SV GT HN MX NI PA DO US", countries, " ")
    printf "{\"source\":\"bench\",\"actors\":["
    for (c = 1; c <= 11; c++)
      printf "%s{\"source_id\":\"a-%s\",\"name\":{\"es\":\"Autoridad de protección de la niñez %s\"},\"actor_type\":\"GOV_CP\",\"countries\":[\"%s\"]}", (c > 1 ? "," : ""), countries[c], countries[c], countries[c]
    printf "],\"services\":["
    for (i = 1; i <= services; i++) {
      split(towns[1 + (i % ntowns)], t, " ")
      lon = t[2] + (rand() - 0.5) * 0.09; lat = t[3] + (rand() - 0.5) * 0.09
      ty = types[1 + int(rand() * ntypes)]
      printf "%s{\"source_id\":\"s-%d\",\"name\":{\"es\":\"Servicio de protección número %d\"},\"types\":[\"%s\"],\"country\":\"%s\",\"location\":{\"lon\":%.5f,\"lat\":%.5f}}", (i > 1 ? "," : ""), i, i, ty, t[1], lon, lat
    }
    printf "],\"practices\":["
    for (p = 1; p <= practices; p++) {
      c = countries[1 + (p % 11)]
      printf "%s{\"source_id\":\"p-%d\",\"title\":{\"es\":\"Práctica de protección de la niñez migrante número %d\",\"en\":\"Child-protection practice number %d\"},", (p > 1 ? "," : ""), p, p, p
      printf "\"countries\":[\"%s\"],\"scope\":\"national\",\"actors\":[\"a-%s\"],\"period\":{\"start\":\"%d\",\"end\":null},", c, c, 2010 + p % 12
      printf "\"axes\":[%d,%d],\"service_types\":[\"%s\"],\"gcm_objectives\":[7,12],\"target_population\":[\"unaccompanied\",\"returned\"],", 1 + p % 5, 1 + (p + 2) % 5, types[1 + p % ntypes]
      printf "\"problem\":{\"es\":\"Niñas, niños y adolescentes migrantes no acompañados sin atención especializada en el punto de entrada.\"},"
      printf "\"description\":{\"es\":\"Equipos especializados reciben a la niñez, evalúan su interés superior y coordinan su protección con las autoridades y la familia, con seguimiento de cada caso.\"},"
      printf "\"results\":{\"es\":\"Cobertura ampliada y tiempos de respuesta menores (resultado cualitativo).\"},"
      printf "\"lessons\":{\"es\":\"La coordinación interinstitucional y la formación continua sostienen la calidad.\"},"
      printf "\"principles\":[\"best_interests\",\"family_unity\"],\"evidence_level\":\"monitoring_data\",\"review_status\":\"published\",\"original_language\":\"es\",\"licence\":\"CC-BY-4.0\"}"
    }
    printf "]}\n"
  }' > "$work/dataset.json"
  "$enlace" --db "$db" init >/dev/null
  "$enlace" --db "$db" add "$work/dataset.json" >/dev/null
fi

# measure LABEL OUT: runs `enlace report OUT` $runs times; median and p99 (nearest rank) seconds.
measure() {
  label=$1; out=$2
  times=""
  i=0
  while [ $i -lt "$runs" ]; do
    start=$(date +%s.%N)
    "$enlace" --db "$db" report "$out" --overwrite 2>"$work/report.log" || { cat "$work/report.log" >&2; exit 1; }
    end=$(date +%s.%N)
    times="$times $(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }')"
    i=$((i + 1))
  done
  echo $times | tr ' ' '\n' | sort -n | awk -v label="$label" -v runs="$times" '
    { a[NR] = $1 }
    END { p99 = int(NR * 0.99 + 0.999); printf "%-34s median %6.2f s  p99 %6.2f s  (runs:%s)\n", label, a[int((NR + 1) / 2)], a[p99], runs }'
}

echo "== $practices practices, $services services, all eleven countries ($db)"
measure "enlace report (HTML)" "$work/report.html"
measure "enlace report (PDF)" "$work/report.pdf"
echo "HTML $(wc -c < "$work/report.html") bytes; PDF $(wc -c < "$work/report.pdf") bytes, $(pdfinfo "$work/report.pdf" | awk '/^Pages:/ { print $2 }') pages"
echo "scratch: $work"
