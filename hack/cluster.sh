#!/usr/bin/env bash
# Mooring's local Kubernetes: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and one node
# (containerd, kubelet, kube-proxy, CoreDNS; hack/node.sh) whose NetworkPolicies kube-network-policies enforces
# (hack/netpol.sh), built from Go modules (hack/build-k8s.sh) and
# started as plain processes. Everything listens on 127.0.0.1 or on the private bridge 10.244.0.1.
#
#   hack/cluster.sh up              start (idempotent), print the kubeconfig path
#   hack/cluster.sh down            stop what `up` started, by PID, and remove its pods, mounts, rules, bridge
#   hack/cluster.sh status          what runs
#   hack/cluster.sh env             print `export KUBECONFIG=...` lines
#   hack/cluster.sh load IMAGE...   copy images from the Docker engine into the node (nothing is pulled)
#
# State (certificates, etcd data, logs of every component, the kubeconfig) lives in $MOORING_CLUSTER_DIR,
# by default ~/.local/state/mooring/cluster; the audit log of the API server is logs/audit.log there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=hack/processes.sh
. "$here/processes.sh"
# shellcheck source=hack/node.sh
. "$here/node.sh"
# shellcheck source=hack/netpol.sh
. "$here/netpol.sh"
etcd_port=23790
etcd_peer_port=23800
api_port=6443
cm_port=10257
scheduler_port=10259
service_cidr=10.96.0.0/16

