package dev.mooring.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP transport's security rules on the packaged server: Origin, bounded work, bounded bodies, bounded drains. */
class SecurityIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"security-test\",\"version\":\"1\"}}}";

    @Test
    void aBrowsersForeignOriginIsRefusedAndItsOwnOrTheListedOnesServed() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("MCP_ALLOWED_ORIGINS", "https://inspector.example.com")).awaitUp()) {
            URI mcp = server.uri("/mcp");
            assertThat(initialize(mcp, "https://evil.example.net").statusCode()).as("a foreign origin").isEqualTo(403);
            assertThat(initialize(mcp, "http://" + mcp.getHost() + ":" + mcp.getPort()).statusCode()).as("the server's own origin").isEqualTo(200);
            assertThat(initialize(mcp, "https://inspector.example.com").statusCode()).as("a listed origin").isEqualTo(200);
            assertThat(initialize(mcp, null).statusCode()).as("a client that sends no Origin (an agent)").isEqualTo(200);
        }
    }

    @Test
    void theSleepToolIsBoundedAndHugeBodiesAreRefused() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("MCP_SLEEP_MAX_MS", "200")).awaitUp()) {
            McpHttpClient client = new McpHttpClient(server.uri("/mcp"));
            client.initialize();
            long start = System.nanoTime();
            HttpResponse<String> slept = client.callTool(2, "sleep", "{\"ms\":600000}");
            assertThat(slept.body()).contains("slept 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            String huge = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\""
                    + "x".repeat(2 << 20) + "\"}}}";
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(server.uri("/mcp")).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", client.sessionId().orElseThrow())
                    .POST(HttpRequest.BodyPublishers.ofString(huge)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("a 2 MiB request").isEqualTo(413);
        }
    }

    @Test
    void aSlowClientCannotStretchTheDrainPastItsDeadline() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("DRAIN_TIMEOUT_MS", "2000")).awaitUp();
             Socket slow = new Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: 100000\r\n\r\n{\"jsonrpc\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ServerProcess.sleep(500);
            long signalled = System.nanoTime();
            server.terminate();
            for (int i = 0; i < 8 && server.isAlive(); i++) {
                out.write(' ');
                out.flush();
                ServerProcess.sleep(500);
            }
            server.awaitExit(Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("from SIGTERM to exit, with a 2 s drain")
                    .isLessThan(Duration.ofMillis(5000));
        }
    }

    private static HttpResponse<String> initialize(URI mcp, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
