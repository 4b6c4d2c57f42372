package dev.mooring.server;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import java.lang.management.ManagementFactory;
import java.util.Map;

/** Tools for tests and demos. */
public class Tools {
    static final long MAX_SLEEP_MS = 600_000;

    private final Drain drain;

    public Tools(Drain drain) {
        this.drain = drain;
    }

    @Tool(description = "Returns the text it was given.")
    String echo(@ToolArg(description = "Text to send back") String text) {
        return drain.call("echo", () -> text);
    }

    @Tool(description = "Sleeps for the given milliseconds (at most 600000), then says so. Used to keep a call in flight.")
    String sleep(@ToolArg(description = "Milliseconds to sleep, 0 to 600000") long ms) {
        return drain.call("sleep", () -> {
            long bounded = Math.max(0, Math.min(ms, MAX_SLEEP_MS));
            try {
                Thread.sleep(bounded);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return "slept " + bounded + " ms";
        });
    }

    @Tool(description = "Reports the server process: pid, uptime, open sessions, calls in flight, and whether it drains.")
    Map<String, Object> status() {
        return drain.call("status", () -> Map.of(
                "pid", ProcessHandle.current().pid(),
                "uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime(),
                "sessions", drain.sessions(),
                "inFlightCalls", drain.inFlight() - 1,
                "draining", drain.draining()));
    }
}
