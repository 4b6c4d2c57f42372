package dev.mooring.proxy;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes on the server, with a DELETE, the sessions a replica forgets without their client having ended them. A server
 * holds a session until it is closed or restarts (the official TypeScript SDK's examples keep every transport in a
 * map), so each session forgotten here would otherwise stay there for the pod's lifetime. Fire and forget: whatever
 * the server answers, or if it does not, no client waits on it. Event loop only.
 */
final class SessionCloser {
    /** A server that has not answered by then is not waited for: the session stays there, as it would have anyway. */
    static final int TIMEOUT_MILLIS = 5_000;
    /**
     * A removed key forgets every session sealed with it at once (up to {@link SessionHandoff#MAX_SESSIONS}): they are
     * closed a few at a time, so that the server, which shares the pod's few cores, is not sent thousands of requests
     * at once.
     */
    static final int MAX_IN_FLIGHT = 4;
    /** Closes waiting beyond this are dropped: their sessions stay on the server, like before the proxy closed any. */
    static final int MAX_WAITING = SessionHandoff.MAX_SESSIONS;

    private record Close(String session, String endpoint) {
    }

    private final HttpClient upstream;
    private final int upstreamPort;
    private final Deque<Close> waiting = new ArrayDeque<>();
    private int inFlight;

    SessionCloser(HttpClient upstream, int upstreamPort) {
        this.upstream = upstream;
        this.upstreamPort = upstreamPort;
    }

    /**
     * Closes the server's session at the MCP endpoint it was opened on; without an endpoint (its path was too long to
     * keep, see SessionHandoff) there is nowhere to send the DELETE, and the session stays on the server.
     */
    void close(String session, String endpoint) {
        if (endpoint == null || waiting.size() >= MAX_WAITING) {
            return;
        }
        waiting.add(new Close(session, endpoint));
        next();
    }

    private void next() {
        if (inFlight >= MAX_IN_FLIGHT || waiting.isEmpty()) {
            return;
        }
        Close close = waiting.poll();
        inFlight++;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.DELETE).setHost(MooringProxy.LOOPBACK).setPort(upstreamPort)
                .setURI(close.endpoint()).putHeader(Exchange.SESSION, close.session()).setTimeout(TIMEOUT_MILLIS);
        upstream.request(options).compose(request -> request.send()).compose(HttpClientResponse::body).onComplete(ignored -> {
            inFlight--;
            next();
        });
        next();
    }
}
