package dev.mooring.proxy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Session handoff for servers of the 2025 protocol revisions, which pin a client to the replica that issued its
 * Mcp-Session-Id. The proxy gives clients a sealed {@link SessionToken} instead of the server's id (which never leaves
 * the pod); a replica that meets a valid token it does not know opens a session on its own server by replaying the
 * client's initialize and notifications/initialized, and maps the token to it. Sessions so survive rollouts and
 * scale-in, and the Service needs no client-IP affinity. Event loop only.
 */
final class SessionHandoff {
    /**
     * Within the official SDKs' own request timeout (60 s in TypeScript), so the proxy never fails a handed-over call
     * the client would still have waited for: CI saw replays pass 10 s while a rolled-back revision's pods were
     * replaced on a starved node.
     */
    static final int REPLAY_TIMEOUT_MILLIS = 30_000;

    /**
     * Sessions one replica remembers, keyed by the whole token (a lookup by anything shorter could be matched by a
     * forged token); about 1 KiB each in a 48 MiB heap. The least recently used are forgotten, and replayed if they
     * come back.
     */
    static final int MAX_SESSIONS = 5_000;

    /**
     * Sessions ended through this replica (a DELETE), so that their tokens open no session here again: the Streamable
     * HTTP spec answers 404 to a terminated session. By the token's random id (looked up only once the token opened, so
     * a forged token cannot match one), under 200 bytes each: the newest MAX_ENDED_SESSIONS, each for as long as its
     * token opens (until its key leaves the Secret, at least one rotation period). A token pushed out opens a session
     * again, as before it was ended. Only this replica knows: a token carries no state, and replicas share none (no
     * store, no channel between proxies), so a replica that did not see the DELETE opens the session again.
     */
    static final int MAX_ENDED_SESSIONS = 10_000;

    /** A token that does not open here: the client gets 404, like for a session that does not exist. */
    static final class UnknownSession extends RuntimeException {
        UnknownSession() {
            super("unknown session", null, false, false);
        }
    }

