#!/usr/bin/env bash
# Installs what is needed, builds, creates enlace.db with the demo registry when there is none,
# and runs the main job on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
db=${ENLACE_DB:-enlace.db}
if [ ! -f "$db" ]; then
  build/cli/enlace --db "$db" init --demo
fi
echo "Nearest services to Tapachula, Chiapas (14.90, -92.26):"
build/cli/enlace --db "$db" near --lat 14.90 --lon=-92.26 -k 5 --format table --lang en
