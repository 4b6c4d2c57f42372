#!/usr/bin/env bash
# `make demo`: the local cluster, the images, the operator, examples/quickstart.yaml, and what a user needs
# to see: the McpServer, its endpoint, the tools fetched through its Service by mcp-smoke in a pod, and the
# drain summary of the Mooring proxy of a pod that was stopped.
# Safe to run again: every step converges on what is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
namespace=mooring-demo
tag=${TAG:-dev}

kubeconfig=$("$here/cluster.sh" up)
export KUBECONFIG=$kubeconfig
bin=$("$here/build-k8s.sh" kubectl)
kubectl() { "$bin/kubectl" "$@"; }

make -C "$root" --no-print-directory images TAG="$tag"
"$here/install-operator.sh" "mooring/operator:$tag" "mooring/mcp-server:$tag" "mooring/proxy:$tag"

kubectl apply --server-side -f - >/dev/null <<NS
apiVersion: v1
kind: Namespace
metadata:
  name: $namespace
  labels:
    pod-security.kubernetes.io/enforce: restricted
NS
kubectl -n "$namespace" apply --server-side -f "$root/examples/quickstart.yaml"
echo "demo: waiting for McpServer quickstart to be Ready (rolled out and verified by a real MCP client)" >&2
if ! kubectl -n "$namespace" wait mcps/quickstart --for=condition=Ready --timeout=180s >/dev/null; then
  kubectl -n "$namespace" describe mcps quickstart >&2
  exit 1
fi
endpoint=$(kubectl -n "$namespace" get mcps quickstart -o 'jsonpath={.status.endpoint}')

# mcp-smoke from the server image, in a pod, through the Service's DNS name: the path verification Jobs take.
kubectl -n "$namespace" delete pod mcp-smoke --ignore-not-found >/dev/null
kubectl -n "$namespace" apply -f - >/dev/null <<POD
apiVersion: v1
kind: Pod
metadata:
  name: mcp-smoke
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: mcp-smoke
    image: mooring/mcp-server:$tag
    imagePullPolicy: IfNotPresent
    command: [mcp-smoke, --url, "$endpoint", --expect-tools, "echo,sleep,status"]
    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
POD
kubectl -n "$namespace" wait pod/mcp-smoke --for=jsonpath='{.status.phase}'=Succeeded --timeout=60s >/dev/null || {
  kubectl -n "$namespace" logs mcp-smoke >&2
  exit 1
}
report=$(kubectl -n "$namespace" logs mcp-smoke)
kubectl -n "$namespace" delete pod mcp-smoke --wait=false >/dev/null

# One pod stopped the way a rollout stops it, to show the Mooring proxy's drain: its one-line summary.
pod=$(kubectl -n "$namespace" get pods -l app.kubernetes.io/instance=quickstart,app.kubernetes.io/component=mcp-server \
  -o 'jsonpath={.items[0].metadata.name}')
proxy_log=$(mktemp /tmp/mooring-demo-proxy.XXXXXX)
kubectl -n "$namespace" logs -f "$pod" -c mooring-proxy >"$proxy_log" 2>/dev/null &
follower=$!
sleep 1
kubectl -n "$namespace" delete pod "$pod" --timeout=90s >/dev/null
wait "$follower" || true
drain=$(grep '"event":"drain"' "$proxy_log" || echo "(no drain summary: see kubectl logs -c mooring-proxy)")
rm -f "$proxy_log"
kubectl -n "$namespace" wait mcps/quickstart --for=condition=Ready --timeout=120s >/dev/null

verified=$(kubectl -n "$namespace" get mcps quickstart -o 'jsonpath={.status.conditions[?(@.type=="Verified")].message}')

# A broken revision: the reference server's fault switch hides its `sleep` tool. Its first pod fails the MCP check
# in its proxy before it takes a call, and Mooring rolls back; then the spec is put right again.
echo "demo: applying a broken revision (MCP_FAULTS=drop-tool:sleep) and waiting for its rollback" >&2
good=$(kubectl -n "$namespace" get mcps quickstart -o 'jsonpath={.status.revision}')
earlier=$(kubectl -n "$namespace" get mcps quickstart -o 'jsonpath={.status.rollback.at}')
applied=$(date +%s)
kubectl -n "$namespace" patch mcps quickstart --type merge -p '{"spec":{"env":[{"name":"MCP_FAULTS","value":"drop-tool:sleep"}]}}' >/dev/null
for _ in $(seq 120); do
  at=$(kubectl -n "$namespace" get mcps quickstart -o 'jsonpath={.status.rollback.at}')
  [ -n "$at" ] && [ "$at" != "$earlier" ] && break
  sleep 1
done
kubectl -n "$namespace" wait mcps/quickstart --for=jsonpath='{.status.revision}'="$good" --timeout=60s >/dev/null
rolled_back=$(( $(date +%s) - applied ))
rollback=$(kubectl -n "$namespace" get mcps quickstart -o 'jsonpath={.status.rollback.from} -> {.status.rollback.to}: {.status.rollback.reason}')
broken=$(kubectl -n "$namespace" get mcps quickstart)
kubectl -n "$namespace" patch mcps quickstart --type json -p '[{"op":"remove","path":"/spec/env"}]' >/dev/null
kubectl -n "$namespace" wait mcps/quickstart --for=condition=Degraded=False --timeout=120s >/dev/null

echo
kubectl -n "$namespace" get mcps
echo
echo "verification: $verified"
echo "endpoint (inside the cluster): $endpoint"
echo "tools, listed through the Service by mcp-smoke:"
echo "$report" | grep -o '"tools":\[[^]]*\]' | sed 's/"tools":\[//; s/\]//; s/"//g; s/,/\n/g' | sed 's/^/  - /'
echo "mcp-smoke said: $report"
echo "the Mooring proxy of pod $pod, when the pod was deleted: $drain"
echo
echo "a broken revision (its sleep tool hidden), applied and rolled back in ${rolled_back}s: its new pod failed the MCP check"
echo "in its proxy and never turned ready, the two pods before it served throughout:"
echo "$broken"
echo "rollback: $rollback"
echo
echo "next: export KUBECONFIG=$KUBECONFIG; kubectl -n $namespace describe mcps quickstart"
