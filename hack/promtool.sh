#!/usr/bin/env bash
# Prints the path of promtool, taken from Debian's prometheus package (downloaded, not installed: installing it
# would start a Prometheus server on this machine) and cached in ~/.cache/mooring/promtool.
set -euo pipefail
cache=${MOORING_CACHE:-$HOME/.cache/mooring}/promtool
if [ ! -x "$cache/usr/bin/promtool" ]; then
  work=$(mktemp -d /tmp/mooring-promtool.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null; }; })
  mkdir -p "$cache"
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mkdir -p "$cache/usr/bin"
  cp "$work/root/usr/bin/promtool" "$cache/usr/bin/promtool"
fi
echo "$cache/usr/bin/promtool"
