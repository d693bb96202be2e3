#!/usr/bin/env bash
# Two `enlace serve` processes on one registry behind nginx, configured by the example the project
# ships (packaging/nginx/enlace.conf) with only addresses, ports and files changed: HTTPS through
# nginx, a write through one server read through the other and through nginx, compression passed
# through, the sign-in throttle counting each client behind nginx apart, nothing of a query in
# nginx's log, and the other server answering while one is down. The registry is a SQLite file, or
# with POSTGRES_URI (the test cluster's) a new database on that PostgreSQL cluster.
# Usage: nginx_test.sh BUILD_DIR SOURCE_DIR [POSTGRES_URI]
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
cluster_uri="${3:-}"
enlace="$build/cli/enlace"
work="$build/test-artefacts/nginx${cluster_uri:+-postgres}"
rm -rf "$work"
mkdir -p "$work/tmp"
chmod 777 "$work/tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }
pids=()
database=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  if [ -n "$database" ]; then
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    psql -X -q "$cluster_uri" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" > /dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
if [ -n "$cluster_uri" ]; then
  database="enlace_nginx_$$"
  psql -X -q "$cluster_uri" -c "CREATE DATABASE $database TEMPLATE enlace_template" > /dev/null \
    || fail "cannot create a database on $cluster_uri"
  db="${cluster_uri/\/postgres\?//$database?}"
else
  db="$work/enlace.db"
fi

"$enlace" --db "$db" init --demo > /dev/null
token=$("$enlace" --db "$db" user add ana --role editor --country GT 2> /dev/null)

# nginx's ports first (the servers' --public-url names the HTTPS one): free ones, tried in turn.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" -keyout "$work/key.pem" \
  -out "$work/cert.pem" 2> /dev/null

