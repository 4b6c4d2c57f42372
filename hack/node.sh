# Sourced by hack/cluster.sh: the node of the local cluster. A bridge whose address is the node IP (the API
# server binds and advertises it too, so pods reach the `kubernetes` Service), a containerd of its own with a
# locally built pause image, kubelet, kube-proxy and CoreDNS as a host process on the bridge address.
# Everything here is undone by node_down: pods (through the CRI), shims, mounts, iptables rules, the bridge.
bridge=mooring0
node_ip=10.244.0.1
pod_cidr=10.244.0.0/24
node_name=mooring-node
pause_image=mooring/pause:3.10
cri_sock=/run/mooring/containerd.sock
run_dir=/run/mooring
dns_health_port=10054

network_up() {
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
  mkdir -p "$dir/cni/conf" "$dir/cni/ipam"
  # No ipMasq and no portmap: pods talk only to each other and to this machine, so the CNI plugins add no
  # iptables rules of their own that `down` would have to find again.
  cat > "$dir/cni/conf/10-mooring.conflist" <<CNI
{"cniVersion": "0.4.0", "name": "mooring", "plugins": [
  {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$dir/cni/ipam",
            "ranges": [[{"subnet": "$pod_cidr", "gateway": "$node_ip"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "loopback"}
]}
CNI
}

containerd_up() {
  mkdir -p "$dir/containerd" "$run_dir"
  cat > "$dir/containerd/config.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "$run_dir/containerd"
[grpc]
  address = "$cri_sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  # Root here lacks CAP_SYS_RESOURCE; without this every container fails in runc.
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
    conf_dir = "$dir/cni/conf"
TOML
  start containerd containerd --config "$dir/containerd/config.toml"
  for _ in $(seq 1 50); do [ -S "$cri_sock" ] && return; sleep 0.2; done
  die "containerd did not open $cri_sock; see $dir/logs/containerd.log"
}

# load_images IMAGE...: copies images from the Docker engine into the node's containerd (nothing is pulled), except
# those the node already holds in the same build (the Docker image ID noted at import, beside containerd's root).
load_images() {
  local image id stamp
  mkdir -p "$dir/containerd/imported"
  for image in "$@"; do
    id=$(docker image inspect -f '{{.Id}}' "$image")
    stamp="$dir/containerd/imported/$(echo "$image" | tr '/:' '__')"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$id" ] && ctr -a "$cri_sock" -n k8s.io images ls -q | grep -qx "docker.io/$image"; then
      continue
    fi
    docker save "$image" | ctr -a "$cri_sock" -n k8s.io images import - >/dev/null
    echo "$id" > "$stamp"
    log "imported $image into the node"
  done
}

# The pause program is a few lines of C in the Kubernetes tree; compiled here, it is the only image the node
# needs before any workload.
pause_image() {
  if ctr -a "$cri_sock" -n k8s.io images ls -q | grep -q "/$pause_image\$"; then return; fi
  local build source
  build=$(mktemp -d)
  source=$(cd "$here/k8s" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c
  gcc -Os -static -o "$build/pause" "$source"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' > "$build/Dockerfile"
  "$here/docker.sh"
  docker build -q -t "$pause_image" "$build" >/dev/null
  rm -rf "$build"
  load_images "$pause_image"
}

kubelet_up() {
  local bin=$1
  # Pods never see an outside resolver: only cluster DNS on the bridge.
  cat > "$dir/resolv.conf" <<RESOLV
nameserver $node_ip
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
containerRuntimeEndpoint: unix://$cri_sock
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
    --hostname-override "$node_name" --node-ip "$node_ip" --root-dir "$dir/kubelet"
  start kube-proxy "$bin/kube-proxy" --kubeconfig "$dir/kubeconfig" --cluster-cidr "$pod_cidr" --proxy-mode iptables \
    --hostname-override "$node_name" --bind-address 127.0.0.1 \
    --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
}

dns_up() {
  local bin=$1
  cat > "$dir/Corefile" <<COREFILE
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $node_ip
    health 127.0.0.1:$dns_health_port
    errors
    cache 5
    loadbalance
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $dir/kubeconfig mooring-local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
}
COREFILE
  start coredns "$bin/coredns" -conf "$dir/Corefile" -dns.port 53
}

wait_for_node() {
  local bin=$1 i
  for ((i = 0; i < 300; i++)); do
    if "$bin/kubectl" --kubeconfig "$dir/kubeconfig" get node "$node_name" \
        -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True; then
      return
    fi
    sleep 0.2
  done
  die "node $node_name did not become Ready within 60s; see $dir/logs/kubelet.log"
}

node_up() {
  local bin=$1
  network_up
  containerd_up
  pause_image
  kubelet_up "$bin"
  dns_up "$bin"
  wait_for_node "$bin"
}

# Unmounts every mount point below the given folders, deepest first.
unmount_below() {
  local root target
  for root in "$@"; do
    findmnt -rn -o TARGET | { grep -E "^$root(/|$)" || true; } | sort -r | while read -r target; do
      umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
    done
  done
}

node_down() {
  local bin=$1 pid table
  stop coredns kube-proxy kubelet
  if pid_alive containerd; then
    "$bin/pod-sweeper" "unix://$cri_sock" >&2 || log "pod-sweeper failed; cleaning up by hand"
  fi
  stop containerd
  # Shims outlive containerd by design; these are the ones started for our socket.
  for pid in $(pgrep -f "containerd-shim.*-address $cri_sock" || true); do kill -9 "$pid" 2>/dev/null || true; done
  unmount_below "$dir/kubelet" "$run_dir"
  [ -x "$bin/kube-proxy" ] && "$bin/kube-proxy" --cleanup >/dev/null 2>&1 || true
  for table in filter nat mangle; do
    iptables -t "$table" -F KUBE-KUBELET-CANARY 2>/dev/null && iptables -t "$table" -X KUBE-KUBELET-CANARY 2>/dev/null || true
    ip6tables -t "$table" -F KUBE-KUBELET-CANARY 2>/dev/null && ip6tables -t "$table" -X KUBE-KUBELET-CANARY 2>/dev/null || true
  done
  while iptables -D FORWARD -i "$bridge" -j ACCEPT 2>/dev/null; do :; done
  while iptables -D FORWARD -o "$bridge" -j ACCEPT 2>/dev/null; do :; done
  ip link show "$bridge" >/dev/null 2>&1 && ip link delete "$bridge" || true
  rm -rf "$dir/cni/ipam"
}
