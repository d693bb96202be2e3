#!/usr/bin/env bash
# The fuzz smoke run: every target of fuzz/ for 60 s (bench/fuzz.sh all 60), about 10 minutes with
# the build on a 2-core machine; `.ci/run` ends with it. The seed is fixed (FUZZ_SEED, default 1):
# from the committed seed corpus, a run tries the same inputs in the same order, so CI does not fail
# by chance on what the previous run never tried; the long runs (bench/fuzz.sh TARGET 1800) draw
# their own seeds and go deep. Exits non-zero on any finding (docs/reliability.md).
set -euo pipefail
export FUZZ_SEED="${FUZZ_SEED:-1}"
exec "$(dirname "$0")/../bench/fuzz.sh" all "${FUZZ_SECONDS:-60}"
