# Sourced by hack/cluster.sh: the node's NetworkPolicy enforcer, sigs.k8s.io/kube-network-policies, unmodified.
# It judges the first packet of every new connection to or from a pod in user space (through NFQUEUE) against the
# cluster's NetworkPolicies. Its own rules are nftables `queue` rules, which kernels built without CONFIG_NFT_QUEUE
# (this project's test VMs run one) refuse; the iptables rules below send it the same packets with the
# NFQUEUE target instead, at the same place (after routing, before SNAT), and its refused nftables rules are inert.
netpol_queue=100
netpol_chain=MOORING-NETPOL
netpol_metrics=127.0.0.1:10291

netpol_rules_up() {
  iptables -t mangle -N "$netpol_chain" 2>/dev/null || iptables -t mangle -F "$netpol_chain"
  # Only the first packet of a connection is judged. Not "ESTABLISHED,RELATED only": conntrack calls INVALID
  # packets it cannot place (a late FIN or ACK of a connection it already closed), and those must reach the pod
  # as they would without an enforcer, or its socket lingers and refuses the next connection on that port pair.
  iptables -t mangle -A "$netpol_chain" -m conntrack ! --ctstate NEW -j RETURN
  # The node's own traffic (the kubelet's probes, port-forwards, NodePorts on 127.0.0.1 before SNAT) is never
  # judged: NetworkPolicy always admits a pod's own node. By address, not by socket owner: a closed socket's
  # last packets have no owner.
  iptables -t mangle -A "$netpol_chain" -m addrtype --src-type LOCAL -j RETURN
  iptables -t mangle -A "$netpol_chain" -p icmp -j RETURN
  # --queue-bypass: packets pass while the enforcer is not running (an unenforced node, like a cluster without a
  # NetworkPolicy implementation), rather than the whole node's pod traffic stopping.
  iptables -t mangle -A "$netpol_chain" -d "$pod_cidr" -j NFQUEUE --queue-num "$netpol_queue" --queue-bypass
  iptables -t mangle -A "$netpol_chain" -s "$pod_cidr" -j NFQUEUE --queue-num "$netpol_queue" --queue-bypass
  iptables -t mangle -C POSTROUTING -j "$netpol_chain" 2>/dev/null || iptables -t mangle -A POSTROUTING -j "$netpol_chain"
}

netpol_rules_down() {
  while iptables -t mangle -D POSTROUTING -j "$netpol_chain" 2>/dev/null; do :; done
  iptables -t mangle -F "$netpol_chain" 2>/dev/null && iptables -t mangle -X "$netpol_chain" 2>/dev/null || true
}

# It only knows in-cluster configuration: the API server's address from the environment, its credentials from the
# service account folder, which a private mount namespace provides without touching the machine's /run.
netpol_up() {
  local bin=$1 token sa
  token=$(cat "$dir/pki/netpol.token")
  "$bin/kubectl" --kubeconfig "$dir/kubeconfig" apply -f - >/dev/null <<RBAC
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kube-network-policies
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: kube-network-policies}
RBAC
  sa=$dir/netpol-sa
  mkdir -p "$sa"
  cp "$dir/pki/ca.crt" "$sa/ca.crt"
  echo -n "$token" > "$sa/token"
  netpol_rules_up
  start kube-network-policies env KUBERNETES_SERVICE_HOST="$node_ip" KUBERNETES_SERVICE_PORT="$api_port" \
    unshare --mount --propagation private sh -c '
      mount -t tmpfs tmpfs /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount &&
      cp "$0"/token "$0"/ca.crt /run/secrets/kubernetes.io/serviceaccount/ && exec "$@"' "$sa" \
    "$bin/kube-network-policies" --hostname-override "$node_name" --disable-nri --nfqueue-id "$netpol_queue" \
    --metrics-bind-address "$netpol_metrics" --netfilter-bug-1766-fix=false
  wait_for kube-network-policies "http://$netpol_metrics/metrics" 30
}

netpol_down() {
  stop kube-network-policies
  netpol_rules_down
}
