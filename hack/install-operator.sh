#!/usr/bin/env bash
# Installs (or upgrades) the operator with its Helm chart, helm/mooring, as release "mooring" in namespace
# mooring-system, with the given images, into the cluster KUBECONFIG names, and waits until it runs. The
# namespace enforces the restricted Pod Security Standard. A rebuilt image under the same tag restarts the
# operator: the pod carries the image's ID as an annotation.
# Usage: hack/install-operator.sh [OPERATOR_IMAGE [VERIFICATION_IMAGE [PROXY_IMAGE]]] [-- extra helm arguments]
#        (defaults mooring/operator:dev, mooring/mcp-server:dev, which carries mcp-smoke, and mooring/proxy:dev)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
image=mooring/operator:dev
verification_image=mooring/mcp-server:dev
if [ $# -gt 0 ] && [ "$1" != -- ]; then image=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != -- ]; then verification_image=$1; shift; fi
proxy_image=mooring/proxy:dev
if [ $# -gt 0 ] && [ "$1" != -- ]; then proxy_image=$1; shift; fi
[ "${1:-}" != -- ] || shift
bin=$("$here/build-k8s.sh" kubectl helm)
kubectl=${KUBECTL:-$bin/kubectl}
helm=${HELM:-$bin/helm}

"$kubectl" create namespace mooring-system --dry-run=client -o yaml \
  | "$kubectl" label --local -f - pod-security.kubernetes.io/enforce=restricted -o yaml \
  | "$kubectl" apply --server-side --field-manager mooring-installer -f - >/dev/null
# A CRD applied without Helm (from crds/ by hand, or by the API-server tests) is adopted into the release the way
# Helm adopts existing objects: its ownership label and annotations. Helm refuses to install over it otherwise.
crd=customresourcedefinition/mcpservers.mooring.dev
if "$kubectl" get "$crd" >/dev/null 2>&1 \
   && [ -z "$("$kubectl" get "$crd" -o 'jsonpath={.metadata.annotations.meta\.helm\.sh/release-name}')" ]; then
  "$kubectl" label "$crd" app.kubernetes.io/managed-by=Helm --overwrite >/dev/null
  "$kubectl" annotate "$crd" meta.helm.sh/release-name=mooring meta.helm.sh/release-namespace=mooring-system --overwrite >/dev/null
fi
image_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || echo unknown)
"$helm" upgrade --install mooring "$root/helm/mooring" --namespace mooring-system \
  --set image.repository="${image%:*}" --set-string image.tag="${image##*:}" \
  --set verification.image.repository="${verification_image%:*}" --set-string verification.image.tag="${verification_image##*:}" \
  --set proxy.image.repository="${proxy_image%:*}" --set-string proxy.image.tag="${proxy_image##*:}" \
  --set-string "podAnnotations.mooring\.dev/image-id=$image_id" \
  --wait --timeout 3m "$@" >&2
