#!/bin/bash
# As the official image's entrypoint: options alone run redis-server; without a config file the
# server accepts other hosts (the official image turns protected mode off too); runs as user redis.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ] && [[ "${2:-}" != *.conf ]]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
