#!/bin/bash
# As the official image's entrypoint, reduced to what refswarm uses: `postgres [-c name=value]…`
# initialises PGDATA on first start (superuser postgres, POSTGRES_PASSWORD, password authentication
# for connections from other hosts) and runs the server as the postgres user.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo 'postgres: set POSTGRES_PASSWORD (the superuser password for connections from other hosts)' >&2
    exit 1
  fi
  initdb --username=postgres --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" > /dev/null
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
  echo 'postgres: initialised the database cluster in '"$PGDATA"
fi

exec "$@"
