package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The check itself: handshake, tools/list, expectations, an optional call; every step timed. The one MCP check of
 * Mooring: mcp-smoke runs it through the Service, the proxy against its own server before the pod takes traffic.
 */
public final class SmokeCheck {
    static final long FIRST_RETRY_MS = 200;
    static final long MAX_RETRY_MS = 2000;
    private final Options options;

    public SmokeCheck(Options options) {
        this.options = options;
    }

    public SmokeReport run() {
        SmokeReport report = new SmokeReport();
        report.url = options.url().toString();
        report.transport = options.transport() == Options.Transport.SSE ? "sse" : "streamable-http";
        long start = System.nanoTime();
        HttpExchange http = new HttpExchange(options.headers(), Instant.now().plus(options.timeout()));
        McpSession session = null;
        try {
            if (options.healthUrl() != null) {
                timed(report, "health", () -> checkHealth(http));
            }
            session = connectWhenServed(http, report);
            McpSession open = session;
            List<JsonNode> tools = timed(report, "toolsList", () -> listTools(open));
            report.tools = tools.stream().map(t -> t.path("name").asText()).toList();
            report.toolSchemaSha256 = ToolSchemaHash.of(tools);
            checkExpectations(report);
            if (options.callTool() != null) {
                timed(report, "call", () -> call(open));
            }
        } catch (SmokeFailure.Unreachable e) {
            report.error = e.getMessage();
            report.reached = e.answered();
        } catch (SmokeFailure e) {
            report.error = e.getMessage();
        } catch (RuntimeException e) {
            report.error = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            if (session != null) {
                session.close();
            }
            report.latencyMs.put("total", (System.nanoTime() - start) / 1_000_000);
        }
        return report;
    }

    /**
     * Retries the handshake while nothing serves (refused or reset, 502-504), as happens in the seconds after a Service
     * first routes to new pods; any other answer ends the retries.
     */
    private McpSession connectWhenServed(HttpExchange http, SmokeReport report) {
        long backoff = FIRST_RETRY_MS;
        SmokeFailure.Unreachable last = null;
        while (true) {
            report.attempts++;
            try {
                return connect(http, report);
            } catch (SmokeFailure.Unreachable e) {
                if (http.millisLeft() <= backoff) {
                    throw e;
                }
                last = e;
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_RETRY_MS);
            } catch (SmokeFailure e) {
                // The deadline fell in the middle of a retry: what the server kept answering says more than that.
                if (last != null && http.millisLeft() <= 0) {
                    throw last;
                }
                throw e;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmokeFailure("interrupted");
        }
    }

    /** Tries 2026-07-28 first over Streamable HTTP and falls back to initialize; SSE is 2024-11-05 only. */
    private McpSession connect(HttpExchange http, SmokeReport report) {
        long start = System.nanoTime();
        McpSession session;
        Handshake handshake;
        if (options.transport() == Options.Transport.SSE) {
            session = new SseSession(options.url(), http);
            handshake = session.handshake();
        } else {
            session = new DiscoverSession(options.url(), http);
            try {
                handshake = session.handshake();
            } catch (DiscoverSession.NotSupported olderServer) {
                session = new InitializeSession(options.url(), http);
                handshake = session.handshake();
            }
        }
        report.latencyMs.put("handshake", (System.nanoTime() - start) / 1_000_000);
        report.protocolVersion = handshake.protocolVersion();
        report.serverName = handshake.serverName();
        report.serverVersion = handshake.serverVersion();
        report.sessionIssuing = handshake.sessionIssuing();
        return session;
    }

    private Void checkHealth(HttpExchange http) {
        var response = http.send(http.builder(options.healthUrl()).GET().build());
        try (var body = response.body()) {
            String text = new String(body.readNBytes(512), java.nio.charset.StandardCharsets.UTF_8);
            if (response.statusCode() != 200) {
                throw new SmokeFailure("health check GET " + options.healthUrl() + " answered HTTP " + response.statusCode()
                        + (text.isBlank() ? "" : ": " + JsonRpc.abbreviate(text)));
            }
        } catch (java.io.IOException e) {
            throw new SmokeFailure("health check GET " + options.healthUrl() + " failed: " + e.getMessage(), e);
        }
        return null;
    }

    private static List<JsonNode> listTools(McpSession session) {
        List<JsonNode> tools = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ObjectNode params = JsonRpc.JSON.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode result = session.request("tools/list", params);
            result.path("tools").forEach(tools::add);
            cursor = result.hasNonNull("nextCursor") ? result.get("nextCursor").asText() : null;
            if (++pages > 100) {
                throw new SmokeFailure("tools/list: more than 100 pages; the server's cursor does not end");
            }
        } while (cursor != null);
        return tools;
    }

    private void checkExpectations(SmokeReport report) {
        List<String> missing = options.expectTools().stream().filter(t -> !report.tools.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new SmokeFailure("expected tools missing: " + String.join(", ", missing) + " (the server lists "
                    + (report.tools.isEmpty() ? "no tools" : String.join(", ", report.tools)) + ")");
        }
        if (options.toolSchemaSha256() != null && !options.toolSchemaSha256().equals(report.toolSchemaSha256)) {
            throw new SmokeFailure("tool schema changed: sha256 " + report.toolSchemaSha256 + ", expected " + options.toolSchemaSha256());
        }
    }

    private JsonNode call(McpSession session) {
        ObjectNode params = JsonRpc.JSON.createObjectNode().put("name", options.callTool());
        params.set("arguments", options.callArgs());
        JsonNode result = session.request("tools/call", params);
        if (result.path("isError").asBoolean(false)) {
            String text = result.path("content").path(0).path("text").asText("");
            throw new SmokeFailure("tools/call " + options.callTool() + " returned an error: " + JsonRpc.abbreviate(text));
        }
        return result;
    }

    private static <T> T timed(SmokeReport report, String step, Supplier<T> body) {
        long start = System.nanoTime();
        T value = body.get();
        report.latencyMs.put(step, (System.nanoTime() - start) / 1_000_000);
        return value;
    }
}
