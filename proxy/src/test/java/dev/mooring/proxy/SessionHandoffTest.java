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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
        return proxy(upstreamPort, server, keys);
    }

    private MooringProxy proxy(int upstreamPort, String server, Path keyDir) throws Exception {
        ProxyConfig config = new ProxyConfig(0, 0, upstreamPort, null, upstreamPort, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(5), false, null, Duration.ofSeconds(60), keyDir, server, ProxyConfig.SESSION_MAX_AGE, null,
                Duration.ofSeconds(6), ProxyConfig.Limits.DEFAULTS);
        MooringProxy proxy = new MooringProxy(vertx, config);
        proxy.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return proxy;
    }

    private HttpResponse<String> post(MooringProxy proxy, String session, String body) throws Exception {
        return post(proxy, session, body, null);
    }

    private HttpResponse<String> post(MooringProxy proxy, String session, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.mcpPort() + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(MooringProxy proxy, String session) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.mcpPort() + "/mcp"))
                .header("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token as a proxy of this McpServer issues it, without a server behind it. */
    private String token(String client) {
        return SessionToken.fresh(params(client)).seal("k1", key(1), "team-a/weather");
    }

    /** A token issued at a given time (epoch seconds, or SessionToken.UNDATED as the previous format sealed them). */
    private String tokenIssuedAt(String client, long issuedAt) {
        return new SessionToken(client, params(client), issuedAt).seal("k1", key(1), "team-a/weather");
    }

    private static JsonObject params(String client) {
        return new JsonObject(INITIALIZE).getJsonObject("params").put("clientInfo", new JsonObject().put("name", client).put("version", "1.0"));
    }

    /** Waits for the proxy's closes, which it sends without waiting for them: at most a sweep and a little more. */
    private static void assertClosed(SessionServer server, String... sessions) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SessionHandoff.SWEEP_MILLIS + 2_000;
        while (!server.deleted.containsAll(List.of(sessions)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.deleted).containsExactlyInAnyOrder(sessions);
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
        // A server may answer 404 for something other than the session and still hold it.
        assertClosed(serverA, "upstream-1");
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
        Thread.sleep(300);
        assertThat(serverB.deleted).as("the client's DELETE, forwarded, and no close of the proxy's after it").containsExactly("upstream-1");
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

    private static String initializeWithClientName(String name) {
        return new JsonObject(INITIALIZE).put("params", new JsonObject(INITIALIZE).getJsonObject("params")
                .put("clientInfo", new JsonObject().put("name", name).put("version", "1.0"))).encode();
    }

    private String metrics(MooringProxy proxy) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aSessionWhoseInitializeIsTooLargeForATokenIsNotHandedOverAndGoesOnOnItsReplica() throws Exception {
        // 5 KiB is read and sealed into a token too long to send back; 1 MiB is not even read.
        for (int size : new int[] {5 * 1024, 1024 * 1024}) {
            HttpResponse<String> opened = post(proxyA, null, initializeWithClientName("x".repeat(size)));
            assertThat(opened.statusCode()).isEqualTo(200);
            String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
            assertThat(session).as("the server's own id, passed through").startsWith("upstream-");

            HttpResponse<String> call = post(proxyA, session, CALL);
            assertThat(call.statusCode()).isEqualTo(200);
            assertThat(call.headers().firstValue("Mcp-Session-Id")).contains(session);
        }
        assertThat(serverA.methods).containsExactly("initialize", "tools/call@upstream-1", "initialize", "tools/call@upstream-2");
        assertThat(metrics(proxyA)).contains("mooring_proxy_sessions_not_handed_over_total 2\n").contains("mooring_proxy_buffered_bytes 0\n");
        assertThat(initialize(proxyA)).as("a small initialize is still handed over").startsWith("m1.");
    }

    @Test
    void aSessionThatWasNotHandedOverKeepsItsConnection() throws Exception {
        try (java.net.Socket socket = RawHttp.open(proxyA.mcpPort())) {
            String large = initializeWithClientName("x".repeat(5 * 1024));
            RawHttp.send(socket, "POST /mcp HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + large.length() + "\r\n\r\n" + large);
            String session = RawHttp.read(socket).header("Mcp-Session-Id");
            Thread.sleep(MooringProxy.MAX_CONNECTION_AGE_MILLIS + 200);

            RawHttp.send(socket, "POST /mcp HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                    + "\r\nContent-Length: " + CALL.length() + "\r\n\r\n" + CALL);
            RawHttp.Response call = RawHttp.read(socket);
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.header("Connection")).as("its session lives on this replica only").isNull();

            RawHttp.send(socket, "POST /mcp HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nContent-Length: "
                    + INITIALIZE.length() + "\r\n\r\n" + INITIALIZE);
            RawHttp.Response handedOver = RawHttp.read(socket);
            assertThat(handedOver.header("Mcp-Session-Id")).startsWith("m1.");
            assertThat(handedOver.header("Connection")).as("a session that can move: the old connection is recycled").isEqualTo("close");
        }
    }

    @Test
    void aTokenLongerThanAnyTheProxyIssuesIsSessionNotFoundAndNeverOpened() throws Exception {
        String oversized = SessionToken.fresh(new JsonObject(INITIALIZE).getJsonObject("params")
                .put("clientInfo", new JsonObject().put("name", "x".repeat(SessionToken.MAX_LENGTH)))).seal("k1", key(1), "team-a/weather");
        assertThat(oversized.length()).isGreaterThan(SessionToken.MAX_LENGTH);

        assertSessionNotFound(post(proxyB, oversized, CALL));
        assertSessionNotFound(delete(proxyB, oversized));
        assertThat(serverB.methods).as("no replayed initialize").isEmpty();
    }

    @Test
    void withoutAKeyTheProxyPassesSessionsThroughUntouched() throws Exception {
        Files.delete(keys.resolve("sealing"));
        keysChanged();
        HttpResponse<String> response = post(proxyA, null, INITIALIZE);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).contains("upstream-1");
    }

    @Test
    void aTokenOlderThanTheMaxAgeIsSessionNotFoundWhetherOrNotTheReplicaHoldsItsSession() throws Exception {
        long now = Instant.now().getEpochSecond();
        long maxAge = ProxyConfig.SESSION_MAX_AGE.toSeconds();
        String tooOld = tokenIssuedAt("too-old", now - maxAge - 60);
        assertSessionNotFound(post(proxyB, tooOld, CALL));
        assertSessionNotFound(delete(proxyB, tooOld));
        assertThat(serverB.methods).as("never opened again").isEmpty();

        // Both are opened on B's server and held there, then pass the max age within 3 s.
        String requestedAgain = tokenIssuedAt("requested-again", now - maxAge + 3);
        String neverAgain = tokenIssuedAt("never-again", now - maxAge + 3);
        assertThat(post(proxyB, requestedAgain, CALL).statusCode()).isEqualTo(200);
        assertThat(post(proxyB, neverAgain, CALL).statusCode()).isEqualTo(200);
        assertThat(post(proxyB, requestedAgain, CALL).statusCode()).as("held").isEqualTo(200);
        Thread.sleep(Math.max(0, (now + 3) * 1000 + 100 - System.currentTimeMillis()));

        assertSessionNotFound(post(proxyB, requestedAgain, CALL));
        assertClosed(serverB, "upstream-1", "upstream-2");
        assertSessionNotFound(post(proxyB, neverAgain, CALL));
        assertThat(serverB.methods).as("no session opened again for an expired token").filteredOn(m -> m.equals("initialize")).hasSize(2);
        assertThat(serverB.sessions).isEmpty();
        assertThat(post(proxyB, initialize(proxyA), CALL).statusCode()).as("a token issued now opens").isEqualTo(200);
    }

    @Test
    void removingAKeyEndsTheSessionsHeldUnderItsTokensAndClosesThemOnTheServer() throws Exception {
        String first = initialize(proxyA);
        String second = initialize(proxyA);
        String undated = tokenIssuedAt("before-the-upgrade", SessionToken.UNDATED);
        assertThat(post(proxyA, undated, CALL).statusCode()).as("a token of the previous format opens while its key is listed").isEqualTo(200);
        assertThat(post(proxyA, first, CALL).statusCode()).isEqualTo(200);

        writeKey("k2", 2);
        Files.writeString(keys.resolve("sealing"), "k2");
        Files.delete(keys.resolve("key-k1"));
        keysChanged();

        assertSessionNotFound(post(proxyA, first, CALL));
        assertClosed(serverA, "upstream-1", "upstream-2", "upstream-3");
        assertThat(serverA.sessions).as("every session held under the removed key, used or not").isEmpty();
        assertSessionNotFound(post(proxyA, second, CALL));
        assertSessionNotFound(post(proxyA, undated, CALL));
        assertSessionNotFound(delete(proxyA, second));
        assertThat(post(proxyA, initialize(proxyA), CALL).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionPushedOutOfTheBoundIsClosedOnItsServerAndOpenedAgainIfItComesBack() throws Exception {
        String oldest = initialize(proxyA);
        for (int i = 1; i < SessionHandoff.MAX_SESSIONS; i++) {
            initialize(proxyA);
        }
        assertThat(serverA.deleted).isEmpty();

        initialize(proxyA);

        assertClosed(serverA, "upstream-1");
        assertThat(serverA.sessions).hasSize(SessionHandoff.MAX_SESSIONS);
        assertThat(post(proxyA, oldest, CALL).statusCode()).isEqualTo(200);
        assertThat(serverA.methods).as("replayed").endsWith("initialize", "notifications/initialized@upstream-5002", "tools/call@upstream-5002");
    }

    @Test
    void aReplayedInitializeCarriesTheAuthorizationOfTheRequestThatOpensTheSessionAgain() throws Exception {
        HttpResponse<String> opened = post(proxyA, null, INITIALIZE, "Bearer first");
        String token = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(SessionToken.open(token, Map.of("k1", key(1)), "team-a/weather").orElseThrow().toString())
                .as("a token carries no credentials").doesNotContain("Bearer", "first");

        assertThat(post(proxyB, token, CALL, "Bearer second").statusCode()).isEqualTo(200);
        assertThat(serverB.authorizations).containsExactly("initialize Bearer second", "notifications/initialized Bearer second",
                "tools/call Bearer second");

        serverB.restart();
        assertThat(post(proxyB, token, CALL, "Bearer third").statusCode()).isEqualTo(200);
        assertThat(serverB.authorizations).endsWith("initialize Bearer third", "notifications/initialized Bearer third", "tools/call Bearer third");

        assertThat(post(proxyB, token("no-credentials"), CALL).statusCode()).isEqualTo(200);
        assertThat(serverB.authorizations).endsWith("initialize null", "notifications/initialized null", "tools/call null");
    }

    @Test
    void aKeyFileThatCannotBeReadYetIsReadAgainWithoutWaitingForTheSecretToChange(@TempDir Path elsewhere) throws Exception {
        // As the kubelet lays a Secret out: each file a link into the current copy, here one that is not readable yet.
        Path mounted = Files.createDirectory(elsewhere.resolve("mounted"));
        Files.createSymbolicLink(mounted.resolve("key-k1"), elsewhere.resolve("k1"));
        Files.writeString(mounted.resolve("sealing"), "k1");
        MooringProxy proxy = proxy(serverA.port(), "team-a/weather", mounted);
        try {
            assertThat(initialize(proxy)).as("no key: not handed over").isEqualTo("upstream-1");

            Files.writeString(elsewhere.resolve("k1"), Base64.getEncoder().encodeToString(key(1)));
            Thread.sleep(1_100);

            String token = initialize(proxy);
            assertThat(token).startsWith("m1.k1.");
            assertThat(post(proxyB, token, CALL).statusCode()).as("sealed with the shared key").isEqualTo(200);
        } finally {
            proxy.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void keysThatCannotBeReadForAWhileEndNoSession(@TempDir Path elsewhere) throws Exception {
        String token = initialize(proxyA);
        Files.move(keys.resolve("key-k1"), elsewhere.resolve("k1"));
        Files.createSymbolicLink(keys.resolve("key-k1"), elsewhere.resolve("missing"));
        keysChanged();

        assertThat(post(proxyA, token, CALL).statusCode()).as("the keys read before still hold").isEqualTo(200);
        assertThat(post(proxyB, token, CALL).statusCode()).as("no key read yet on B: the token passes to its server, which does not know it")
                .isEqualTo(404);
        assertThat(initialize(proxyA)).startsWith("m1.k1.");

        Files.delete(keys.resolve("key-k1"));
        Files.createSymbolicLink(keys.resolve("key-k1"), elsewhere.resolve("k1"));
        keysChanged();
        assertThat(post(proxyB, token, CALL).statusCode()).isEqualTo(200);
        assertThat(serverA.deleted).as("no session closed").isEmpty();
    }
}
