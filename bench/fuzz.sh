#!/usr/bin/env bash
# Runs a libFuzzer target of fuzz/ for SECONDS, built with clang 14, ASan and UBSan in build-fuzz/
# (git-ignored; configured and built here when needed, only the fuzz targets and what they link).
#   bench/fuzz.sh fuzz_cursor 300      # one target (the fuzz_ prefix may be left out)
#   bench/fuzz.sh all 60               # every target in turn (scripts/test-fuzz.sh)
# Each target works on its own corpus build-fuzz/corpus/TARGET/ (the seeds of fuzz/corpus/TARGET/
# copied in, then what the fuzzer adds, kept between runs) with fuzz/TARGET.dict when there is one.
# A crash, leak, timeout or sanitizer report stops the target and saves the input under
# build-fuzz/findings/TARGET/. Prints execs/s, coverage (cov: edges, ft: features) and findings;
# appends them to build-fuzz/fuzz-figures.tsv. Exits non-zero when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/fuzz.sh TARGET|all SECONDS" >&2; exit 2; }
seconds="$2"
all_targets=(fuzz_query_params fuzz_cursor fuzz_record_json fuzz_plan_structure fuzz_mvt fuzz_import_rows fuzz_http_request fuzz_http_head)
if [ "$1" = all ]; then targets=("${all_targets[@]}"); else targets=("fuzz_${1#fuzz_}"); fi

# clang 14 with libFuzzer's runtime: only this script needs them (CI builds with g++ 12 and checks
# clang 14's syntax only), so they are installed here rather than by scripts/setup.sh.
missing=()
for p in clang-14 libclang-rt-14-dev libfuzzer-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f build-fuzz/build.ninja ]; then
  # The plain part of the libraries at -O0 (the quickest build); fuzz/CMakeLists.txt gives the
  # instrumented sources -O1 with line tables.
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -DENLACE_FUZZ=ON -DENLACE_BUILD_TESTS=OFF >/dev/null
fi
# FUZZ_SKIP_BUILD=1: run what is built (while another build of build-fuzz is under way).
[ -n "${FUZZ_SKIP_BUILD:-}" ] || ninja -C build-fuzz -j"${JOBS:-2}" "${targets[@]}"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
figures=build-fuzz/fuzz-figures.tsv
[ -f "$figures" ] || printf 'date\ttarget\tseconds\texecs\texecs_per_s\tcov\tft\tcorpus\tfindings\n' >"$figures"
status=0
# A slow unit (an input that took over 10 s) is kept but is no finding: on a loaded machine a stall
# makes one; a real hang goes past -timeout and is one.
findings_now() { find "$findings" -type f ! -name 'slow-unit-*' | wc -l; }
slow_now() { find "$findings" -type f -name 'slow-unit-*' | wc -l; }
for target in "${targets[@]}"; do
  corpus="build-fuzz/corpus/$target" findings="build-fuzz/findings/$target" log="build-fuzz/logs/$target.log"
  mkdir -p "$corpus" "$findings" build-fuzz/logs
  cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=("-dict=fuzz/$target.dict")
  before=$(findings_now) slow_before=$(slow_now)
  started=$SECONDS
  rc=0
  # One process, one job: the machine's cores are shared (-jobs would fork workers).
  # FUZZ_SEED fixes libFuzzer's random seed and FUZZ_RUNS_<target> caps its inputs (the CI smoke
  # run), so that a run from the same corpus tries the same inputs in the same order, and a slower
  # machine only a prefix of them; otherwise each run draws its own seed and runs for SECONDS.
  runs_of_target="FUZZ_RUNS_$target"
  build-fuzz/fuzz/"$target" "$corpus" "${dict[@]}" -seed="${FUZZ_SEED:-0}" -runs="${!runs_of_target:--1}" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$findings/" >"$log" 2>&1 || rc=$?
  ran=$((SECONDS - started))
  found=$(( $(findings_now) - before )) slow=$(( $(slow_now) - slow_before ))
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  units=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$ran" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "${units:-?}" "$found" >>"$figures"
  echo "fuzz: $target ${ran}s, ${execs:-?} execs, ${rate:-?} execs/s, cov: ${cov:-?} ft: ${ft:-?}, corpus ${units:-?}, findings $found (exit $rc)"
  if [ "$slow" -ne 0 ]; then
    echo "fuzz: $target: $slow slow input(s) kept in $findings/ (not findings; time one with build-fuzz/fuzz/$target FILE)"
  fi
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    grep -E -A12 'ERROR: |FINDING: |SUMMARY: ' "$log" | head -40 >&2 || true
    echo "fuzz: $target: see $log and $findings/" >&2
  fi
done
exit "$status"
