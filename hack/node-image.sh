#!/usr/bin/env bash
# Builds an image of a Node.js MCP server on BASE_IMAGE: the files of SRC_DIR named in FILES, their node_modules
# (npm ci from SRC_DIR's package-lock.json) and this machine's Node.js binary, with SRC_DIR/Dockerfile.
# No registry serves a Node.js image here, so the image takes this machine's Node.js binary, which must be
# version 20 or newer and self-contained (linked only against glibc and libstdc++, as the nodejs.org and
# NodeSource builds are); it refuses clearly otherwise.
# Usage: hack/node-image.sh IMAGE:TAG SRC_DIR BASE_IMAGE FILE...
#   make images builds mooring/mcp-stateless (examples/stateless-server) and mooring/mcp-peers (server-image/peers).
set -euo pipefail
image=$1 src=$2 base=$3
shift 3
node=$(command -v node) || { echo "node-image: needs Node.js 20+ on PATH" >&2; exit 1; }
major=$("$node" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "node-image: Node.js $("$node" --version) is too old; the MCP TypeScript SDK needs 20+" >&2; exit 1; }
if ldd "$node" | grep -qvE 'linux-vdso|ld-linux|lib(c|m|dl|pthread|rt|stdc\+\+|gcc_s)\.so'; then
  echo "node-image: $node links libraries the base image lacks:" >&2
  ldd "$node" >&2
  exit 1
fi
context=$(mktemp -d /tmp/mooring-node-image.XXXXXX)
trap 'rm -rf "$context"' EXIT
mkdir "$context/app"
for file in "$@" package.json package-lock.json; do cp "$src/$file" "$context/app/"; done
npm ci --prefix "$context/app" --omit=dev --no-audit --no-fund --loglevel=error >&2
cp "$node" "$context/node"
docker build -q ${LABEL:+--label "$LABEL"} --build-arg BASE_IMAGE="$base" -f "$src/Dockerfile" -t "$image" "$context"
