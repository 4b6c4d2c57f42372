package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** POSTs of JSON-RPC messages under one deadline, reading a JSON or an event-stream answer. */
final class HttpExchange {
    static final String ACCEPT = "application/json, text/event-stream";

    /** A POST's answer: the status, the headers that matter, and the JSON-RPC response when there is one. */
    record Answer(int status, Optional<String> sessionId, Optional<JsonNode> response, String body) {
    }

    /**
     * How long ending the session may take: a courtesy to the server, which must not stretch a check that has its answer
     * (a DELETE that went unanswered once held a verification Job until its 60 s timeout).
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Redirects are never followed: a credential in the headers must not travel to wherever a server points. HTTP/1.1,
     * as MCP clients speak it: the JDK's default asks every new connection for an h2c upgrade.
     */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> headers;
    private final Instant deadline;
    private final AtomicLong bodyBytes = new AtomicLong();

    HttpExchange(Map<String, String> headers, Instant deadline) {
        this.headers = headers;
        this.deadline = deadline;
    }

    long millisLeft() {
        return Duration.between(Instant.now(), deadline).toMillis();
    }

    Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new SmokeFailure("timed out: the check did not finish within its timeout");
        }
        return left;
    }

    HttpRequest.Builder builder(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(remaining());
        headers.forEach(builder::header);
        return builder;
    }

    Answer post(URI uri, ObjectNode message, Map<String, String> extra) {
        HttpRequest.Builder request = builder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(message.toString()));
        extra.forEach(request::header);
        HttpResponse<InputStream> response = send(request.build());
        failIfUnavailable(response, message.path("method").asText());
        Optional<String> session = response.headers().firstValue("Mcp-Session-Id");
        String type = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream body = response.body()) {
            if (!message.has("id")) {
                return new Answer(response.statusCode(), session, Optional.empty(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (type.startsWith("text/event-stream")) {
                return new Answer(response.statusCode(), session, readStream(body, message.get("id")), "");
            }
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            Optional<JsonNode> json = Optional.empty();
            if (type.startsWith("application/json") && !text.isBlank()) {
                JsonNode parsed = JsonRpc.parse(text, "the answer to " + message.path("method").asText());
                json = JsonRpc.answers(parsed, message.get("id")) ? Optional.of(parsed) : Optional.empty();
            }
            return new Answer(response.statusCode(), session, json, text);
        } catch (IOException e) {
            throw new SmokeFailure("reading the answer to " + message.path("method").asText() + " failed: " + e.getMessage(), e);
        }
    }

    void delete(URI uri, Map<String, String> extra) {
        long left = millisLeft();
        if (left <= 0) {
            return;
        }
        try {
            HttpRequest.Builder request = builder(uri).timeout(Duration.ofMillis(Math.min(left, CLOSE_TIMEOUT.toMillis()))).DELETE();
            extra.forEach(request::header);
            try (InputStream ignored = send(request.build()).body()) {
                // Ending the session is a courtesy to the server: its answer is not read.
            }
        } catch (IOException | RuntimeException e) {
            // The check has its answer already.
        }
    }

    HttpResponse<InputStream> send(HttpRequest request) {
        try {
            String what = "the answer of " + request.uri();
            return client.send(request, info -> HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                    body -> new BoundedBody(body, what, bodyBytes, deadline)));
        } catch (java.net.http.HttpConnectTimeoutException e) {
            throw new SmokeFailure.Unreachable("cannot reach " + request.uri() + ": the connection timed out", false, e);
        } catch (HttpTimeoutException e) {
            throw new SmokeFailure("timed out waiting for " + request.uri());
        } catch (IOException e) {
            // Refused, or reset before any answer came (a broken pipe, a connection reset): nothing answered, as
            // when a Service's routes or a node's NAT change under a new connection; retried on the handshake.
            throw new SmokeFailure.Unreachable("cannot reach " + request.uri() + ": " + describe(e), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmokeFailure("interrupted");
        }
    }

    /** 502, 503 and 504 come from something in front of the server, or from a server not yet (or no longer) serving. */
    static void failIfUnavailable(HttpResponse<InputStream> response, String what) {
        int status = response.statusCode();
        if (status == 502 || status == 503 || status == 504) {
            try (InputStream body = response.body()) {
                body.readNBytes(512);
            } catch (IOException ignored) {
                // the status says enough
            }
            throw new SmokeFailure.Unreachable(what + ": HTTP " + status + " (nothing is serving MCP there yet)", true, null);
        }
    }

    private static Optional<JsonNode> readStream(InputStream body, JsonNode id) throws IOException {
        SseEvents events = new SseEvents(body);
        SseEvents.Event event;
        while ((event = events.next()) != null) {
            if (event.data().isBlank()) {
                continue;
            }
            JsonNode message = JsonRpc.parse(event.data(), "an event of the response stream");
            if (JsonRpc.answers(message, id)) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    static String describe(IOException e) {
        String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return e instanceof java.net.ConnectException ? "connection refused" + (e.getMessage() != null ? " (" + text + ")" : "") : text;
    }
}