start_server() { # NAME: sets port_NAME
  "$enlace" --db "$db" serve --port 0 --trusted-proxy 127.0.0.1 --public-url "https://localhost:$https_port" \
    > "$work/$1.out" 2> "$work/$1.log" &
  pids+=($!)
  eval "pid_$1=$!"
  for _ in $(seq 100); do
    grep -q "Enlace serving" "$work/$1.out" 2> /dev/null && break
    sleep 0.1
  done
  local port
  port=$(sed -n 's/^Enlace serving http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/$1.out")
  test -n "$port" || fail "server $1 did not start: $(cat "$work/$1.log")"
  eval "port_$1=$port"
}

started=
for attempt in $(seq 10); do
  http_port=$((20000 + RANDOM % 20000))
  https_port=$((http_port + 1))
  start_server a
  start_server b
  # The shipped example, with this test's ports, files and host; IPv6 listeners dropped (a
  # container may have no IPv6).
  sed -e "s|127.0.0.1:8081|127.0.0.1:$port_a|; s|127.0.0.1:8082|127.0.0.1:$port_b|" \
      -e "/listen \[::\]/d" -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
      -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
      -e "s|enlace.example.org|localhost|g" \
      -e "s|/etc/ssl/certs/localhost.pem|$work/cert.pem|; s|/etc/ssl/private/localhost.key|$work/key.pem|" \
      -e "s|/var/log/nginx/|$work/|g" "$source/packaging/nginx/enlace.conf" > "$work/enlace.conf"
  cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/nginx-main.log;
events {}
http {
  client_body_temp_path $work/tmp/body;
  proxy_temp_path $work/tmp/proxy;
  fastcgi_temp_path $work/tmp/fastcgi;
  uwsgi_temp_path $work/tmp/uwsgi;
  scgi_temp_path $work/tmp/scgi;
  include $work/enlace.conf;
}
CONF
  if nginx -p "$work" -c "$work/nginx.conf" 2> "$work/nginx-start.log"; then
    started=yes
    break
  fi
  grep -q "Address already in use" "$work/nginx-start.log" || fail "nginx: $(cat "$work/nginx-start.log")"
  kill "$pid_a" "$pid_b"
  wait "$pid_a" "$pid_b" || true
  pids=()
done
test -n "$started" || fail "no free ports for nginx after 10 tries"
for _ in $(seq 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done
front="https://localhost:$https_port"
curl_front() { curl -s --cacert "$work/cert.pem" --resolve "localhost:$https_port:127.0.0.1" "$@"; }

# Plain HTTP is sent to HTTPS; the page and the API answer through nginx.
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/")" = 301 || fail "no redirect to HTTPS"
curl_front -f "$front/" | grep -c "<html" > /dev/null || fail "no page through nginx"
curl_front -f "$front/readyz" | grep -c '"ready"' > /dev/null || fail "not ready through nginx"

# A write through server a, read through server b and through nginx (both servers, round robin).
body='{"name":{"es":"Defensoría en frontera, prueba"},"types":["PRO.AUTHORITY"],"country":"GT","location":{"lon":-92.0,"lat":14.9}}'
created=$(curl -s -D "$work/created.head" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  --data-binary "$body" "http://127.0.0.1:$port_a/api/v1/services")
grep -q "^HTTP/1.1 201" "$work/created.head" || fail "create through server a: $created"
grep -qi "^location: https://localhost:$https_port/api/v1/services/" "$work/created.head" || fail "Location is not the public URL"
id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<< "$created")
test -n "$id" || fail "no id in $created"
revision=$(sed -n 's/^[Ee]nlace-[Rr]evision: *\([0-9]*\).*/\1/p' "$work/created.head")
test -n "$revision" || fail "no Enlace-Revision on the write's answer"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port_b/api/v1/services/$id?min_revision=$revision" \
  | grep -c "prueba" > /dev/null || fail "server b does not see the write through server a (min_revision=$revision)"
for _ in 1 2 3 4; do
  curl_front -f -H "Authorization: Bearer $token" "$front/api/v1/services/$id" | grep -c "prueba" > /dev/null \
    || fail "nginx did not answer the write from every server"
done

# An edit through nginx with If-Match, seen by both servers directly.
curl_front -f -o /dev/null -X PATCH -H "Authorization: Bearer $token" -H 'If-Match: "v1"' \
  -H "Content-Type: application/merge-patch+json" --data-binary '{"capacity":12}' "$front/api/v1/services/$id" \
  || fail "PATCH through nginx"
for port in $port_a $port_b; do
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/services/$id" | grep -c '"capacity":12' > /dev/null \
    || fail "the edit through nginx is not seen by the server on $port"
done

# Enlace's own compression passes through nginx (Brotli made ahead for static files, gzip for the API).
curl_front -s -o /dev/null -D "$work/br.head" -H "Accept-Encoding: br" "$front/js/app.js"
grep -qi "^content-encoding: br" "$work/br.head" || fail "no Brotli through nginx"
curl_front -s -o /dev/null -D "$work/gz.head" -H "Accept-Encoding: gzip" "$front/api/v1/services?limit=100"
grep -qi "^content-encoding: gzip" "$work/gz.head" || fail "no gzip through nginx"

# Failed sign-ins: each client behind nginx is throttled on its own (nginx appends its address to
# X-Forwarded-For; the servers trust 127.0.0.1). Each server counts its own, so 429 comes within
# two servers' allowances.
throttled=
for _ in $(seq 25); do
  status=$(curl_front -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -H "Authorization: Bearer enl_1_wrong" \
    "$front/api/v1/me")
  if [ "$status" = 429 ]; then throttled=yes; break; fi
  test "$status" = 401 || fail "a bad token got $status"
done
test -n "$throttled" || fail "no 429 after 25 failed sign-ins from one client"
for _ in 1 2; do
  status=$(curl_front -o /dev/null -w '%{http_code}' --interface 127.0.0.3 -H "Authorization: Bearer enl_1_wrong" "$front/api/v1/me")
  test "$status" = 401 || fail "another client behind nginx got $status after the first was throttled"
done

# nginx's log has paths only: no position from a query string, no tile address.
curl_front -s -o /dev/null "$front/api/v1/services?lat=14.63&lon=-90.51&limit=3"
curl_front -s -o /dev/null "$front/tiles/services/8/60/120.mvt"
sleep 0.2
grep -q "GET /api/v1/services 200" "$work/enlace.access.log" || fail "nginx's log lacks the request"
if grep -q "14.63\|lat=\|/8/60/120" "$work/enlace.access.log"; then fail "nginx's log holds a position"; fi
grep -q "/tiles/services/{z}/{x}/{y}" "$work/enlace.access.log" || fail "the tile request is not logged by layer"

# One server down: nginx sends every request to the other.
kill -TERM "$pid_a"
wait "$pid_a" || fail "server a did not stop cleanly on SIGTERM"
for _ in 1 2 3 4; do
  curl_front -f -H "Authorization: Bearer $token" "$front/api/v1/services/$id" | grep -c "prueba" > /dev/null \
    || fail "a request failed while one server was down"
done
echo "ok: servers on $port_a and $port_b (on $([ -n "$cluster_uri" ] && echo PostgreSQL || echo SQLite)) behind nginx on $https_port"
