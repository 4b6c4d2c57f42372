#!/usr/bin/env bash
# Builds the Kubernetes components (and etcd, and the pod-sweeper) from hack/k8s/go.mod, CoreDNS from
# hack/coredns/go.mod, Helm and the NetworkPolicy enforcer kube-network-policies from their modules, into a cache outside the repository keyed by their versions,
# so the second run is instant. Prints the bin directory on stdout.
# Usage: hack/build-k8s.sh [component ...]   (default: everything a local cluster needs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(grep -E "^\s*(require )?k8s.io/kubernetes v" "$here/k8s/go.mod" | awk "{print \$NF}")
cache="${MOORING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mooring}"
bin="$cache/k8s-$version/bin"
coredns_version=$(awk '$1 == "require" && $2 == "github.com/coredns/coredns" {print $3}' "$here/coredns/go.mod")
coredns="$cache/coredns-$coredns_version/coredns"
# Helm's own Makefile stamps these; without them `helm template` assumes Kubernetes 1.20 and refuses the chart.
helm_version=v3.22.0
helm_kube_minor=37
helm="$cache/helm-$helm_version/helm"
# The node's NetworkPolicy enforcer (hack/netpol.sh).
netpol_version=v0.8.0
netpol="$cache/kube-network-policies-$netpol_version/kube-network-policies"
mkdir -p "$bin" "$(dirname "$coredns")" "$(dirname "$helm")" "$(dirname "$netpol")"
components=("$@")
[ ${#components[@]} -gt 0 ] || components=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl pod-sweeper coredns helm kube-network-policies)
minor=$(echo "$version" | cut -d. -f2)
# Without these the binaries report v0.0.0 and clients cannot tell what the API server supports.
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
start=$(date +%s)
built=()

build_coredns() {
  (cd "$here/coredns" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$coredns.tmp" .) && mv "$coredns.tmp" "$coredns"
}

build_helm() {
  local helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    helm_ldflags="$helm_ldflags -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$helm_kube_minor"
  done
  GOBIN="$(dirname "$helm")" CGO_ENABLED=0 go install -trimpath -ldflags "$helm_ldflags" "helm.sh/helm/v3/cmd/helm@$helm_version"
}

build_netpol() {
  local gobin
  gobin=$(mktemp -d)
  GOBIN="$gobin" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kube-network-policies/cmd@$netpol_version"
  mv "$gobin/cmd" "$netpol" && rmdir "$gobin"
}

# A tool versioned apart from Kubernetes lives in its own cache folder, built once, and is linked into $bin.
linked_tool() { # NAME PATH VERSION BUILD_FUNCTION
  if [ ! -x "$2" ]; then
    echo "building $1 $3 ..." >&2
    "$4"
    built+=("$1")
  fi
  ln -sfn "$2" "$bin/$1"
}

for c in "${components[@]}"; do
  case "$c" in
    coredns) linked_tool coredns "$coredns" "$coredns_version" build_coredns; continue ;;
    helm) linked_tool helm "$helm" "$helm_version" build_helm; continue ;;
    kube-network-policies) linked_tool kube-network-policies "$netpol" "$netpol_version" build_netpol; continue ;;
  esac
  [ -x "$bin/$c" ] && continue
  case "$c" in
    etcd) pkg=./cmd/etcd ;;
    pod-sweeper) pkg=./cmd/pod-sweeper ;;
    *) pkg=k8s.io/kubernetes/cmd/$c ;;
  esac
  echo "building $c $version ..." >&2
  (cd "$here/k8s" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin/$c.tmp" "$pkg") && mv "$bin/$c.tmp" "$bin/$c"
  built+=("$c")
done
if [ ${#built[@]} -gt 0 ]; then
  echo "built ${built[*]} in $(( $(date +%s) - start ))s into $bin" >&2
fi
echo "$bin"
