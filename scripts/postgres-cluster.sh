#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the tests: initdb and pg_ctl from Debian's
# postgresql-15, run as the postgres user in DIR, reachable only over a Unix socket in DIR/socket
# (no TCP port, trust for local connections: nothing but this machine's users can reach it).
# Usage: postgres-cluster.sh start|stop DIR. `start` prints the base connection URI.
set -euo pipefail

action=${1:?usage: postgres-cluster.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: postgres-cluster.sh start|stop DIR}")
bin=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "$action" in
start)
  test -x "$bin/initdb" || { echo "postgres-cluster: $bin/initdb missing: run scripts/setup.sh" >&2; exit 1; }
  if [ -f "$dir/data/postmaster.pid" ]; then as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true; fi
  rm -rf "$dir"
  mkdir -p "$dir/socket"
  chmod 755 "$dir"
  chown -R postgres: "$dir" 2> /dev/null || true
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Small and fast: a test cluster, discarded at the end, never a model for a deployment's settings.
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir/socket' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB" \
    start > /dev/null || { cat "$dir/server.log" >&2; exit 1; }
  # The tests' databases are copies of this one, PostGIS already in it.
  uri="postgresql://postgres@/postgres?host=$dir/socket"
  psql -X -q "$uri" -c "CREATE DATABASE enlace_template" > /dev/null
  psql -X -q "postgresql://postgres@/enlace_template?host=$dir/socket" -c "CREATE EXTENSION postgis" > /dev/null
  echo "$uri"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres-cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
