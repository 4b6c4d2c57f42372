#!/usr/bin/env bash
# `make test`: every test, against one cluster chosen explicitly and named in the output.
#   default                  the local cluster (hack/cluster.sh up), images imported into its node
#   MOORING_KUBECONFIG=PATH  a cluster you already have; its nodes must be able to run
#                            mooring/operator:$TAG and mooring/mcp-server:$TAG (load or push them yourself),
#                            this machine must reach its ClusterIPs, and MOORING_AUDIT_LOG must name its
#                            API server's audit log (the no-op test reads it)
#   MOORING_CLUSTER=k3s      k3s in Docker through Testcontainers (hack/k3s.sh), images imported into it;
#                            needs Docker, root, and access to the registry of MOORING_K3S_IMAGE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")"
tag=${TAG:-dev}
mvn=${MVN:-mvn -B -ntp}

images=(mooring/operator:"$tag" mooring/mcp-server:"$tag" mooring/mcp-stateless:"$tag" mooring/proxy:"$tag" mooring/mcp-peers:"$tag")
bench=${MOORING_BENCH_ROLLOUTS:-false}
# Unit tests of every module first: they need nothing, take a minute, and a red one ends the run before anything slow.
if [ "$bench" != true ]; then
  echo "tests: unit tests of every module" >&2
  $mvn test
fi
if [ -n "${MOORING_KUBECONFIG:-}" ]; then
  echo "tests: against the cluster of MOORING_KUBECONFIG=$MOORING_KUBECONFIG" >&2
  export KUBECONFIG=$MOORING_KUBECONFIG
  make --no-print-directory images TAG="$tag"
elif [ "${MOORING_CLUSTER:-local}" = k3s ]; then
  . "$here/k3s.sh"
  echo "tests: against k3s ($k3s_image) started through Testcontainers" >&2
  make --no-print-directory images TAG="$tag"
  k3s_up "${images[@]}"
elif [ "${MOORING_CLUSTER:-local}" = local ]; then
  echo "tests: against the local cluster (hack/cluster.sh); set MOORING_KUBECONFIG or MOORING_CLUSTER=k3s to use another" >&2
  "$here/cluster.sh" up >/dev/null
  make --no-print-directory images TAG="$tag"
  eval "$("$here/cluster.sh" env)"
  # `make demo`'s server would share the node's two cores with the end-to-end tests; it comes back with `make demo`.
  # Its pods drain while the tests against the API server run, which need no node, so nothing waits for them.
  "$("$here/build-k8s.sh" kubectl)/kubectl" delete namespace mooring-demo --ignore-not-found --wait=false >&2
else
  echo "tests: MOORING_CLUSTER must be local (the default) or k3s, not '$MOORING_CLUSTER'" >&2
  exit 2
fi
export MOORING_OPERATOR_IMAGE=${images[0]} MOORING_SERVER_IMAGE=${images[1]} MOORING_STATELESS_IMAGE=${images[2]} \
  MOORING_PROXY_IMAGE=${images[3]} MOORING_PEERS_IMAGE=${images[4]}
if [ "$bench" = true ]; then
  echo "bench-rollouts: the rollout tests with their comparison sides" >&2
  $mvn verify -pl operator -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dmooring.e2eOnly=true -Dmooring.compare=true \
    -Dit.test=RolloutUnderLoadE2E,SessionHandoffE2E,PreTrafficGateE2E
  exit
fi
echo "tests: Argo CD health check, through Argo CD's own Lua VM (hack/argocd-health)" >&2
(cd "$here/argocd-health" && go run . ../../examples/argocd/health/mooring.dev/McpServer ../../examples/argocd/argocd-cm.yaml)
# The unit tests ran above; this runs the tests against real processes, the API server and the node: the other
# modules' (real processes, a container) beside the operator module's (the API server, then the node), whose
# minutes they would otherwise add to. Neither module builds anything of the other's.
verify=($mvn verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false)
("${verify[@]}" -pl '!operator' 2>&1 | sed -u 's/^/[modules] /'; exit "${PIPESTATUS[0]}") &
modules=$!
operator_status=0
"${verify[@]}" -pl operator || operator_status=$?
modules_status=0
wait "$modules" || modules_status=$?
[ "$modules_status" = 0 ] || echo "tests: the tests of mcp-smoke, the proxy or the reference server failed (lines marked [modules] above)" >&2
[ "$operator_status" = 0 ] || echo "tests: the operator module's tests failed" >&2
[ "$modules_status" = 0 ] && [ "$operator_status" = 0 ]
