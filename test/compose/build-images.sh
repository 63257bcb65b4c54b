#!/usr/bin/env bash
# Builds stand-ins for the images docker-compose.yml and the Dockerfile name (postgres:15, redis:7,
# node:20-bookworm-slim) on a machine that reaches no image registry, only Debian's and npm's:
#   base   a Debian bookworm minbase root file system (debootstrap), with this host's CA bundle and
#          apt settings so that builds inside it reach the registries as the host does;
#   images test/compose/images/<name>/Dockerfile FROM that base, with Debian's packages or, for
#          node, this host's node binary and npm.
# Each image carries its recipe's hash as a label and is built again only when the recipe changes.
#   test/compose/build-images.sh [--force]
# With REFSWARM_MONITORING=1 it also builds prom/prometheus (the `monitoring` profile) from Debian's package.
set -euo pipefail
cd "$(dirname "$0")"

BASE=refswarm-standin/debian:bookworm
LABEL=refswarm.standin.recipe
force=${1:-}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

say() { echo "build-images: $*" >&2; }
built_hash() { docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
hash_of() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; shift; echo "$@") | sha256sum | cut -c1-16; }

# The Debian mirror apt uses here: the first URI ending in /debian in the host's sources.
debian_mirror() {
  { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } |
    grep -oE '(https?|ftp)://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ' || true
}

# What the base image takes from the host: CA bundle, Debian sources, the apt settings on how to reach
# them (Acquire::… lines: proxies, snapshot mirrors' Valid-Until), and proxy variables if any.
stage_host_settings() {
  local dir=$1 file
  mkdir -p "$dir/etc/ssl/certs" "$dir/etc/apt/apt.conf.d" "$dir/etc/apt/sources.list.d" "$dir/usr/sbin"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/"
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    if [ -f "$file" ] && grep -qE '^[^#]*/debian(-security)?/?( |$)' "$file"; then cp "$file" "$dir$file"; fi
  done
  for file in /etc/apt/apt.conf.d/*; do
    if grep -q 'Acquire::' "$file"; then cp "$file" "$dir/etc/apt/apt.conf.d/"; fi
  done
  local proxy=${HTTP_PROXY:-${http_proxy:-}}
  if [ -n "$proxy" ]; then echo "Acquire::http::Proxy \"$proxy\";" > "$dir/etc/apt/apt.conf.d/90host-proxy"; fi
  # As in Debian's own images: packages do not start services at install time.
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
}

build_base() {
  local mirror=$1 hash=$2 root="$stage/root"
  say "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$root" "$mirror" > "$stage/debootstrap.log" 2>&1 ||
    { tail -20 "$stage/debootstrap.log" >&2; return 1; }
  # The host's sources replace debootstrap's one line when it has any.
  if [ -n "$(ls "$stage/host/etc/apt/sources.list.d")" ] || [ -f "$stage/host/etc/apt/sources.list" ]; then
    rm -f "$root/etc/apt/sources.list"
  fi
  cp -a "$stage/host/." "$root/"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import \
    --change "LABEL $LABEL=$hash" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$BASE" > /dev/null
}

# A context with the host's node and npm, and an npmrc with the host's registry, CA bundle and proxies.
stage_node() {
  local dir=$1 node npm_dir
  node=$(command -v node)
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  cp -a images/node/. "$dir/"
  cp "$node" "$dir/node"
  cp -a "$npm_dir" "$dir/npm"
  {
    echo "registry=$(npm config get registry)"
    echo "cafile=/etc/ssl/certs/ca-certificates.crt"
    local key value
    for key in proxy https-proxy noproxy; do
      value=$(npm config get "$key")
      if [ -n "$value" ] && [ "$value" != null ]; then echo "$key=$value"; fi
    done
  } > "$dir/npmrc"
}

build_image() {
  local tag=$1 context=$2 hash=$3
  if [ "$force" != --force ] && [ "$(built_hash "$tag")" = "$hash" ]; then say "$tag is up to date"; return; fi
  say "building $tag"
  docker build --label "$LABEL=$hash" -t "$tag" "$context" > "$stage/build.log" 2>&1 ||
    { tail -30 "$stage/build.log" >&2; return 1; }
}

mirror=${DEBIAN_MIRROR:-$(debian_mirror)}
[ -n "$mirror" ] || { say "no Debian mirror found in /etc/apt: set DEBIAN_MIRROR"; exit 1; }
stage_host_settings "$stage/host"
base_hash=$(hash_of "$stage/host" "$mirror" "$(declare -f stage_host_settings build_base)")
if [ "$force" != --force ] && [ "$(built_hash "$BASE")" = "$base_hash" ]; then
  say "$BASE is up to date"
else
  build_base "$mirror" "$base_hash"
fi

build_image postgres:15 images/postgres "$(hash_of images/postgres "$base_hash")"
build_image redis:7 images/redis "$(hash_of images/redis "$base_hash")"
stage_node "$stage/node"
build_image node:20-bookworm-slim "$stage/node" "$(hash_of "$stage/node" "$base_hash")"
if [ "${REFSWARM_MONITORING:-}" = 1 ]; then
  build_image prom/prometheus:v2.45.0 images/prometheus "$(hash_of images/prometheus "$base_hash")"
fi
