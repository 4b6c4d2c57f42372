package dev.mooring.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first seconds after a Service routes to new pods: refused connections and 503s are retried within the
 * timeout; a check that never reaches a server says so instead of failing the server. The server here is a
 * minimal stand-in that answers only what the retry logic needs; SmokeIT runs the check against real servers.
 */
class RetryUntilServedTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void retriesServiceUnavailableUntilTheServerAnswers() throws IOException {
        AtomicInteger unavailable = new AtomicInteger(3);
        int port = serve(unavailable);
        SmokeReport report = check(port, "10s");
        assertThat(report.error).isNull();
        assertThat(report.reached).isTrue();
        assertThat(report.attempts).isEqualTo(4);
        assertThat(report.tools).containsExactly("echo");
    }

    @Test
    void aServerThatKeepsAnswering503FailsTheCheck() throws IOException {
        int port = serve(new AtomicInteger(Integer.MAX_VALUE));
        SmokeReport report = check(port, "1s");
        assertThat(report.ok()).isFalse();
        assertThat(report.reached).as("something answered over HTTP").isTrue();
        assertThat(report.error).contains("HTTP 503");
    }

    @Test
    void nothingListeningMeansTheCheckCouldNotRun() throws IOException {
        // Bound and not listening, for the whole test: connections to it are refused, and no other process (another
        // module's tests may run beside these) can start listening on the port meanwhile.
        try (java.net.Socket reserved = new java.net.Socket()) {
            reserved.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            nothingListensOn(reserved.getLocalPort());
        }
    }

    private static void nothingListensOn(int port) throws IOException {
        SmokeReport report = check(port, "1500ms");
        assertThat(report.ok()).isFalse();
        assertThat(report.reached).isFalse();
        assertThat(report.attempts).isGreaterThan(1);
        assertThat(report.error).contains("connection refused");
        assertThat(Main.run(new String[] {"--url", "http://127.0.0.1:" + port + "/mcp", "--timeout", "500ms"}))
                .isEqualTo(Main.UNREACHABLE);
    }

    @Test
    void aConnectionResetBeforeAnyAnswerIsRetriedLikeARefusal() throws Exception {
        try (ServerSocket resetting = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread resetter = new Thread(() -> {
                while (!resetting.isClosed()) {
                    try (java.net.Socket connection = resetting.accept()) {
                        connection.setSoLinger(true, 0);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            resetter.start();
            SmokeReport report = check(resetting.getLocalPort(), "1500ms");
            assertThat(report.ok()).isFalse();
            assertThat(report.reached).as("nothing answered").isFalse();
            assertThat(report.attempts).as("retried").isGreaterThan(1);
        }
    }

    private static SmokeReport check(int port, String timeout) {
        return new SmokeCheck(Options.parse(new String[] {"--url", "http://127.0.0.1:" + port + "/mcp", "--timeout", timeout})).run();
    }

    /** Answers 503 while {@code unavailable} counts down, then speaks just enough 2025 MCP for the check. */
    private int serve(AtomicInteger unavailable) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", exchange -> {
            JsonNode request = JsonRpc.JSON.readTree(exchange.getRequestBody());
            String method = request.path("method").asText();
            if (method.equals("initialize") && unavailable.getAndDecrement() > 0) {
                reply(exchange, 503, "draining");
            } else if (method.equals("server/discover")) {
                reply(exchange, 400, "{}");
            } else if (method.equals("initialize")) {
                reply(exchange, 200, result(request, "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"serverInfo\":{\"name\":\"stand-in\",\"version\":\"1\"}}"));
            } else if (method.equals("tools/list")) {
                reply(exchange, 200, result(request, "{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}]}"));
            } else {
                reply(exchange, 202, "");
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static String result(JsonNode request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
