#!/usr/bin/env bash
# The agent image's size on a Debian base, with the real Claude Code: builds resources/Dockerfile
# with the docker CLI and prints the size in MB. Needs the npm registry and Debian's archive.
#   scripts/agent-image-size.sh [base image] [CA certificate PEM] [build network]
# With no local Debian image: debootstrap --variant=minbase bookworm /tmp/rootfs &&
#   tar -C /tmp/rootfs -c . | docker import - debian-local:bookworm
set -euo pipefail
base="${1:-debian:bookworm-slim}"; ca="${2:-}"; network="${3:-default}"
ctx="$(mktemp -d)"; trap 'rm -rf "$ctx"' EXIT
here="$(cd "$(dirname "$0")/.." && pwd)"
cp "$here/resources/Dockerfile" "$here/resources/entrypoint.sh" "$here/resources/keeper.sh" "$ctx/"
if [ -n "$ca" ]; then cp "$ca" "$ctx/extra-ca.crt"; ca_arg=true; else : > "$ctx/extra-ca.crt"; ca_arg=""; fi
tag="clawker-image-size:measure"
DOCKER_BUILDKIT=0 docker build -q --network "$network" --build-arg BASE_IMAGE="$base" --build-arg EXTRA_CA_CERT="$ca_arg" -t "$tag" "$ctx" >/dev/null
bytes="$(docker image inspect -f '{{.Size}}' "$tag")"
echo "agent-image-size base=$base $((bytes / 1000000)) MB"
