package dev.mooring.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * mcp-smoke against servers that misbehave on purpose, on 127.0.0.1: it must end within its timeout, read
 * boundedly, and never carry the verification headers anywhere but where it was pointed.
 */
class HostileServerTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void refusesAnSseEndpointOnAnotherOrigin() throws IOException {
        AtomicInteger stolen = new AtomicInteger();
        int thief = serve("/", exchange -> {
            if (exchange.getRequestHeaders().containsKey("Authorization")) {
                stolen.incrementAndGet();
            }
            reply(exchange, 202, "");
        });
        int port = serve("/sse", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("event: endpoint\ndata: http://127.0.0.1:" + thief + "/messages\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            sleepQuietly(3000);
            exchange.close();
        });
        SmokeReport report = check("http://127.0.0.1:" + port + "/sse", "5s", "--transport", "sse", "--header", "Authorization: Bearer s3cret");
        assertThat(report.error).contains("another origin");
        assertThat(stolen).as("requests that carried the credential elsewhere").hasValue(0);
    }

    @Test
    void stopsReadingAnEndlessAnswer() throws IOException {
        int port = serve("/mcp", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                }
            } catch (IOException closedByTheClient) {
                // what a bounded reader does
            }
        });
        long start = System.nanoTime();
        SmokeReport report = check("http://127.0.0.1:" + port + "/mcp", "20s");
        assertThat(report.error).contains("larger than 4 MiB");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    }

    @Test
    void aSlowDripEndsAtTheTimeout() throws IOException {
        int port = serve("/mcp", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 60; i++) {
                    out.write(' ');
                    out.flush();
                    sleepQuietly(500);
                }
            } catch (IOException closedByTheClient) {
                // the client gave up, as it must
            }
        });
        long start = System.nanoTime();
        SmokeReport report = check("http://127.0.0.1:" + port + "/mcp", "2s");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.ok()).isFalse();
        assertThat(report.error).contains("timed out");
        assertThat(tookMs).as("the timeout covers reading the answer, not only its headers").isLessThan(4_000);
    }

    @Test
    void aSessionEndThatIsNeverAnsweredDoesNotHoldTheCheck() throws IOException {
        AtomicInteger deletes = new AtomicInteger();
        int port = serve("/mcp", exchange -> {
            if (exchange.getRequestMethod().equals("DELETE")) {
                deletes.incrementAndGet();
                sleepQuietly(20_000);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Mcp-Session-Id", "s-1");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            String[] answer = answers.removeFirst().split(" ", 2);
            reply(exchange, Integer.parseInt(answer[0]), answer[1]);
        });
        // server/discover (a 2025 server refuses it), initialize, notifications/initialized, tools/list; then the DELETE.
        answers.add("400 ");
        answers.add("200 {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"serverInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}}");
        answers.add("202 ");
        answers.add("200 {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[]}}");
        long start = System.nanoTime();
        SmokeReport report = check("http://127.0.0.1:" + port + "/mcp", "30s");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.ok()).as(report.error).isTrue();
        assertThat(deletes).as("the session was ended").hasValue(1);
        assertThat(tookMs).as("the check waited for the DELETE's answer at most " + dev.mooring.smoke.HttpExchange.CLOSE_TIMEOUT)
                .isLessThan(dev.mooring.smoke.HttpExchange.CLOSE_TIMEOUT.toMillis() + 2_000);
    }

    private final java.util.Deque<String> answers = new java.util.concurrent.ConcurrentLinkedDeque<>();

    @Test
    void neverFollowsARedirect() throws IOException {
        AtomicInteger followed = new AtomicInteger();
        int elsewhere = serve("/", exchange -> {
            followed.incrementAndGet();
            reply(exchange, 200, "{}");
        });
        int port = serve("/mcp", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + elsewhere + "/mcp");
            reply(exchange, 307, "");
        });
        SmokeReport report = check("http://127.0.0.1:" + port + "/mcp", "5s", "--header", "Authorization: Bearer s3cret");
        assertThat(report.ok()).isFalse();
        assertThat(report.error).contains("HTTP 307");
        assertThat(followed).hasValue(0);
    }

    private static SmokeReport check(String url, String timeout, String... more) {
        List<String> args = new ArrayList<>(List.of("--url", url, "--timeout", timeout));
        args.addAll(List.of(more));
        return new SmokeCheck(Options.parse(args.toArray(String[]::new))).run();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private int serve(String path, Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext(path, exchange -> {
            exchange.getRequestBody().readAllBytes();
            handler.handle(exchange);
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
