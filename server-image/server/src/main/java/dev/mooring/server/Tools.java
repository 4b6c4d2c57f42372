package dev.mooring.server;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Tools for tests and demos. */
public class Tools {
    private final Drain drain;
    private final long maxSleepMs;

    /** @param maxSleepMs the longest `sleep` a caller gets (MCP_SLEEP_MAX_MS): one call cannot hold a drain for long */
    public Tools(Drain drain, @ConfigProperty(name = "mcp.sleep.max-ms") long maxSleepMs) {
        this.drain = drain;
        this.maxSleepMs = maxSleepMs;
    }

    @Tool(description = "Returns the text it was given.")
    String echo(@ToolArg(description = "Text to send back") String text) {
        return drain.call("echo", () -> text);
    }

    @Tool(description = "Sleeps for the given milliseconds (at most the server's MCP_SLEEP_MAX_MS, 60000 by default), then says so. Used to keep a call in flight.")
    String sleep(@ToolArg(description = "Milliseconds to sleep, from 0 to the server's maximum") long ms) {
        return drain.call("sleep", () -> {
            long bounded = Math.max(0, Math.min(ms, maxSleepMs));
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
