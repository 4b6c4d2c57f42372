# Sourced by hack/test.sh for MOORING_CLUSTER=k3s: a k3s cluster in Docker through Testcontainers
# (hack/k3s), for machines with Docker and access to the k3s image's registry. Needs root, like the local
# cluster: the tests reach Services by ClusterIP, so k3s's service range is routed through its container.
k3s_image=${MOORING_K3S_IMAGE:-rancher/k3s:v1.34.1-k3s1}
k3s_dir=${MOORING_K3S_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/mooring/k3s}
k3s_service_cidr=10.43.0.0/16

k3s_up() {  # IMAGE... : starts k3s with these local images imported; exports KUBECONFIG and MOORING_AUDIT_LOG
  [ "$(id -u)" = 0 ] || { echo "k3s: needs root, to route k3s's ClusterIPs ($k3s_service_cidr) to its container" >&2; exit 1; }
  command -v docker >/dev/null || { echo "k3s: needs Docker" >&2; exit 1; }
  if ! docker image inspect "$k3s_image" >/dev/null 2>&1 && ! docker pull -q "$k3s_image" >&2; then
    echo "k3s: cannot pull $k3s_image: MOORING_CLUSTER=k3s needs its registry (or the image in the local Docker engine)" >&2
    exit 1
  fi
  local mvn=${MVN:-mvn -B -ntp}
  $mvn -q -f "$here/k3s/pom.xml" package dependency:build-classpath -Dmdep.outputFile=target/classpath >&2
  rm -rf "$k3s_dir" && mkdir -p "$k3s_dir"
  mkfifo "$k3s_dir/stdin"
  # The launcher keeps k3s until its standard input closes: when this shell exits, however it exits.
  java -cp "$here/k3s/target/classes:$(cat "$here/k3s/target/classpath")" dev.mooring.k3s.K3sCluster \
    "$k3s_dir" "$k3s_image" "$here/audit-policy.yaml" "$@" <"$k3s_dir/stdin" >"$k3s_dir/launcher.log" 2>&1 &
  k3s_pid=$!
  exec {k3s_hold}>"$k3s_dir/stdin"
  trap k3s_down EXIT
  local i
  for ((i = 0; i < 600; i++)); do
    [ -f "$k3s_dir/ready" ] && break
    kill -0 "$k3s_pid" 2>/dev/null || { cat "$k3s_dir/launcher.log" >&2; echo "k3s: did not start" >&2; exit 1; }
    sleep 1
  done
  [ -f "$k3s_dir/ready" ] || { echo "k3s: not ready after 10 minutes; see $k3s_dir/launcher.log" >&2; exit 1; }
  ip route replace "$k3s_service_cidr" via "$(cat "$k3s_dir/node-ip")"
  export KUBECONFIG=$k3s_dir/kubeconfig MOORING_AUDIT_LOG=$k3s_dir/logs/audit.log
  echo "k3s: $k3s_image up; kubeconfig $KUBECONFIG; launcher log $k3s_dir/launcher.log" >&2
}

k3s_down() {
  ip route del "$k3s_service_cidr" 2>/dev/null || true
  exec {k3s_hold}>&-
  wait "$k3s_pid" 2>/dev/null || true
}
