package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas (a proxy in front of its own server each) sharing the session keys, as two pods of one McpServer. */
class SessionHandoffTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"agent-7\",\"version\":\"1.0\"}}}";
    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @TempDir
    Path keys;
    private Vertx vertx;
    private SessionServer serverA;
    private SessionServer serverB;
    private MooringProxy proxyA;
    private MooringProxy proxyB;

    @BeforeEach
    void start() throws Exception {
        writeKey("k1", 1);
        Files.writeString(keys.resolve("sealing"), "k1");
        vertx = Vertx.vertx();
        serverA = new SessionServer(vertx);
        serverB = new SessionServer(vertx);
        proxyA = proxy(serverA.port(), "team-a/weather");
        proxyB = proxy(serverB.port(), "team-a/weather");
    }

    @AfterEach
    void stop() throws Exception {
        proxyA.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        proxyB.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        serverA.close();
        serverB.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return key;
    }

    private void writeKey(String id, int seed) throws Exception {
        Files.writeString(keys.resolve("key-" + id), Base64.getEncoder().encodeToString(key(seed)));
    }

    /** As the kubelet updates a mounted Secret; the proxy looks at most once a second. */
    private void keysChanged() throws Exception {
        Files.setLastModifiedTime(keys, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Thread.sleep(1_100);
    }

    private MooringProxy proxy(int upstreamPort, String server) throws Exception {
        ProxyConfig config = new ProxyConfig(0, 0, upstreamPort, null, upstreamPort, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(5), false, null, Duration.ofSeconds(60), keys, server);
        MooringProxy proxy = new MooringProxy(vertx, config);
        proxy.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return proxy;
    }

    private HttpResponse<String> post(MooringProxy proxy, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.mcpPort() + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(MooringProxy proxy, String session) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.mcpPort() + "/mcp"))
                .header("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token as a proxy of this McpServer issues it, without a server behind it. */
    private String token(String client) {
        return SessionToken.fresh(new JsonObject(INITIALIZE).getJsonObject("params")
                .put("clientInfo", new JsonObject().put("name", client).put("version", "1.0"))).seal("k1", key(1), "team-a/weather");
    }

    private static void assertSessionNotFound(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).isEqualTo("Session not found");
    }

    private String initialize(MooringProxy proxy) throws Exception {
        HttpResponse<String> response = post(proxy, null, INITIALIZE);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    @Test
    void clientsGetATokenNeverTheServersOwnSessionId() throws Exception {
        String token = initialize(proxyA);
        assertThat(token).startsWith("m1.").doesNotContain("upstream");
        HttpResponse<String> call = post(proxyA, token, CALL);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.headers().firstValue("Mcp-Session-Id")).contains(token);
        assertThat(serverA.methods).containsExactly("initialize", "tools/call@upstream-1");
        assertThat(serverA.sessionHeaders).noneMatch(h -> h.startsWith("m1."));
    }

    @Test
    void anotherReplicaOpensTheSessionAgainByReplayingTheClientsInitialize() throws Exception {
        String token = initialize(proxyA);
        HttpResponse<String> elsewhere = post(proxyB, token, CALL);
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(elsewhere.body()).getJsonObject("result").getJsonObject("clientInfo").getString("name"))
                .as("the session B opened carries the client's own initialize").isEqualTo("agent-7");
        assertThat(elsewhere.headers().firstValue("Mcp-Session-Id")).contains(token);
        assertThat(serverB.methods).containsExactly("initialize", "notifications/initialized@upstream-1", "tools/call@upstream-1");
        assertThat(post(proxyB, token, CALL).statusCode()).isEqualTo(200);
        assertThat(serverB.methods).as("replayed once, then mapped").hasSize(4);
    }

    @Test
    void aServerThatForgotItsSessionsIsGivenTheSessionAgainWithoutTheClientNoticing() throws Exception {
        String token = initialize(proxyA);
        serverA.restart();
        HttpResponse<String> call = post(proxyA, token, CALL);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(serverA.methods).containsExactly("initialize", "tools/call@upstream-1", "initialize",
                "notifications/initialized@upstream-2", "tools/call@upstream-2");
    }

    @Test
    void forgedTokensOtherServersTokensAndRetiredKeysAreUnknownSessions() throws Exception {
        String token = initialize(proxyA);
        MooringProxy otherServer = proxy(serverB.port(), "team-b/weather");
        try {
            assertThat(post(otherServer, token, CALL).statusCode()).isEqualTo(404);
            assertThat(post(proxyB, token.substring(0, token.length() - 3) + "AAA", CALL).statusCode()).isEqualTo(404);
            assertThat(delete(proxyB, token.substring(0, token.length() - 3) + "AAA").statusCode()).isEqualTo(404);
            writeKey("k2", 2);
            Files.writeString(keys.resolve("sealing"), "k2");
            Files.delete(keys.resolve("key-k1"));
            keysChanged();
            HttpResponse<String> retired = post(proxyB, token, CALL);
            assertThat(retired.statusCode()).isEqualTo(404);
            assertThat(new JsonObject(retired.body()).getJsonObject("error").getString("message")).isEqualTo("Session not found");
            assertThat(serverB.methods).as("nothing reached the server").isEmpty();
        } finally {
            otherServer.close();
        }
    }

    @Test
    void deleteClosesTheSessionOnTheServerThatHoldsIt() throws Exception {
        String token = initialize(proxyA);
        post(proxyB, token, CALL);
        HttpResponse<String> deleted = delete(proxyB, token);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(serverB.sessions).isEmpty();
        assertThat(serverB.sessionHeaders).last().isEqualTo("upstream-1");
    }

    @Test
    void aDeletedSessionIsNotFoundAfterwardsAndIsNotOpenedAgain() throws Exception {
        String token = initialize(proxyA);
        assertThat(post(proxyA, token, CALL).statusCode()).isEqualTo(200);
        assertThat(delete(proxyA, token).statusCode()).isEqualTo(200);

        assertSessionNotFound(post(proxyA, token, CALL));
        assertSessionNotFound(delete(proxyA, token));
        assertThat(serverA.methods).as("no replayed initialize for an ended session").containsExactly("initialize", "tools/call@upstream-1");
    }

    @Test
    void aDeleteOnAReplicaThatNeverOpenedTheSessionEndsItThereWithoutTheServer() throws Exception {
        String token = initialize(proxyA);
        assertThat(delete(proxyB, token).statusCode()).isEqualTo(200);

        assertSessionNotFound(post(proxyB, token, CALL));
        assertThat(serverB.methods).as("nothing to close on B's server, and nothing opened there afterwards").isEmpty();
    }

    @Test
    void aServerThatForgotTheSessionBeforeItsDeleteDoesNotFailTheClient() throws Exception {
        String token = initialize(proxyA);
        serverA.restart();
        assertThat(delete(proxyA, token).statusCode()).isEqualTo(200);
        assertThat(serverA.methods).as("no session opened only to be closed").containsExactly("initialize");
        assertSessionNotFound(post(proxyA, token, CALL));
    }

    @Test
    void aDeleteIsAnsweredWhateverTheServerAnswersIt() throws Exception {
        for (int status : new int[] {405, 202, 500}) {
            serverA.deleteStatus = status;
            String token = initialize(proxyA);
            HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyA.mcpPort() + "/mcp"))
                    .header("Mcp-Session-Id", token).timeout(Duration.ofSeconds(5)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(status);
            assertThat(deleted.body()).isEmpty();
        }
    }

    @Test
    void aReplicaRemembersTheNewestEndedSessionsUpToItsBound() throws Exception {
        String oldest = token("oldest");
        String next = token("next");
        assertThat(delete(proxyB, oldest).statusCode()).isEqualTo(200);
        assertThat(delete(proxyB, next).statusCode()).isEqualTo(200);
        for (int i = 2; i < SessionHandoff.MAX_ENDED_SESSIONS; i++) {
            assertThat(delete(proxyB, token("client-" + i)).statusCode()).isEqualTo(200);
        }
        assertSessionNotFound(post(proxyB, oldest, CALL));

        assertThat(delete(proxyB, token("one-more")).statusCode()).isEqualTo(200);

        assertThat(post(proxyB, oldest, CALL).statusCode()).as("pushed out by a newer ended session: opened again").isEqualTo(200);
        assertSessionNotFound(post(proxyB, next, CALL));
    }

    @Test
    void clientsThatOfferHttp2AreAnsweredEvenWhenTheProxyAnswersItself() throws Exception {
        // The JDK's client (mcp-smoke's) offers HTTP/2 on every new connection with an h2c upgrade.
        HttpClient offersHttp2 = HttpClient.newBuilder().build();
        String token = initialize(proxyA);
        URI replicaB = URI.create("http://127.0.0.1:" + proxyB.mcpPort() + "/mcp");

        HttpResponse<String> deleted = offersHttp2.send(HttpRequest.newBuilder(replicaB).header("Mcp-Session-Id", token)
                .timeout(Duration.ofSeconds(5)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = offersHttp2.send(HttpRequest.newBuilder(replicaB).header("Mcp-Session-Id", token("x") + "A")
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(CALL)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertSessionNotFound(forged);
        assertThat(forged.version()).as("the proxy speaks HTTP/1.1 to clients, whose connection semantics its drain relies on")
                .isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void mcpSmokeThroughTwoReplicasEndsItsSessionWithoutWaitingForItsTimeout() throws Exception {
        // The connection is older than MAX_CONNECTION_AGE when tools/list is answered, so the proxy closes it and
        // the DELETE comes on a new one, which the Service sends to the other replica: the cluster run that took 60 s.
        serverA.answerDelayMillis = MooringProxy.MAX_CONNECTION_AGE_MILLIS + 300;
        try (Balancer service = new Balancer(vertx, proxyA.mcpPort(), proxyB.mcpPort())) {
            JsonObject report = new JsonObject(new dev.mooring.smoke.SmokeCheck(dev.mooring.smoke.Options.parse(new String[] {
                    "--url", "http://127.0.0.1:" + service.port() + "/mcp", "--timeout", "15s"})).run().toJson());

            assertThat(report.getBoolean("ok")).as(report.encode()).isTrue();
            assertThat(report.getJsonObject("latencyMs").getLong("total")).as("the DELETE answered at once").isLessThan(6_000L);
            String metricsB = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyB.adminPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metricsB).as("B answered the DELETE itself").contains("mooring_proxy_requests_total{method=\"delete\",tool=\"\",outcome=\"ok\"} 1");
            assertThat(serverB.sessionHeaders).isEmpty();
            assertThat(serverA.sessions).as("only B saw the DELETE: A's server keeps the session (docs/proxy.md)").hasSize(1);
        }
    }

    @Test
    void anEndedSessionStaysEndedForAsLongAsItsTokenOpens() throws Exception {
        String token = initialize(proxyA);
        assertThat(delete(proxyA, token).statusCode()).isEqualTo(200);
        writeKey("k2", 2);
        Files.writeString(keys.resolve("sealing"), "k2");
        keysChanged();
        String newer = initialize(proxyA);
        assertThat(newer).startsWith("m1.k2.");
        assertThat(delete(proxyA, newer).statusCode()).isEqualTo(200);

        assertSessionNotFound(post(proxyA, token, CALL));
        Files.delete(keys.resolve("key-k1"));
        keysChanged();
        assertThat(delete(proxyA, initialize(proxyA)).statusCode()).as("forgets the sessions whose key is retired").isEqualTo(200);
        assertSessionNotFound(post(proxyA, token, CALL));
        assertSessionNotFound(post(proxyA, newer, CALL));
    }

    @Test
    void aSessionRequestLargerThanTheProxyHoldsIsRefusedAndTheServerNeverSeesIt() throws Exception {
        String token = initialize(proxyA);
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"text\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}";
        HttpResponse<String> refused = post(proxyA, token, huge);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(serverA.methods).containsExactly("initialize");
        assertThat(post(proxyA, token, CALL).statusCode()).as("the session goes on").isEqualTo(200);
    }

    @Test
    void withoutAKeyTheProxyPassesSessionsThroughUntouched() throws Exception {
        Files.delete(keys.resolve("sealing"));
        keysChanged();
        HttpResponse<String> response = post(proxyA, null, INITIALIZE);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).contains("upstream-1");
    }
}
