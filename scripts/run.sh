#!/usr/bin/env bash
# The first run: installs what is needed, builds, creates enlace.db with the demo registry when
# there is none (an existing one is kept as it is), and serves the web map and the API.
#   PORT=8080 (default)  BIND=127.0.0.1 (default)  ENLACE_DB=enlace.db (default)
# Extra arguments go to `enlace serve`, e.g. scripts/run.sh --tile-url 'https://tiles.example.org/{z}/{x}/{y}.png'
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
db=${ENLACE_DB:-enlace.db}
if [ ! -f "$db" ]; then
  echo "run: creating $db with the demo registry"
  build/cli/enlace --db "$db" init --demo
else
  echo "run: keeping the registry in $db as it is"
fi
port=${PORT:-8080}
echo "run: open http://${BIND:-127.0.0.1}:$port/ in a browser (Ctrl-C stops the server)"
exec build/cli/enlace --db "$db" serve --bind "${BIND:-127.0.0.1}" --port "$port" "$@"