log() { echo "cluster: $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }

preflight() {
  [ "$(uname -s)" = Linux ] || die "needs Linux (this is $(uname -s))"
  [ "$(id -u)" = 0 ] || die "needs root: the node creates a bridge, iptables rules and containers"
  local tool
  for tool in containerd:containerd runc:runc iptables:iptables conntrack:conntrack gcc:gcc; do
    command -v "${tool%%:*}" >/dev/null || die "needs ${tool%%:*} (apt-get install ${tool#*:})"
  done
  [ -x /usr/lib/cni/bridge ] || die "needs the CNI plugins in /usr/lib/cni (apt-get install containernetworking-plugins)"
  command -v openssl >/dev/null || die "needs openssl (apt-get install openssl)"
  command -v curl >/dev/null || die "needs curl (apt-get install curl)"
  for port in $etcd_port $etcd_peer_port $api_port $cm_port $scheduler_port 10248 10249 10250 10256 53 $dns_health_port; do
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      die "port $port is taken by another program; stop it or run 'hack/cluster.sh down'"
    fi
  done
}

certificates() {
  local pki="$dir/pki"
  tokens "$pki"
  [ -f "$pki/kubelet-client.crt" ] && return
  mkdir -p "$pki"
  log "creating certificates in $pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mooring-local-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  # The API server's identity towards kubelets (logs, exec); kubelets trust the same CA.
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" \
    -keyout "$pki/kubelet-client.key" -out "$pki/kubelet-client.csr" 2>/dev/null
  openssl x509 -req -in "$pki/kubelet-client.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -out "$pki/kubelet-client.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  printf "subjectAltName=IP:%s,IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n" "$node_ip" > "$pki/san.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -extfile "$pki/san.ext" -out "$pki/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

# The API server's static tokens: the admin's, and the NetworkPolicy enforcer's (hack/netpol.sh).
tokens() {
  local pki=$1 name
  mkdir -p "$pki"
  for name in admin netpol; do
    [ -s "$pki/$name.token" ] || openssl rand -hex 24 > "$pki/$name.token"
  done
  { echo "$(cat "$pki/admin.token"),mooring-admin,mooring-admin,system:masters"
    echo "$(cat "$pki/netpol.token"),kube-network-policies,kube-network-policies"; } > "$pki/tokens.csv"
}

kubeconfig() {
  cat > "$dir/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: mooring-local
  cluster:
    server: https://$node_ip:$api_port
    certificate-authority: $dir/pki/ca.crt
users:
- name: mooring-admin
  user:
    token: $(cat "$dir/pki/admin.token")
contexts:
- name: mooring-local
  context: {cluster: mooring-local, user: mooring-admin, namespace: default}
current-context: mooring-local
KCFG
}

wait_for() {
  local what=$1 url=$2 seconds=$3 i
  for ((i = 0; i < seconds * 5; i++)); do
    if curl -fsk --max-time 2 -H "Authorization: Bearer $(cat "$dir/pki/admin.token")" "$url" >/dev/null 2>&1; then return; fi
    sleep 0.2
  done
  die "$what did not become healthy within ${seconds}s; see $dir/logs/"
}

running() { pid_alive kube-apiserver && pid_alive etcd && pid_alive kubelet && pid_alive coredns && pid_alive kube-network-policies; }

up() {
  local t0=$SECONDS
  if running; then
    log "already running; kubeconfig: $dir/kubeconfig"
    echo "$dir/kubeconfig"
    return
  fi
  preflight
  local bin
  bin=$("$here/build-k8s.sh")
  local built=$SECONDS
  # Every `up` starts from an empty store: the pods of the last run were swept away on `down`, so its API
  # objects would only describe workloads that no longer exist.
  rm -rf "$dir/etcd"
  # So is the audit log: the tests count requests in it from marks, and a run must not inherit the last one's
  # (rotated away at 1 GiB, which a whole `make test` stays under).
  rm -f "$dir"/logs/audit*.log
  mkdir -p "$dir/logs" "$dir/pids" "$dir/etcd"
  certificates
  kubeconfig
  network_up
  start etcd "$bin/etcd" --name default --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "default=http://127.0.0.1:$etcd_peer_port" --listen-metrics-urls "" \
    --quota-backend-bytes 2147483648
  wait_for etcd "http://127.0.0.1:$etcd_port/health" 30
  # Bound to and advertised on the bridge address: the `kubernetes` Service's endpoint must be one pods reach.
  start kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address "$node_ip" --advertise-address "$node_ip" --secure-port $api_port \
    --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" --token-auth-file "$dir/pki/tokens.csv" \
    --kubelet-client-certificate "$dir/pki/kubelet-client.crt" --kubelet-client-key "$dir/pki/kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-cluster-ip-range $service_cidr \
    --authorization-mode Node,RBAC --allow-privileged=true --profiling=false \
    --kubelet-preferred-address-types InternalIP \
    --audit-policy-file "$here/audit-policy.yaml" --audit-log-path "$dir/logs/audit.log" \
    --audit-log-format json --audit-log-maxsize 1024
  wait_for kube-apiserver "https://$node_ip:$api_port/readyz" 90
  start kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$dir/kubeconfig" --bind-address 127.0.0.1 --secure-port $cm_port \
    --service-account-private-key-file "$dir/pki/sa.key" --root-ca-file "$dir/pki/ca.crt" \
    --use-service-account-credentials=false --leader-elect=false \
    --service-cluster-ip-range $service_cidr --profiling=false
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$dir/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port $scheduler_port --leader-elect=false --profiling=false
  node_up "$bin"
  netpol_up "$bin"
  log "cluster up in $((SECONDS - t0))s (binaries ready after $((built - t0))s); node $node_name Ready; kubeconfig: $dir/kubeconfig; logs: $dir/logs"
  echo "$dir/kubeconfig"
}

down() {
  local bin
  bin=$("$here/build-k8s.sh" kube-proxy pod-sweeper)
  netpol_down
  node_down "$bin"
  stop kube-scheduler kube-controller-manager kube-apiserver etcd
}

status() {
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy coredns kube-network-policies; do
    if pid_alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; fi
  done
}

load() {
  pid_alive containerd || die "the node is not running; start it with 'hack/cluster.sh up'"
  load_images "$@"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  load) shift; load "$@" ;;
  env) echo "export KUBECONFIG=$dir/kubeconfig"; echo "export MOORING_AUDIT_LOG=$dir/logs/audit.log" ;;
  *) echo "usage: $0 up|down|status|env|load IMAGE..." >&2; exit 2 ;;
esac
