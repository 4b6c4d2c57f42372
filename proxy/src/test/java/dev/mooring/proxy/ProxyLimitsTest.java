package dev.mooring.proxy;

import static dev.mooring.proxy.RawHttp.awaitMetric;
import static dev.mooring.proxy.RawHttp.closedByPeer;
import static dev.mooring.proxy.RawHttp.exchange;
import static dev.mooring.proxy.RawHttp.metrics;
import static dev.mooring.proxy.RawHttp.open;
import static dev.mooring.proxy.RawHttp.read;
import static dev.mooring.proxy.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bounds on what clients make the proxy hold: buffered request bytes, and connections that dawdle. */
class ProxyLimitsTest {
    private static final long MIB = 1024 * 1024;
    private static final String GET_HEALTH = "GET /health HTTP/1.1\r\nHost: proxy\r\n\r\n";

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final List<MooringProxy> proxies = new ArrayList<>();
    private Vertx vertx;
    private Upstream upstream;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = new Upstream(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        for (MooringProxy proxy : proxies) {
            proxy.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        upstream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private MooringProxy proxy(ProxyConfig.Limits limits) throws Exception {
        return proxy(limits, Duration.ofMillis(500));
    }

    private MooringProxy proxy(ProxyConfig.Limits limits, Duration preStopDelay) throws Exception {
        ProxyConfig config = new ProxyConfig(0, 0, upstream.port(), "/health", upstream.port(), Duration.ZERO, preStopDelay,
                Duration.ofSeconds(2), Duration.ofSeconds(5), false, null, Duration.ofSeconds(60), null, "test/server",
                ProxyConfig.SESSION_MAX_AGE, null, Duration.ofSeconds(30), limits);
        MooringProxy proxy = new MooringProxy(vertx, config);
        proxy.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        proxies.add(proxy);
        return proxy;
    }

    private static ProxyConfig.Limits limits(long budget, long idleMillis, long headerMillis, long bodyMillis) {
        return new ProxyConfig.Limits(budget, Duration.ofMillis(idleMillis), Duration.ofMillis(headerMillis), Duration.ofMillis(bodyMillis));
    }

    private static String postHead(int length) {
        return "POST /echo HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void requestsThatWouldPassTheBufferBudgetAre503WithRetryAfterAndTheirConnectionsStayUsable() throws Exception {
        MooringProxy proxy = proxy(limits(MIB, 60_000, 10_000, 30_000));
        int length = 300_000;
        String body = "x".repeat(length);
        try (Socket first = open(proxy.mcpPort()); Socket second = open(proxy.mcpPort());
             Socket third = open(proxy.mcpPort()); Socket fourth = open(proxy.mcpPort())) {
            // Four slow clients, each part of the way through a large body the proxy reads whole: two fit in the three
            // quarters of 1 MiB that large bodies may take.
            send(first, postHead(length) + body.substring(0, 40_000));
            awaitMetric(proxy, "mooring_proxy_buffered_bytes " + length);
            send(second, postHead(length) + body.substring(0, 40_000));
            awaitMetric(proxy, "mooring_proxy_buffered_bytes " + 2 * length);
            send(third, postHead(length) + body.substring(0, 40_000));
            send(fourth, postHead(length) + body.substring(0, 40_000));

            for (Socket refused : List.of(third, fourth)) {
                RawHttp.Response answer = read(refused);
                assertThat(answer.status()).as("answered before its body arrived").isEqualTo(503);
                assertThat(answer.header("Retry-After")).isEqualTo("1");
                assertThat(new JsonObject(answer.body())).isEqualTo(new JsonObject().put("jsonrpc", "2.0").putNull("id")
                        .put("error", new JsonObject().put("code", -32000)
                                .put("message", "the Mooring proxy is holding its limit of buffered request bytes; retry shortly")));
            }
            assertThat(metrics(proxy)).contains("mooring_proxy_buffer_refusals_total 2\n")
                    .contains("mooring_proxy_buffered_bytes " + 2 * length + "\n");
            assertThat(exchange(proxy.mcpPort(), "POST /echo HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"))
                    .as("an ordinary call meanwhile").startsWith("HTTP/1.1 200").endsWith("{}");

            for (Socket held : List.of(first, second)) {
                send(held, body.substring(40_000));
                RawHttp.Response echoed = read(held);
                assertThat(echoed.status()).isEqualTo(200);
                assertThat(echoed.body()).as("forwarded whole").isEqualTo(body);
            }
            send(third, body.substring(40_000) + GET_HEALTH);
            RawHttp.Response next = read(third);
            assertThat(next.status()).as("the refused body was read and dropped; the connection serves the next request").isEqualTo(200);
            assertThat(next.body()).isEqualTo("ok");
        }
        awaitMetric(proxy, "mooring_proxy_buffered_bytes 0");
        assertThat(exchange(proxy.mcpPort(), "POST /echo HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"))
                .startsWith("HTTP/1.1 200").endsWith("{}");
    }

    @Test
    void aRequestHeadThatDoesNotCompleteWithinTheHeaderTimeoutLosesItsConnectionOnBothPorts() throws Exception {
        MooringProxy proxy = proxy(limits(MIB * 32, 60_000, 500, 30_000));
        for (int port : new int[] {proxy.mcpPort(), proxy.adminPort()}) {
            try (Socket slowloris = open(port)) {
                long start = System.nanoTime();
                send(slowloris, "GET /hea");
                assertThat(closedByPeer(slowloris)).isTrue();
                assertThat(millisSince(start)).isBetween(400L, 2_000L);
            }
        }
        try (Socket kept = open(proxy.mcpPort())) {
            send(kept, GET_HEALTH);
            assertThat(read(kept).status()).isEqualTo(200);
            Thread.sleep(1_200);
            send(kept, GET_HEALTH);
            assertThat(read(kept).status()).as("idle for longer than the header timeout: still served").isEqualTo(200);

            long start = System.nanoTime();
            send(kept, "POST /echo HTTP/1.1\r\nHost: pro");
            assertThat(closedByPeer(kept)).as("a later head is timed from its first byte").isTrue();
            assertThat(millisSince(start)).isBetween(400L, 2_000L);
        }
        assertThat(metrics(proxy)).contains("mooring_proxy_client_timeouts_total{timeout=\"header\"} 3\n")
                .contains("mooring_proxy_client_timeouts_total{timeout=\"idle\"} 0\n");
    }

    @Test
    void aBodyThatStopsHalfwayIsAnswered408AndItsConnectionClosedAtTheBodyTimeout() throws Exception {
        MooringProxy proxy = proxy(limits(MIB * 32, 60_000, 10_000, 500));
        try (Socket socket = open(proxy.mcpPort())) {
            long start = System.nanoTime();
            send(socket, postHead(100) + "{\"jsonrpc\"");
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(millisSince(start)).isBetween(400L, 2_000L);
            assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close")
                    .contains("the request body did not arrive within 500 ms");
        }
        assertThat(upstream.lastHeaders).as("the server never saw it").isEmpty();
        assertThat(metrics(proxy)).contains("mooring_proxy_client_timeouts_total{timeout=\"body\"} 1\n")
                .contains("mooring_proxy_buffered_bytes 0\n").contains("mooring_proxy_in_flight_calls 0\n");
    }

    @Test
    void idleConnectionsCloseAtTheIdleTimeoutButNothingInFlightIsCutHoweverLongOrQuiet() throws Exception {
        MooringProxy proxy = proxy(limits(MIB * 32, 1_000, 500, 1_000));
        int mcp = proxy.mcpPort();
        // Each runs 2.5 s, longer than every timeout: a call silent until it answers, an SSE stream, a body streamed slowly.
        Future<String> quietCall = clients.submit(() -> exchange(mcp,
                "POST /slow?ms=2500 HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"));
        Future<String> stream = clients.submit(() -> exchange(mcp, "GET /events?n=25 HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n"));
        Future<String> upload = clients.submit(() -> {
            try (Socket socket = open(mcp)) {
                send(socket, "POST /echo HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int chunk = 0; chunk < 10; chunk++) {
                    send(socket, "6\r\nchunk" + chunk + "\r\n");
                    Thread.sleep(250);
                }
                send(socket, "0\r\n\r\n");
                return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        });
        try (Socket idle = open(mcp)) {
            send(idle, GET_HEALTH);
            assertThat(read(idle).status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(closedByPeer(idle)).isTrue();
            assertThat(millisSince(start)).isBetween(900L, 2_500L);
        }

        assertThat(quietCall.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").endsWith("slow done");
        assertThat(stream.get(10, TimeUnit.SECONDS)).contains("data: event 0\n").contains("data: event 24\n");
        assertThat(upload.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").endsWith("chunk0chunk1chunk2chunk3chunk4chunk5chunk6chunk7chunk8chunk9");
        assertThat(metrics(proxy)).contains("mooring_proxy_client_timeouts_total{timeout=\"idle\"} 1\n")
                .contains("mooring_proxy_client_timeouts_total{timeout=\"header\"} 0\n")
                .contains("mooring_proxy_client_timeouts_total{timeout=\"body\"} 0\n");
    }

    @Test
    void thePreStopWaitingForTheDrainIsNotCutByTheIdleTimeout() throws Exception {
        MooringProxy proxy = proxy(limits(MIB * 32, 500, 300, 1_000), Duration.ofMillis(1_500));
        long start = System.nanoTime();
        String drained = exchange(proxy.adminPort(), "GET /drain HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n");
        assertThat(drained).startsWith("HTTP/1.1 200").contains("\"outcome\":\"drained\"");
        assertThat(millisSince(start)).as("the preStop delay, silent, three times the idle timeout").isGreaterThanOrEqualTo(1_400L);
    }
}
