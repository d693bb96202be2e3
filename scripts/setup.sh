#!/usr/bin/env bash
# Installs the Debian 12 packages Enlace needs to build and test, only those that are missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 nlohmann-json3-dev libsimdjson-dev libqpdf-dev libcli11-dev libhowardhinnant-date-dev tzdata
  catch2 libboost-dev gdal-bin libgdal-dev libssl-dev libminizip-dev openssl curl
  zlib1g-dev libbrotli-dev libprotozero-dev
  poppler-utils qpdf
  clang-14 clang-format-14
  systemd dpkg-dev binutils nginx-light
  libpq-dev postgresql-15 postgresql-15-postgis-3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web map: Debian's chromium for the browser tests, and the page's npm packages (Leaflet,
# markercluster, world-atlas outlines, topojson-client, playwright-core) in http/web/node_modules.
# npm comes with Node.js on these machines (apt-get install npm conflicts with it).
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  echo "setup: installing chromium"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
fi
web="$(dirname "$0")/../http/web"
if [ ! -d "$web/node_modules/leaflet" ] || [ ! -d "$web/node_modules/playwright-core" ] \
   || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    # Only where no Node.js came with the machine: Debian's own (installing it beside another conflicts).
    echo "setup: installing Debian's nodejs and npm"
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  echo "setup: npm ci in http/web"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
