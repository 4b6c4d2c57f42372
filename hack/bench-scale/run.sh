#!/usr/bin/env bash
# make bench-scale: a fresh local cluster (so the audit log and the operator start clean), the images, the operator
# from its chart, kwok and ToolHive's operator built from their modules, then bench.mjs. Not part of `make test`:
# about 35 minutes. Raw figures: docs/bench-scale.json (BENCH_OUT to write elsewhere).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
read -r kwok stages thv toolhive_dir < <("$here/build.sh")
bin=$("$root/hack/build-k8s.sh" kubectl helm)
"$root/hack/cluster.sh" down >/dev/null
"$root/hack/cluster.sh" up >/dev/null
eval "$("$root/hack/cluster.sh" env)"
make -C "$root" images TAG=dev >/dev/null
"$root/hack/install-operator.sh" >/dev/null
"$bin/kubectl" -n mooring-system rollout status deployment/mooring-operator --timeout=180s >/dev/null
KUBECTL="$bin/kubectl" HELM="$bin/helm" node "$here/bench.mjs" "$kwok" "$stages" "$thv" "$toolhive_dir" "${BENCH_OUT:-$root/docs/bench-scale.json}" \
  "${BENCH_SERVERS:-500}" "${BENCH_IDLE_SECONDS:-300}"
