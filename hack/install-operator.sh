#!/usr/bin/env bash
# Installs the CRD and the operator (deploy/operator.yaml) into the cluster KUBECONFIG names, with the given
# images, and waits until it runs. A rebuilt image under the same tag restarts the operator: the pod template
# carries the image's ID.
# Usage: hack/install-operator.sh [OPERATOR_IMAGE [VERIFICATION_IMAGE]]
#        (defaults mooring/operator:dev and mooring/mcp-server:dev, which carries mcp-smoke)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
image=${1:-mooring/operator:dev}
verification_image=${2:-mooring/mcp-server:dev}
kubectl=${KUBECTL:-$("$here/build-k8s.sh" kubectl)/kubectl}

"$kubectl" apply --server-side --force-conflicts --field-manager mooring-installer -f "$root/crds/mcpservers.mooring.dev-v1.yml" >/dev/null
"$kubectl" wait crd/mcpservers.mooring.dev --for=condition=Established --timeout=30s >/dev/null
sed -e "s|image: mooring/operator:dev|image: $image|" -e "s|value: mooring/mcp-server:dev|value: $verification_image|" "$root/deploy/operator.yaml" | "$kubectl" apply --server-side --force-conflicts --field-manager mooring-installer -f - >/dev/null
image_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || echo unknown)
"$kubectl" -n mooring-system patch deployment mooring-operator --type merge \
  -p "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"mooring.dev/image-id\":\"$image_id\"}}}}}" >/dev/null
"$kubectl" -n mooring-system rollout status deployment/mooring-operator --timeout=120s >&2
