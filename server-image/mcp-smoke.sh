#!/bin/sh
# mcp-smoke in the image: the CLI verification Jobs run (see docs/mcp-smoke.md).
# The server's JVM options do not apply to this short-lived client.
unset JAVA_TOOL_OPTIONS
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '/opt/mooring/smoke/*' dev.mooring.smoke.Main "$@"
