#!/bin/sh
# mcp-smoke in the image: the CLI verification Jobs run (see docs/mcp-smoke.md).
# The server's JVM options do not apply to this short-lived client.
unset JAVA_TOOL_OPTIONS
# The image's class-data archive of a whole check (see the Dockerfile); the image build sets
# MOORING_SMOKE_CLASS_ARCHIVE to write it.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto "${MOORING_SMOKE_CLASS_ARCHIVE:--XX:SharedArchiveFile=/opt/mooring/smoke/smoke.jsa}" \
  @/opt/mooring/smoke/classpath dev.mooring.smoke.Main "$@"
