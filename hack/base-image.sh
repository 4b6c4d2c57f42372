#!/usr/bin/env bash
# Builds the JRE base image Mooring's images use where no registry can be reached: a minimal Debian
# (debootstrap, from the mirror apt already uses) with Debian's openjdk-17-jre-headless, imported into
# Docker as mooring/jre-base:17. Skips the work when the image exists.
set -euo pipefail
image="${BASE_IMAGE:-mooring/jre-base:17}"
here=$(cd "$(dirname "$0")" && pwd)
"$here/docker.sh"
if docker image inspect "$image" >/dev/null 2>&1; then exit 0; fi
command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "base-image: cannot find the Debian mirror apt uses" >&2; exit 1; }
root=$(mktemp -d /tmp/mooring-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
start=$SECONDS
echo "base-image: debootstrap bookworm with openjdk-17-jre-headless ..." >&2
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$root" "$mirror" >/tmp/mooring-debootstrap.log 2>&1 \
  || { echo "base-image: debootstrap failed; see /tmp/mooring-debootstrap.log" >&2; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
tar -C "$root" -c . | docker import --change 'ENV LANG=C.UTF-8' - "$image" >/dev/null
echo "base-image: $image built in $((SECONDS - start))s" >&2
