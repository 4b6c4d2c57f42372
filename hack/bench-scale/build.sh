#!/usr/bin/env bash
# Builds what `make bench-scale` compares against, from Go modules, into the cache hack/build-k8s.sh uses:
# kwok (simulated nodes and pods) and ToolHive's operator, thv-operator, at the newest version whose dependencies
# the Go module proxy serves here (newer ones need modules it refuses). ToolHive needs Go 1.27: the go command
# fetches that toolchain as a module (GOTOOLCHAIN). Prints: KWOK KWOK_STAGES THV_OPERATOR TOOLHIVE_MODULE_DIR
set -euo pipefail
kwok_version=v0.8.0
toolhive_version=${TOOLHIVE_VERSION:-v0.47.0}
cache="${MOORING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mooring}"
kwok="$cache/kwok-$kwok_version/kwok"
thv="$cache/toolhive-$toolhive_version/thv-operator"
mkdir -p "$(dirname "$kwok")" "$(dirname "$thv")"
if [ ! -x "$kwok" ]; then
  echo "building kwok $kwok_version ..." >&2
  GOBIN="$(dirname "$kwok")" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"
fi
if [ ! -x "$thv" ]; then
  echo "building thv-operator $toolhive_version ..." >&2
  GOTOOLCHAIN=go1.27.3 GOBIN="$(dirname "$thv")" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "github.com/stacklok/toolhive/cmd/thv-operator@$toolhive_version"
fi
# kwok ships no stages in its binary: the module's fast ones (nodes Ready at once and kept so, pods Ready once
# scheduled, gone once deleted), in one file for --config.
stages="$(dirname "$kwok")/stages.yaml"
if [ ! -s "$stages" ]; then
  kwok_dir=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kwok@$kwok_version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  for f in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    cat "$kwok_dir/kustomize/stage/$f"; echo "---"
  done > "$stages"
fi
# The CRDs and the chart's RBAC come from the same module version.
module_dir=$(cd "$(mktemp -d)" && GOTOOLCHAIN=go1.27.3 GOFLAGS=-mod=mod go mod download -json "github.com/stacklok/toolhive@$toolhive_version" \
  | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
echo "$kwok $stages $thv $module_dir"
