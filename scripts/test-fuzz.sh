#!/usr/bin/env bash
# The fuzz smoke run: every target of fuzz/ for 60 s (bench/fuzz.sh all 60), about 8 minutes with
# the build on a 2-core machine. A developer runs it before stopping when the code the targets
# cover changed (docs/reliability.md); CI does not (DECISIONS.md). Exits non-zero on any finding.
set -euo pipefail
exec "$(dirname "$0")/../bench/fuzz.sh" all "${FUZZ_SECONDS:-60}"
