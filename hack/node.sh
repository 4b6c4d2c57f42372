#!/usr/bin/env bash
# SPIKE (not wired into make yet): one node for the local cluster: a bridge, a containerd of its own,
# a locally built pause image, kubelet, kube-proxy and kube-scheduler. Run after hack/cluster.sh up;
# `hack/node.sh down` stops them. Tried once by hand: node Ready, the operator's Deployment ran with its
# hardened pod, and mcp-smoke answered through the ClusterIP. Still to do for #4: bind the API server to the
# bridge IP (pods reach `kubernetes`), cluster DNS, image import in make images, mounts cleanup, e2e tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=hack/processes.sh
. "$here/processes.sh"
bridge=mooring0
node_ip=10.244.0.1
pod_cidr=10.244.0.0/24
pause_image=mooring/pause:3.10
sock=/run/mooring/containerd.sock

log() { echo "node: $*" >&2; }

network() {
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add "$node_ip/24" dev "$bridge"
  fi
  ip link set "$bridge" up
  # Docker sets FORWARD to DROP; let pod traffic through.
  iptables -C FORWARD -i "$bridge" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$bridge" -j ACCEPT
  iptables -C FORWARD -o "$bridge" -j ACCEPT 2>/dev/null || iptables -I FORWARD -o "$bridge" -j ACCEPT
  sysctl -qw net.ipv4.ip_forward=1
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  mkdir -p "$dir/cni"
  cat > "$dir/cni/10-mooring.conflist" <<CNI
{"cniVersion": "0.4.0", "name": "mooring", "plugins": [
  {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$pod_cidr", "gateway": "$node_ip"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
CNI
}

containerd_up() {
  mkdir -p "$dir/containerd" /run/mooring
  cat > "$dir/containerd/config.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "/run/mooring/containerd"
[grpc]
  address = "$sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni"
TOML
  start containerd containerd --config "$dir/containerd/config.toml"
  for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.2; done
}

pause_image() {
  if ctr -a "$sock" -n k8s.io images ls -q | grep -q "/$pause_image\$"; then return; fi
  local build
  build=$(mktemp -d)
  gcc -Os -static -o "$build/pause" "$(go env GOMODCACHE)/k8s.io/kubernetes@v1.34.4/build/pause/linux/pause.c"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' > "$build/Dockerfile"
  "$here/docker.sh"
  docker build -q -t "$pause_image" "$build" >/dev/null
  docker save "$pause_image" | ctr -a "$sock" -n k8s.io images import - >/dev/null
  rm -rf "$build"
}

kubelet_up() {
  local bin=$1
  cat > "$dir/resolv.conf" <<RESOLV
nameserver $node_ip
search svc.cluster.local cluster.local
RESOLV
  cat > "$dir/kubelet.yaml" <<KCFG
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failSwapOn: false
address: $node_ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $dir/pki/ca.crt}}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$sock
resolvConf: $dir/resolv.conf
clusterDNS: [$node_ip]
clusterDomain: cluster.local
enforceNodeAllocatable: []
cgroupsPerQOS: false
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
serializeImagePulls: false
KCFG
  start kubelet "$bin/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubeconfig" \
    --hostname-override mooring-node --node-ip "$node_ip" --root-dir "$dir/kubelet"
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$dir/kubeconfig" --bind-address 127.0.0.1 --leader-elect=false
  start kube-proxy "$bin/kube-proxy" --kubeconfig "$dir/kubeconfig" --cluster-cidr "$pod_cidr" --proxy-mode iptables \
    --hostname-override mooring-node --bind-address 127.0.0.1 --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
}

if [ "${1:-}" = down ]; then
  stop kube-proxy kube-scheduler kubelet containerd
  exit 0
fi
bin=$("$here/build-k8s.sh")
mkdir -p "$dir/logs" "$dir/pids"
network
containerd_up
pause_image
kubelet_up "$bin"
log "node started; logs in $dir/logs"
