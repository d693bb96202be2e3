#!/usr/bin/env bash
# The test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (-DENLACE_SANITIZE=ON) in
# build-asan/ (git-ignored). Any finding fails the run, in a test or in an `enlace` process a test
# started: AddressSanitizer and LeakSanitizer reports go to build-asan/sanitizer-reports/ (printed at
# the end); UBSan's go to the process's stderr (linked with ASan it ignores log_path), and its exit
# status 86 fails the test, also when the process was a test's `enlace serve` or `enlace import`.
#   scripts/test-asan.sh                       # everything (long: see docs/reliability.md)
#   scripts/test-asan.sh -R '^(core|http):'    # arguments go to ctest
# JOBS (default 2) sets the build's and ctest's parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${JOBS:-2}"
started=$SECONDS

# -O1 and line tables only (-g1): the sanitizers' reports keep file and line, and the build takes
# about a quarter of an hour on 2 cores instead of most of an hour at -O2 with full debug info.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  -DENLACE_SANITIZE=ON >/dev/null
ninja -C build-asan -j"$jobs"
built=$SECONDS

reports="$PWD/build-asan/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
# exitcode 86: a finding never looks like one of enlace's own exit statuses (0, 1, 2).
common="halt_on_error=1:print_stacktrace=1:exitcode=86"
export ASAN_OPTIONS="$common:log_path=$reports/report:detect_leaks=1:detect_stack_use_after_return=1"
export ASAN_OPTIONS="$ASAN_OPTIONS:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="$common"

status=0
ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$jobs" "$@" || status=$?

if compgen -G "$reports/report.*" >/dev/null; then
  for report in "$reports"/report.*; do
    echo "=== $report"
    cat "$report"
  done
  echo "test-asan: sanitizer findings above" >&2
  status=1
fi
echo "test-asan: build $((built - started)) s, tests $((SECONDS - built)) s, exit $status"
exit "$status"
