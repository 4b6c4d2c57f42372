#!/usr/bin/env bash
# `make test`: every test, against one cluster chosen explicitly and named in the output.
#   default                  the local cluster (hack/cluster.sh up), images imported into its node
#   MOORING_KUBECONFIG=PATH  a cluster you already have; its nodes must be able to run
#                            mooring/operator:$TAG and mooring/mcp-server:$TAG (load or push them yourself),
#                            and MOORING_AUDIT_LOG must name its API server's audit log (the no-op test reads it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")"
tag=${TAG:-dev}
mvn=${MVN:-mvn -B -ntp}

if [ -n "${MOORING_KUBECONFIG:-}" ]; then
  echo "tests: against the cluster of MOORING_KUBECONFIG=$MOORING_KUBECONFIG" >&2
  export KUBECONFIG=$MOORING_KUBECONFIG
  make --no-print-directory images TAG="$tag"
else
  echo "tests: against the local cluster (hack/cluster.sh); set MOORING_KUBECONFIG to use another" >&2
  "$here/cluster.sh" up >/dev/null
  make --no-print-directory images TAG="$tag"
  eval "$("$here/cluster.sh" env)"
fi
echo "tests: Argo CD health check, through Argo CD's own Lua VM (hack/argocd-health)" >&2
(cd "$here/argocd-health" && go run . ../../examples/argocd/health/mooring.dev/McpServer ../../examples/argocd/argocd-cm.yaml)
MOORING_SERVER_IMAGE=mooring/mcp-server:$tag MOORING_OPERATOR_IMAGE=mooring/operator:$tag MOORING_STATELESS_IMAGE=mooring/mcp-stateless:$tag $mvn verify
