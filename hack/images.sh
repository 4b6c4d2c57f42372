#!/usr/bin/env bash
# `make images`: mooring/operator, mooring/mcp-server, mooring/proxy, the stateless example mooring/mcp-stateless and
# the official-SDK test servers mooring/mcp-peers, built on BASE_IMAGE by the Docker engine (started if needed) and
# imported into the local cluster's node when it runs.
# Each image carries the hash of the sources it was built from (label dev.mooring.sources); when all five carry the
# hash of the working tree as it is now, nothing is packaged or built again: `make demo` then `make test` build once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
tag=${TAG:-dev}
base=${BASE_IMAGE:-mooring/jre-base:17}
mvn=${MVN:-mvn -B -ntp}
images=(mooring/operator:"$tag" mooring/mcp-server:"$tag" mooring/proxy:"$tag" mooring/mcp-stateless:"$tag" mooring/mcp-peers:"$tag")
# Tests and the load scripts never go into an image: editing one builds nothing again.
inputs=(pom.xml operator proxy server-image examples/stateless-server hack/images.sh hack/node-image.sh hack/base-image.sh
  ':(exclude,glob)**/src/test/**' ':(exclude)server-image/peers/load.mjs' ':(exclude)server-image/peers/client.mjs')

"$here/docker.sh"
[ "$base" != mooring/jre-base:17 ] || BASE_IMAGE=$base "$here/base-image.sh"

# What the images are made of: the base image, the Node.js binary the Node images copy, the committed files, the
# changes on top of them, and files not yet added.
git rev-parse --git-dir >/dev/null 2>&1 || { echo "images: $root is not a Git work tree; building every time" >&2; }
sources=$({
  docker image inspect -f '{{.Id}}' "$base" 2>/dev/null || echo "$base"
  sha256sum "$(command -v node)" 2>/dev/null || true
  git rev-parse --git-dir >/dev/null 2>&1 || date +%s%N
  git ls-files -s -- "${inputs[@]}" 2>/dev/null || true
  git diff --binary HEAD -- "${inputs[@]}" 2>/dev/null || true
  git ls-files -o --exclude-standard -z -- "${inputs[@]}" 2>/dev/null | sort -z | xargs -0 -r sha256sum 2>/dev/null || true
} | sha256sum | cut -c1-32)

built() {
  local image
  for image in "${images[@]}"; do
    [ "$(docker image inspect -f '{{index .Config.Labels "dev.mooring.sources"}}' "$image" 2>/dev/null)" = "$sources" ] || return 1
  done
}
if built; then
  echo "images: ${images[*]} are built from these sources already" >&2
else
  $mvn package -DskipTests
  label=(--label "dev.mooring.sources=$sources")
  docker build -q "${label[@]}" --build-arg BASE_IMAGE="$base" -f server-image/Dockerfile -t "${images[1]}" server-image
  docker build -q "${label[@]}" --build-arg BASE_IMAGE="$base" -f operator/Dockerfile -t "${images[0]}" operator
  docker build -q "${label[@]}" --build-arg BASE_IMAGE="$base" -f proxy/Dockerfile -t "${images[2]}" proxy
  LABEL="dev.mooring.sources=$sources" "$here/node-image.sh" "${images[3]}" examples/stateless-server "$base" server.mjs
  LABEL="dev.mooring.sources=$sources" "$here/node-image.sh" "${images[4]}" server-image/peers "$base" \
    tools.mjs http.mjs stateless-503-server.mjs stateful-v1-server.mjs
fi
# Read whole before grep: with pipefail, grep -q leaving early would fail the status command's pipe.
if grep -q '^kubelet: running' <<<"$("$here/cluster.sh" status)"; then
  "$here/cluster.sh" load "${images[@]}"
fi
