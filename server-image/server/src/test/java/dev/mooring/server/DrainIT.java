package dev.mooring.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The drain contract, on the packaged server process with a real SIGTERM. */
class DrainIT {

    @Test
    void finishesTheCallInFlightRefusesNewSessionsAndExitsCleanly() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("DRAIN_TIMEOUT_MS", "10000", "LOG_JSON", "true")).awaitUp()) {
            McpHttpClient client = new McpHttpClient(server.uri("/mcp"));
            assertThat(client.initialize().statusCode()).isEqualTo(200);
            assertThat(client.sessionId()).isPresent();
            CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() -> unchecked(() -> client.callTool(2, "sleep", "{\"ms\":2500}")));
            awaitInFlight(server);

            long signalled = System.nanoTime();
            server.terminate();
            awaitDraining(server);

            assertThat(server.get("/health").statusCode()).as("readiness while draining").isEqualTo(503);
            assertThat(server.get("/livez").statusCode()).as("liveness while draining").isEqualTo(200);
            HttpResponse<String> refused = new McpHttpClient(server.uri("/mcp")).initialize();
            assertThat(refused.statusCode()).as("a new session while draining").isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Connection")).as("the client must leave this replica").hasValue("close");
            HttpResponse<String> ended = client.callTool(3, "echo", "{\"text\":\"too late\"}");
            assertThat(ended.statusCode()).as("a new call on an existing session while draining: session terminated").isEqualTo(404);

            HttpResponse<String> finished = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).contains("slept 2500 ms");
            assertThat(server.awaitExit(Duration.ofSeconds(15))).as("exit code after a complete drain").isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(10));
            assertThat(server.log()).contains("\"drain.outcome\":\"drained\"").contains("\"drain.callsAtStart\":\"1\"")
                    .contains("\"drain.callsCut\":\"0\"");
        }
    }

    @Test
    void sendsAClientWithAnotherReplicasSessionBackThroughTheService() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of()).awaitUp()) {
            HttpResponse<String> stranger = McpHttpClient.continuing(server.uri("/mcp"), "issued-by-another-replica").callTool(2, "echo", "{\"text\":\"hi\"}");
            assertThat(stranger.statusCode()).as("a session this replica never issued").isEqualTo(404);
            assertThat(stranger.headers().firstValue("Connection")).as("the pooled connection must not stay on this replica").hasValue("close");

            McpHttpClient own = new McpHttpClient(server.uri("/mcp"));
            own.initialize();
            HttpResponse<String> answered = own.callTool(2, "echo", "{\"text\":\"hi\"}");
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.headers().firstValue("Connection")).as("known sessions keep their connection").isEmpty();
        }
    }

    @Test
    void cutsWorkOffAtTheDeadlineAndSaysSo() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("DRAIN_TIMEOUT_MS", "1000", "LOG_JSON", "true")).awaitUp()) {
            McpHttpClient client = new McpHttpClient(server.uri("/mcp"));
            client.initialize();
            CompletableFuture.runAsync(() -> unchecked(() -> client.callTool(2, "sleep", "{\"ms\":20000}")));
            awaitInFlight(server);
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(15))).as("exit code when the deadline cut a call").isNotZero();
            assertThat(server.log()).contains("\"drain.outcome\":\"deadline\"").contains("\"drain.callsCut\":\"1\"");
        }
    }

    private static void awaitInFlight(ServerProcess server) throws Exception {
        for (int i = 0; i < 100 && !server.get("/health").body().contains("\"inFlightCalls\":1"); i++) {
            ServerProcess.sleep(50);
        }
        assertThat(server.get("/health").body()).contains("\"inFlightCalls\":1");
    }

    private static void awaitDraining(ServerProcess server) throws Exception {
        for (int i = 0; i < 100 && server.get("/health").statusCode() == 200; i++) {
            ServerProcess.sleep(20);
        }
    }

    interface IoCall<T> {
        T call() throws Exception;
    }

    static <T> T unchecked(IoCall<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