    private final HttpClient upstream;
    private final int upstreamPort;
    private final SessionKeys keys;
    private final String server;
    private final Map<String, String> sessions = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SESSIONS;
        }
    };
    private final Map<String, Future<String>> replaying = new HashMap<>();
    /** Ended sessions' token ids, oldest first, with the id of the key their token was sealed with. */
    private final Map<String, String> ended = new LinkedHashMap<>();
    private long replays;

    SessionHandoff(HttpClient upstream, int upstreamPort, SessionKeys keys, String server) {
        this.upstream = upstream;
        this.upstreamPort = upstreamPort;
        this.keys = keys;
        this.server = server;
    }

    /** Whether tokens can be issued: the key Secret is mounted and names a sealing key. */
    boolean active() {
        return keys.sealingId() != null;
    }

    /** The params of an initialize request, when the body is one. */
    static Optional<JsonObject> initializeParams(Buffer body) {
        try {
            Object parsed = body.length() == 0 ? null : body.toJson();
            if (parsed instanceof JsonObject request && "initialize".equals(request.getString("method"))) {
                return Optional.of(Optional.ofNullable(request.getJsonObject("params")).orElseGet(JsonObject::new));
            }
        } catch (RuntimeException notJson) {
            // Not JSON-RPC: not an initialize, forwarded as it came.
        }
        return Optional.empty();
    }

    /** The token the client gets for the session its initialize opened on this replica's server. */
    String issue(JsonObject initialize, String upstreamSession) {
        String keyId = keys.sealingId();
        String token = SessionToken.fresh(initialize).seal(keyId, keys.all().get(keyId), server);
        sessions.put(token, upstreamSession);
        return token;
    }

    /** This replica's server session for the token: known, or opened now by replaying the client's initialize. */
    Future<String> upstreamFor(String token, String uri) {
        String known = sessions.get(token);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        Optional<SessionToken> opened = SessionToken.open(token, keys.all(), server);
        if (opened.isEmpty() || ended.containsKey(opened.get().id())) {
            return Future.failedFuture(new UnknownSession());
        }
        String id = opened.get().id();
        return replaying.computeIfAbsent(token, t -> replay(opened.get(), uri)
                .onComplete(ar -> {
                    replaying.remove(t);
                    // A DELETE may have ended the session while it was being opened again: it is not mapped then.
                    if (ar.succeeded() && !ended.containsKey(id)) {
                        sessions.put(t, ar.result());
                    }
                }));
    }

    /**
     * Ends the token's session on this replica (a DELETE): it is forgotten and remembered as ended. Completes with the
     * server's own session to close, empty when this replica's server holds none; fails with UnknownSession when the
     * token does not open here or its session was ended already.
     */
    Future<Optional<String>> end(String token) {
        String upstreamSession = sessions.remove(token);
        Optional<SessionToken> opened = SessionToken.open(token, keys.all(), server);
        if (upstreamSession == null && (opened.isEmpty() || ended.containsKey(opened.get().id()))) {
            return Future.failedFuture(new UnknownSession());
        }
        // A known token that no longer opens (its key was retired) opens nowhere now: nothing to remember then.
        opened.ifPresent(t -> remember(t.id(), SessionToken.keyId(token)));
        Future<String> reopening = replaying.get(token);
        if (reopening != null) {
            return reopening.map(Optional::of).otherwise(Optional.empty());
        }
        return Future.succeededFuture(Optional.ofNullable(upstreamSession));
    }

    private void remember(String id, String keyId) {
        ended.put(id, keyId);
        // Oldest first: past the bound, or sealed with a key no longer listed, whose token opens nowhere now.
        Set<String> listed = keys.all().keySet();
        for (var oldest = ended.values().iterator(); oldest.hasNext(); ) {
            String sealedWith = oldest.next();
            if (ended.size() <= MAX_ENDED_SESSIONS && listed.contains(sealedWith)) {
                break;
            }
            oldest.remove();
        }
    }

    /** Known here without a replay: the server may have forgotten it (restarted), then it is replayed once. */
    boolean knows(String token) {
        return sessions.containsKey(token);
    }

    void forget(String token) {
        sessions.remove(token);
    }

    private Future<String> replay(SessionToken token, String uri) {
        replays++;
        JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", "mooring-handoff-" + replays)
                .put("method", "initialize").put("params", token.initialize());
        return post(uri, initialize, null, null).compose(response -> response.body().compose(body -> {
            String session = response.getHeader("Mcp-Session-Id");
            if (response.statusCode() / 100 != 2 || session == null) {
                return Future.failedFuture("replaying initialize for a handed-over session: the server answered HTTP "
                        + response.statusCode() + (session == null ? " without a session" : ""));
            }
            String version = negotiatedVersion(body).orElse(token.initialize().getString("protocolVersion"));
            JsonObject initialized = new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized");
            return post(uri, initialized, session, version).compose(HttpClientResponse::body).map(ignored -> session);
        }));
    }

    private Future<HttpClientResponse> post(String uri, JsonObject message, String session, String version) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(MooringProxy.LOOPBACK).setPort(upstreamPort)
                .setURI(uri).putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream")
                .setTimeout(REPLAY_TIMEOUT_MILLIS);
        if (session != null) {
            options.putHeader("Mcp-Session-Id", session);
        }
        if (version != null) {
            options.putHeader("MCP-Protocol-Version", version);
        }
        return upstream.request(options).compose(request -> request.send(message.toBuffer()));
    }

    /** The protocol version in an initialize result, answered as JSON or as one SSE event. */
    static Optional<String> negotiatedVersion(Buffer body) {
        for (String line : body.toString().split("\n")) {
            String json = line.startsWith("data:") ? line.substring(5).trim() : line.trim();
            if (json.startsWith("{")) {
                try {
                    String version = new JsonObject(json).getJsonObject("result", new JsonObject()).getString("protocolVersion");
                    if (version != null) {
                        return Optional.of(version);
                    }
                } catch (RuntimeException notJson) {
                    // Another line of the event.
                }
            }
        }
        return Optional.empty();
    }
}
