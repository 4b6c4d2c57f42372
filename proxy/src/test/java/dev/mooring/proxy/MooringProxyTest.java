package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a real HTTP server, driven by the JDK's HTTP client and raw sockets. */
class MooringProxyTest {
    private static final Duration PRE_STOP_DELAY = Duration.ofMillis(500);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_KEEP_ALIVE = Duration.ofMillis(300);
    /** What the operator renders: preStopDelay + drain timeout + 5 s. */
    private static final Duration GRACE_PERIOD = PRE_STOP_DELAY.plus(DRAIN_TIMEOUT).plusSeconds(5);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    private Upstream upstream;
    private MooringProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = new Upstream(vertx);
        proxy = proxyTo(upstream.port(), "/health");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        upstream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private MooringProxy proxyTo(int port, String healthPath) throws Exception {
        return proxyTo(port, healthPath, null);
    }

    private MooringProxy proxyTo(int port, String healthPath, java.nio.file.Path checkSettings) throws Exception {
        return proxyTo(port, healthPath, checkSettings, Duration.ZERO);
    }

    private MooringProxy proxyTo(int port, String healthPath, java.nio.file.Path checkSettings, Duration healthPeriod) throws Exception {
        return started(new ProxyConfig(0, 0, port, healthPath, port, healthPeriod, PRE_STOP_DELAY, DRAIN_TIMEOUT, IDLE_KEEP_ALIVE, false,
                checkSettings, Duration.ofSeconds(60), null, "test/server", ProxyConfig.SESSION_MAX_AGE, null, GRACE_PERIOD,
                ProxyConfig.Limits.DEFAULTS));
    }

    /** As the operator renders it: a drain token, and a grace period of its own. */
    private MooringProxy withDrainToken(String token, Duration gracePeriod) throws Exception {
        return started(new ProxyConfig(0, 0, upstream.port(), "/health", upstream.port(), Duration.ZERO, PRE_STOP_DELAY, DRAIN_TIMEOUT,
                IDLE_KEEP_ALIVE, false, null, Duration.ofSeconds(60), null, "test/server", ProxyConfig.SESSION_MAX_AGE, token, gracePeriod,
                ProxyConfig.Limits.DEFAULTS));
    }

    private MooringProxy started(ProxyConfig config) throws Exception {
        MooringProxy started = new MooringProxy(vertx, config);
        started.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return started;
    }

