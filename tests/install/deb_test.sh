#!/usr/bin/env bash
# The Debian package CPack builds: its control fields, its files under /usr, the unit naming
# /usr/bin/enlace, and the packaged program serving the packaged page once unpacked.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
work="$build/test-artefacts/deb"
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/enlace_*.deb)
test -f "$deb" || fail "no package in $work"
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

dpkg-deb -f "$deb" Package | grep -qx enlace || fail "Package field"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libc6 libsqlite3 libgdal libssl; do
  grep -q "$library" <<< "$depends" || fail "Depends lacks $library (found by dpkg-shlibdeps)"
done

dpkg-deb -c "$deb" > "$work/contents"
for file in ./usr/bin/enlace ./usr/lib/systemd/system/enlace.service ./usr/share/enlace/web/index.html \
            ./usr/share/enlace/web/node_modules/leaflet/dist/leaflet.js ./usr/share/doc/enlace/deploy.md; do
  grep -q " $file\$" "$work/contents" || fail "$file not in the package"
done
if grep -q "node_modules/playwright-core\|/build/\|/tests/" "$work/contents"; then fail "build or test files in the package"; fi

root="$work/unpacked"
dpkg-deb -x "$deb" "$root"
grep -q "^ExecStart=/usr/bin/enlace serve " "$root/usr/lib/systemd/system/enlace.service" || fail "the unit's ExecStart"
"$root/usr/bin/enlace" --version > /dev/null || fail "the packaged program does not run"
"$root/usr/bin/enlace" --db "$work/enlace.db" init --demo > /dev/null
"$root/usr/bin/enlace" --db "$work/enlace.db" serve --port 0 > "$work/serve.out" 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "Enlace serving" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/^Enlace serving \(http[^ ]*\).*/\1/p' "$work/serve.out")
test -n "$url" || fail "the packaged server did not start: $(cat "$work/serve.log")"
curl -sf "$url" | grep -c "<html" > /dev/null || fail "no page from the packaged server"
curl -sf "${url}vendor/leaflet/leaflet.js" > /dev/null || fail "no Leaflet from the packaged server"
curl -sf "${url}api/v1/services?country=GT&limit=1" | grep -c '"items"' > /dev/null || fail "no API from the packaged server"
kill -TERM $server
wait $server || fail "the packaged server did not stop cleanly on SIGTERM"
trap - EXIT
echo "ok"
