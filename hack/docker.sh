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