    @Test
    void forwardsBodiesAndMcpHeadersUntouched() throws Exception {
        byte[] body = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(body);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(mcp("/echo?x=1"))
                .header("Mcp-Session-Id", "client-session").header("MCP-Protocol-Version", "2025-06-18")
                .header("Mcp-Method", "tools/call").header("Mcp-Name", "echo").header("Authorization", "Bearer t0ken")
                .header("Last-Event-ID", "41").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(response.body(), body)).as("a 20 MiB body, both ways").isTrue();
        assertThat(response.headers().firstValue("Mcp-Session-Id")).hasValue("upstream-session");
        assertThat(upstream.lastHeaders).containsEntry("mcp-session-id", "client-session").containsEntry("mcp-protocol-version", "2025-06-18")
                .containsEntry("mcp-method", "tools/call").containsEntry("mcp-name", "echo").containsEntry("authorization", "Bearer t0ken")
                .containsEntry("last-event-id", "41").containsEntry("host", "127.0.0.1:" + proxy.mcpPort())
                .containsKey("x-forwarded-for");
    }

    @Test
    void aCallThatMeetsAKeptAliveConnectionTheServerIsClosingIsSentAgainOnAFreshOne() throws Exception {
        for (int call = 1; call <= 3; call++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(mcp("/idle-closed"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":" + call + ",\"method\":\"tools/call\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("call " + call).isEqualTo(200);
            assertThat(response.body()).isEqualTo("answered");
        }
        // Call 1 opens a connection, call 2 meets it closing and goes again on a fresh one, call 3 gets a new one.
        assertThat(upstream.closedUnanswered.get()).as("calls that met a connection the server closed").isEqualTo(1);
        assertThat(get(admin("/metrics")).body()).contains("mooring_proxy_upstream_resent_total 1");
    }

    @Test
    void aCallWhoseFreshConnectionFailsIsNotSentAgain() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(mcp("/closed"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(upstream.closedUnanswered.get()).as("the server may have read it: it is not sent twice").isEqualTo(1);
        assertThat(get(admin("/metrics")).body()).contains("mooring_proxy_upstream_resent_total 0");
    }

    @Test
    void serverSentEventsArriveAsTheServerSendsThem() throws Exception {
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(mcp("/events?n=10")).build(), HttpResponse.BodyHandlers.ofLines());
        List<Long> arrivals = new ArrayList<>();
        response.body().filter(line -> line.startsWith("data:")).forEach(line -> arrivals.add((System.nanoTime() - start) / 1_000_000));

        assertThat(arrivals).hasSize(10);
        assertThat(arrivals.get(0)).as("the first event, long before the stream ends").isLessThan(arrivals.get(9) - 500);
    }

    @Test
    void theDrainWaitsForCallsInFlightAndServesWhatArrivesMeanwhile() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(mcp("/slow?ms=1500"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        awaitInFlight(1);
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> drain = client.sendAsync(HttpRequest.newBuilder(admin("/drain")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(100);

        assertThat(get(admin("/ready")).statusCode()).as("not ready once draining").isEqualTo(503);
        assertThat(get(admin("/live")).statusCode()).as("alive while draining").isEqualTo(200);
        String raw = rawExchange("POST /echo HTTP/1.1\r\nHost: proxy\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(raw).as("served during the drain, and told to reconnect elsewhere").startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(drain).as("the hook waits for the slow call").isNotDone();

        JsonObject summary = new JsonObject(drain.get(10, TimeUnit.SECONDS).body());
        assertThat(slow.get().body()).isEqualTo("slow done");
        assertThat((System.nanoTime() - start) / 1_000_000).as("the slow call, then its connection's idle time").isBetween(1_300L, 2_800L);
        assertThat(summary.getString("outcome")).isEqualTo("drained");
        assertThat(summary.getInteger("callsAtStart")).isEqualTo(1);
        assertThat(summary.getInteger("callsUnfinished")).isZero();
        assertThat(summary.getLong("finished")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void responseStreamsStillOpenAtTheDeadlineAreEndedCleanly() throws Exception {
        CompletableFuture<HttpResponse<Stream<String>>> stream = client.sendAsync(HttpRequest.newBuilder(mcp("/events?n=0"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofLines());
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> read = stream.thenAccept(r -> r.body().forEach(events::add));
        awaitStreams(1);
        long start = System.nanoTime();

        JsonObject summary = new JsonObject(get(admin("/drain")).body());

        assertThat((System.nanoTime() - start) / 1_000_000).as("preStopDelay + drain timeout").isBetween(2_400L, 3_500L);
        read.get(2, TimeUnit.SECONDS);
        assertThat(events).as("the client read a finished stream").contains("data: event 3");
        assertThat(summary.getString("outcome")).isEqualTo("deadline");
        assertThat(summary.getInteger("streamsAtStart")).isEqualTo(1);
        assertThat(summary.getInteger("streamsEndedAtDeadline")).isEqualTo(1);
    }

    @Test
    void getStreamsForServerMessagesEndWhenTheWaitBegins() throws Exception {
        CompletableFuture<HttpResponse<Stream<String>>> stream = client.sendAsync(HttpRequest.newBuilder(mcp("/events?n=0")).build(), HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Long> lines = stream.thenApply(r -> r.body().count());
        awaitStreams(1);
        long start = System.nanoTime();

        JsonObject summary = new JsonObject(get(admin("/drain")).body());

        assertThat((System.nanoTime() - start) / 1_000_000).as("preStopDelay, then the stream ends, before the deadline").isBetween(450L, 2_400L);
        assertThat(lines.get(2, TimeUnit.SECONDS)).as("the client read a finished stream").isPositive();
        assertThat(summary.getString("outcome")).isEqualTo("drained");
        assertThat(summary.getInteger("getStreamsEnded")).isEqualTo(1);
    }

    @Test
    void aClientThatNeverFinishesItsRequestCannotStretchTheDrain() throws Exception {
        try (Socket slowloris = new Socket("127.0.0.1", proxy.mcpPort())) {
            slowloris.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: proxy\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"".getBytes(StandardCharsets.US_ASCII));
            awaitInFlight(1);
            long start = System.nanoTime();

            JsonObject summary = new JsonObject(get(admin("/drain")).body());

            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2_400L, 3_500L);
            assertThat(summary.getString("outcome")).isEqualTo("deadline");
            assertThat(summary.getInteger("callsUnfinished")).isEqualTo(1);
        }
    }

    @Test
    void idleConnectionsAreClosedWhenTheDrainEnds() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", proxy.mcpPort())) {
            OutputStream out = idle.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: proxy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = idle.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

            JsonObject summary = new JsonObject(get(admin("/drain")).body());

            idle.setSoTimeout(2_000);
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).as("rest of the response, then end of stream").contains("ok");
            assertThat(summary.getInteger("idleConnectionsClosed")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aConnectionWhoseResponseStartedBeforeTheDrainStaysOpenForTheClientsNextCall() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.mcpPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("POST /events?n=5 HTTP/1.1\r\nHost: proxy\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
            String head = readUntil(in, "data: event 0");
            CompletableFuture<HttpResponse<String>> drain = client.sendAsync(HttpRequest.newBuilder(admin("/drain")).build(), HttpResponse.BodyHandlers.ofString());
            readUntil(in, "0\r\n\r\n");
            assertThat(head).as("told nothing: the stream began before the drain").doesNotContainIgnoringCase("connection: close");

            out.write("GET /health HTTP/1.1\r\nHost: proxy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String next = new String(in.readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(next).as("the next call on that connection is served, then the connection closes")
                    .startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
            assertThat(new JsonObject(drain.get(5, TimeUnit.SECONDS).body()).getString("outcome")).isEqualTo("drained");
        }
    }

    @Test
    void aServerThatDoesNotAnswerIs502AndNotReady() throws Exception {
        // Bound and not listening, for the whole test: connections to it are refused, and no other process (another
        // module's tests may run beside these) can start listening on the port, which once answered this test's call.
        java.net.Socket reserved = new java.net.Socket();
        reserved.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        int unused = reserved.getLocalPort();
        MooringProxy orphan = proxyTo(unused, null);
        try (reserved) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orphan.mcpPort() + "/mcp"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("the MCP server did not answer the Mooring proxy");
            HttpResponse<String> ready = get(URI.create("http://127.0.0.1:" + orphan.adminPort() + "/ready"));
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("does not accept connections on 127.0.0.1:" + unused);
        } finally {
            orphan.close();
        }
    }

    @Test
    void aServerThatAnswersMcpWronglyNeverTurnsReadyAndReadySaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path settings = dir.resolve("check.json");
        // The upstream echoes what it is sent: an initialize answered with its own request is not an MCP server.
        java.nio.file.Files.writeString(settings, "{\"check\":\"c1\",\"args\":[\"--url\",\"http://127.0.0.1:" + upstream.port()
                + "/mcp\",\"--timeout\",\"2s\"]}");
        MooringProxy gated = proxyTo(upstream.port(), "/health", settings);
        try {
            URI ready = URI.create("http://127.0.0.1:" + gated.adminPort() + "/ready");
            HttpResponse<String> first = get(ready);
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(first.body()).getString("state")).isIn("checking", "failed");
            JsonObject failed = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> new JsonObject(get(ready).body()), body -> "failed".equals(body.getString("state")));
            assertThat(failed.getString("check")).isEqualTo("c1");
            assertThat(failed.getInteger("attempts")).isEqualTo(StartupGate.FAILURES_TO_FAIL);
            assertThat(failed.getString("reason")).isNotBlank();
            assertThat(failed.getJsonObject("report").getBoolean("ok")).isFalse();
            assertThat(get(ready).statusCode()).isEqualTo(503);
        } finally {
            gated.close();
        }
    }

    @Test
    void settingsWithoutACheckLeaveReadinessToTheServerAndUnreadableOnesKeepThePodOut(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path none = dir.resolve("none.json");
        java.nio.file.Files.writeString(none, "{\"check\":\"\",\"args\":[]}");
        MooringProxy open = proxyTo(upstream.port(), "/health", none);
        MooringProxy broken = proxyTo(upstream.port(), "/health", dir.resolve("missing.json"));
        try {
            URI openReady = URI.create("http://127.0.0.1:" + open.adminPort() + "/ready");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(openReady).statusCode() == 200);
            assertThat(new JsonObject(get(openReady).body()).getString("state")).isEqualTo("ready");
            URI brokenReady = URI.create("http://127.0.0.1:" + broken.adminPort() + "/ready");
            JsonObject failed = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> new JsonObject(get(brokenReady).body()), body -> "failed".equals(body.getString("state")));
            assertThat(failed.getString("reason")).contains("missing.json are missing");
        } finally {
            open.close();
            broken.close();
        }
    }

    @Test
    void theKubeletMayAskEverySecondTheServerIsAskedOncePerHealthPeriod() throws Exception {
        MooringProxy paced = proxyTo(upstream.port(), "/health", null, Duration.ofHours(1));
        try {
            URI ready = URI.create("http://127.0.0.1:" + paced.adminPort() + "/ready");
            int before = upstream.healthChecks.get();
            for (int i = 0; i < 5; i++) {
                assertThat(get(ready).statusCode()).isEqualTo(200);
            }
            assertThat(upstream.healthChecks.get() - before).isEqualTo(1);
        } finally {
            paced.close();
        }
    }

    @Test
    void readinessFollowsTheServersHealthPath() throws Exception {
        assertThat(get(admin("/ready")).statusCode()).isEqualTo(200);
        MooringProxy wrongPath = proxyTo(upstream.port(), "/missing");
        try {
            HttpResponse<String> ready = get(URI.create("http://127.0.0.1:" + wrongPath.adminPort() + "/ready"));
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("/missing answered 404");
        } finally {
            wrongPath.close();
        }
    }

    @Test
    void aServerDyingMidStreamBreaksTheResponseInsteadOfEndingIt() {
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(mcp("/die")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void metricsCountCallsByMethodAndTool() throws Exception {
        client.send(HttpRequest.newBuilder(mcp("/echo")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"forecast\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        client.send(HttpRequest.newBuilder(mcp("/missing")).build(), HttpResponse.BodyHandlers.ofString());

        String metrics = get(admin("/metrics")).body();

        assertThat(metrics).contains("mooring_proxy_requests_total{method=\"tools/call\",tool=\"forecast\",outcome=\"ok\"} 1")
                .contains("mooring_proxy_requests_total{method=\"stream\",tool=\"\",outcome=\"client_error\"} 1")
                .contains("mooring_proxy_request_duration_seconds_count{method=\"tools/call\"} 1")
                .contains("mooring_proxy_sessions_seen_total 1")
                .contains("mooring_proxy_in_flight_calls 0");
    }

    @Test
    void whatClientsMakeUpCannotGrowTheMetricsPastTheirBound() throws Exception {
        HttpResponse.BodyHandler<Void> discard = HttpResponse.BodyHandlers.discarding();
        for (int i = 0; i < 300; i++) {
            client.send(HttpRequest.newBuilder(mcp("/health")).method("FOO" + i, HttpRequest.BodyPublishers.noBody()).build(), discard);
            client.send(HttpRequest.newBuilder(mcp("/health")).header("Mcp-Method", "made/up-" + i).build(), discard);
        }
        for (int i = 0; i < ProxyMetrics.SERIES_LIMIT + 100; i++) {
            client.send(HttpRequest.newBuilder(mcp("/health")).header("Mcp-Method", "tools/call").header("Mcp-Name", "tool-" + i).build(), discard);
        }

        String metrics = get(admin("/metrics")).body();

        assertThat(metrics.lines().filter(line -> line.startsWith("mooring_proxy_requests_total{"))).hasSizeBetween(ProxyMetrics.SERIES_LIMIT - 250,
                ProxyMetrics.SERIES_LIMIT);
        assertThat(metrics).doesNotContainIgnoringCase("foo").doesNotContain("made/up")
                .contains("mooring_proxy_requests_total{method=\"other\",tool=\"\",outcome=\"ok\"} 600")
                .contains("mooring_proxy_requests_total{method=\"tools/call\",tool=\"_other\",outcome=\"ok\"}");
        assertThat(metrics.lines().filter(line -> line.startsWith("mooring_proxy_request_duration_seconds")))
                .as("a histogram for 'other' and one for tools/call").hasSize(2 * (ProxyMetrics.BUCKETS.length + 3));
    }

    private URI mcp(String path) {
        return URI.create("http://127.0.0.1:" + proxy.mcpPort() + path);
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + proxy.adminPort() + path);
    }

    @Test
    void aServerContainerRestartedAfterItsDrainIsServedAgain() throws Exception {
        int port = upstream.port();
        // The kubelet restarting the container after a failed probe: preStop (the drain), SIGTERM, a new process.
        assertThat(new JsonObject(get(admin("/drain")).body()).getString("outcome")).isEqualTo("drained");
        upstream.close();
        Thread.sleep(3 * RestartWatch.PERIOD_MILLIS);
        assertThat(get(admin("/ready")).body()).as("out of the Service while no server runs").contains("draining");

        upstream = new Upstream(vertx, port);
        awaitReady();
        HttpResponse<String> served = client.send(HttpRequest.newBuilder(mcp("/echo")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("connection")).as("served as before the drain, not told to go").isEmpty();
        assertThat(new JsonObject(get(admin("/drain")).body()).getString("outcome")).as("and drained again when the pod goes")
                .isEqualTo("drained");
    }

    @Test
    void aDrainedServerThatKeepsListeningKeepsThePodOut() throws Exception {
        // A terminating pod: its server never goes away and comes back, so the drain holds.
        assertThat(new JsonObject(get(admin("/drain")).body()).getString("outcome")).isEqualTo("drained");
        Thread.sleep(4 * RestartWatch.PERIOD_MILLIS);
        assertThat(get(admin("/ready")).statusCode()).isEqualTo(503);
        assertThat(rawExchange("POST /echo HTTP/1.1\r\nHost: proxy\r\nContent-Length: 2\r\n\r\n{}")).containsIgnoringCase("connection: close");
    }

    @Test
    void onlyThePodsPreStopMayDrainWhenTheOperatorGaveTheProxyAToken() throws Exception {
        MooringProxy guarded = withDrainToken("7f3a9c2e-drain-token", GRACE_PERIOD);
        try {
            URI drain = URI.create("http://127.0.0.1:" + guarded.adminPort() + "/drain");
            URI ready = URI.create("http://127.0.0.1:" + guarded.adminPort() + "/ready");
            HttpResponse<String> anyone = get(drain);
            HttpResponse<String> wrongToken = client.send(HttpRequest.newBuilder(drain).header(MooringProxy.DRAIN_TOKEN_HEADER, "7f3a9c2e-drain-tokem")
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(anyone.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(anyone.body()).getString("error")).contains("preStop token").contains(MooringProxy.DRAIN_TOKEN_HEADER);
            assertThat(wrongToken.statusCode()).isEqualTo(403);
            assertThat(get(ready).statusCode()).as("still in the Service").isEqualTo(200);
            HttpResponse<String> served = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.mcpPort() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.headers().firstValue("connection")).as("clients are not sent away").isEmpty();

            HttpResponse<String> preStop = client.send(HttpRequest.newBuilder(drain).header(MooringProxy.DRAIN_TOKEN_HEADER, "7f3a9c2e-drain-token")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preStop.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(preStop.body()).getString("outcome")).isEqualTo("drained");
            assertThat(get(ready).statusCode()).isEqualTo(503);
        } finally {
            guarded.close();
        }
    }

    @Test
    void aDrainStillUnderWayWhenTheGracePeriodEndsIsOverAndThePodServesAgain() throws Exception {
        Duration gracePeriod = PRE_STOP_DELAY.plus(DRAIN_TIMEOUT);
        MooringProxy guarded = withDrainToken("t0ken", gracePeriod);
        try {
            URI ready = URI.create("http://127.0.0.1:" + guarded.adminPort() + "/ready");
            long start = System.nanoTime();
            HttpResponse<String> drained = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.adminPort() + "/drain"))
                    .header(MooringProxy.DRAIN_TOKEN_HEADER, "t0ken").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new JsonObject(drained.body()).getString("outcome")).isEqualTo("drained");
            HttpResponse<String> draining = get(ready);
            assertThat(draining.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(draining.body()).getString("state")).isEqualTo("draining");

            // No SIGTERM came and the server never stopped: the pod is not terminating.
            awaitReady(ready);
            assertThat((System.nanoTime() - start) / 1_000_000).as("not before the grace period").isGreaterThanOrEqualTo(gracePeriod.toMillis() - 100);
            HttpResponse<String> served = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.mcpPort() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("connection")).as("served as before the drain, not told to go").isEmpty();
        } finally {
            guarded.close();
        }
    }

    private void awaitReady() throws Exception {
        awaitReady(admin("/ready"));
    }

    private void awaitReady(URI ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (get(ready).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never ready again: " + get(ready).body());
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request on its own connection; returns all the proxy sent until it closed the connection. */
    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.mcpPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before '" + marker + "'; read: " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }

    private void awaitInFlight(int calls) throws Exception {
        awaitMetric("mooring_proxy_in_flight_calls " + calls);
    }

    private void awaitStreams(int streams) throws Exception {
        awaitMetric("mooring_proxy_open_streams " + streams);
    }

    private void awaitMetric(String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!get(admin("/metrics")).body().contains(line + "\n")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the proxy never reported '" + line + "'");
            }
            Thread.sleep(20);
        }
    }
}
