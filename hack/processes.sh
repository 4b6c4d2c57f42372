# Sourced by hack/cluster.sh and hack/node.sh: the state folder they share, and the processes they start
# in the background and stop again by PID (never by name, so nothing else on the machine is touched).
dir="${MOORING_CLUSTER_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/mooring/cluster}"

# /run and this folder outlive a reboot, and a PID can belong to another program after one: each PID file also
# holds the process's start time (field 22 of /proc/PID/stat), and only a process that matches both counts.
started_at() { sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
pid_of() { [ -f "$dir/pids/$1" ] && cut -d' ' -f1 "$dir/pids/$1"; }
pid_alive() {
  local pid start
  [ -f "$dir/pids/$1" ] || return 1
  read -r pid start < "$dir/pids/$1" || true
  [ -n "${start:-}" ] && [ "$(started_at "$pid")" = "$start" ]
}

# start NAME COMMAND...: runs COMMAND in the background with its log in logs/NAME.log, unless it runs already.
start() {
  local name=$1; shift
  if pid_alive "$name"; then return; fi
  "$@" >"$dir/logs/$name.log" 2>&1 &
  echo "$! $(started_at $!)" > "$dir/pids/$name"
}

# stop NAME...: SIGTERM, up to 10 s to exit, then SIGKILL.
stop() {
  local name pid
  for name in "$@"; do
    if pid_alive "$name"; then
      pid=$(pid_of "$name")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped $name ($pid)"
    fi
    rm -f "$dir/pids/$name"
  done
}
