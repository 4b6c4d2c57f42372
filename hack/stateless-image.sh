#!/usr/bin/env bash
# Builds mooring/mcp-stateless:TAG, the stateless example server (examples/stateless-server), on BASE_IMAGE.
# No registry serves a Node.js image here, so the image takes this machine's Node.js binary, which must be
# version 20 or newer and self-contained (linked only against glibc and libstdc++, as the nodejs.org and
# NodeSource builds are); it refuses clearly otherwise.
# Usage: hack/stateless-image.sh TAG BASE_IMAGE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")/examples/stateless-server
tag=${1:-dev}
base=${2:-mooring/jre-base:17}
node=$(command -v node) || { echo "stateless-image: needs Node.js 20+ on PATH" >&2; exit 1; }
major=$("$node" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "stateless-image: Node.js $("$node" --version) is too old; the MCP TypeScript SDK needs 20+" >&2; exit 1; }
if ldd "$node" | grep -qvE 'linux-vdso|ld-linux|lib(c|m|dl|pthread|rt|stdc\+\+|gcc_s)\.so'; then
  echo "stateless-image: $node links libraries the base image lacks:" >&2
  ldd "$node" >&2
  exit 1
fi
context=$(mktemp -d /tmp/mooring-stateless.XXXXXX)
trap 'rm -rf "$context"' EXIT
mkdir "$context/app"
cp "$src/server.mjs" "$src/package.json" "$src/package-lock.json" "$context/app/"
npm ci --prefix "$context/app" --omit=dev --no-audit --no-fund --loglevel=error >&2
cp "$node" "$context/node"
docker build -q --build-arg BASE_IMAGE="$base" -f "$src/Dockerfile" -t "mooring/mcp-stateless:$tag" "$context"
