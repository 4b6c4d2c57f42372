#!/usr/bin/env bash
# Makes sure a Docker engine answers: starts Debian's dockerd (installing docker.io if needed) when none runs.
# Prints nothing on success; `docker` then works.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
[ "$(id -u)" = 0 ] || { echo "docker: no engine answers and starting one needs root" >&2; exit 1; }
if ! command -v dockerd >/dev/null; then
  echo "docker: installing Debian's docker.io" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
# /run outlives a reboot on some machines. dockerd trusts the PID files its last run left there: its own refuses to
# start, and its containerd's makes it wait for a socket that never comes when that PID now belongs to another
# program. A file whose process is not what it names is stale.
stale_pid_file() {
  local file=$1 program=$2 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$program" ]
}
if stale_pid_file /run/docker.pid dockerd; then rm -f /run/docker.pid; fi
if stale_pid_file /run/docker/containerd/containerd.pid containerd || [ ! -S /run/docker/containerd/containerd.sock ]; then
  rm -f /run/docker/containerd/containerd.pid
fi
state="${MOORING_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/mooring}/docker"
mkdir -p "$state"
echo "docker: starting dockerd (log: $state/dockerd.log)" >&2
nohup dockerd --host unix:///var/run/docker.sock >"$state/dockerd.log" 2>&1 &
echo $! > "$state/dockerd.pid"
for _ in $(seq 1 150); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.2
done
echo "docker: dockerd did not answer within 30s; see $state/dockerd.log" >&2
exit 1
