package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * MCP 2024-11-05's HTTP+SSE transport: GET opens an event stream whose first event names the endpoint
 * to POST messages to; answers arrive on the stream. Always session-bound.
 */
final class SseSession implements McpSession {
    static final String VERSION = "2024-11-05";
    private static final JsonNode CLOSED = JsonRpc.JSON.createObjectNode().put("closed", true);

    private final URI url;
    private final HttpExchange http;
    private final JsonRpc rpc = new JsonRpc();
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private InputStream stream;
    private URI endpoint;

    SseSession(URI url, HttpExchange http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Handshake handshake() {
        HttpResponse<InputStream> response = http.send(http.builder(url).header("Accept", "text/event-stream").GET().build());
        HttpExchange.failIfUnavailable(response, "GET " + url);
        if (response.statusCode() != 200) {
            throw new SmokeFailure("GET " + url + ": HTTP " + response.statusCode() + " instead of an event stream");
        }
        stream = response.body();
        SseEvents events = new SseEvents(stream);
        try {
            SseEvents.Event first = events.next();
            if (first == null || !first.name().equals("endpoint")) {
                throw new SmokeFailure("the event stream did not start with an endpoint event");
            }
            endpoint = url.resolve(first.data().trim());
            if (!sameOrigin(url, endpoint)) {
                throw new SmokeFailure("the endpoint event points to another origin (" + JsonRpc.abbreviate(endpoint.toString())
                        + "); mcp-smoke sends nothing there");
            }
        } catch (IOException e) {
            throw new SmokeFailure("reading the event stream failed: " + e.getMessage(), e);
        }
        Thread reader = new Thread(() -> pump(events), "mcp-smoke-sse");
        reader.setDaemon(true);
        reader.start();

        JsonNode result = call("initialize", JsonRpc.initializeParams(VERSION));
        http.post(endpoint, JsonRpc.notification("notifications/initialized"), Map.of());
        JsonNode info = result.path("serverInfo");
        return new Handshake(result.path("protocolVersion").asText(VERSION), info.path("name").asText(null),
                info.path("version").asText(null), true);
    }

    /** Scheme, host and port (with the scheme's default) must match: the headers Secret goes only where the check was pointed. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme())) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost())) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public JsonNode request(String method, ObjectNode params) {
        return call(method, params);
    }

    private JsonNode call(String method, ObjectNode params) {
        ObjectNode request = rpc.request(method, params);
        HttpExchange.Answer posted = http.post(endpoint, request, Map.of());
        if (posted.response().isPresent()) {
            return JsonRpc.resultOf(posted.response().get(), method);
        }
        if (posted.status() >= 300) {
            throw new SmokeFailure(method + ": HTTP " + posted.status() + " " + JsonRpc.abbreviate(posted.body()));
        }
        while (true) {
            JsonNode message;
            try {
                message = inbox.poll(http.remaining().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SmokeFailure("interrupted");
            }
            if (message == null) {
                throw new SmokeFailure("timed out waiting for the answer to " + method + " on the event stream");
            }
            if (message == CLOSED) {
                throw new SmokeFailure("the server closed the event stream before answering " + method);
            }
            if (JsonRpc.answers(message, request.get("id"))) {
                return JsonRpc.resultOf(message, method);
            }
        }
    }

    private void pump(SseEvents events) {
        try {
            SseEvents.Event event;
            while ((event = events.next()) != null) {
                if (event.name().equals("message") && !event.data().isBlank()) {
                    inbox.add(JsonRpc.parse(event.data(), "an event of the stream"));
                }
            }
        } catch (IOException | SmokeFailure e) {
            // The stream ended; whoever waits learns it below.
        }
        inbox.add(CLOSED);
    }

    @Override
    public void close() {
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException ignored) {
            // closing a stream we are done with
        }
    }
}
