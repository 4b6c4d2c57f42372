package dev.mooring.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Session handoff for servers of the 2025 protocol revisions, which pin a client to the replica that issued its
 * Mcp-Session-Id. The proxy gives clients a sealed {@link SessionToken} instead of the server's id (which never leaves
 * the pod); a replica that meets a valid token it does not know opens a session on its own server by replaying the
 * client's initialize and notifications/initialized, and maps the token to it. Sessions so survive rollouts and
 * scale-in, and the Service needs no client-IP affinity. A token opens for the max age after it was issued, and while
 * its key is listed; a session this replica forgets is closed on its server ({@link SessionCloser}). Event loop only.
 */
final class SessionHandoff {
    /**
     * Within the official SDKs' own request timeout (60 s in TypeScript), so the proxy never fails a handed-over call
     * the client would still have waited for: CI saw replays pass 10 s while a rolled-back revision's pods were
     * replaced on a starved node.
     */
    static final int REPLAY_TIMEOUT_MILLIS = 30_000;

    /**
     * Sessions one replica remembers, keyed by a digest of the whole token (a lookup by anything shorter could be
     * matched by a forged token; a SHA-256 digest cannot, and takes 44 characters where a token may take 4 KiB); under
     * 600 bytes each (with the server's session id, the key's id and the endpoint) in a 48 MiB heap. The least
     * recently used are forgotten, closed on the server, and replayed if they come back.
     */
    static final int MAX_SESSIONS = 5_000;

    /**
     * The longest MCP endpoint path kept with a session, to close it there once forgotten: a client picks the path, and
     * 5,000 sessions on paths of 8 KiB would take most of the heap. A session opened on a longer path is not closed
     * when it is forgotten (no server's MCP endpoint is that long).
     */
    static final int MAX_ENDPOINT_LENGTH = 256;

    /** How often sessions whose token no longer opens are looked for, so that they are closed even if never used again. */
    static final long SWEEP_MILLIS = 5_000;

    /**
     * The largest initialize whose params are read: a token carries at most {@link SessionToken#MAX_LENGTH}
     * characters, so a larger one is never handed over, and JSON of many small values makes a tree many times its
     * size (a 4 MiB body of empty arrays, over 50 MiB).
     */
    static final int MAX_INITIALIZE_BYTES = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Sessions ended through this replica (a DELETE), so that their tokens open no session here again: the Streamable
     * HTTP spec answers 404 to a terminated session. By the token's random id (looked up only once the token opened, so
     * a forged token cannot match one), under 200 bytes each: the newest MAX_ENDED_SESSIONS, each until its key leaves
     * the Secret (at least one rotation period), when its token opens nowhere any more. A token pushed out opens a session
     * again, as before it was ended. Only this replica knows: a token carries no state, and replicas share none (no
     * store, no channel between proxies), so a replica that did not see the DELETE opens the session again.
     */
    static final int MAX_ENDED_SESSIONS = 10_000;

    /**
     * The client request that uses a session: the MCP endpoint it was sent to, where a session is opened again and
     * closed, and its Authorization, which a replayed initialize is sent with (a token never carries credentials).
     */
    record ClientRequest(String uri, String authorization) {
        /** The endpoint's path, kept with the session to close it there; null when too long to keep. */
        String endpoint() {
            int query = uri.indexOf('?');
            String path = query < 0 ? uri : uri.substring(0, query);
            return path.length() > MAX_ENDPOINT_LENGTH ? null : path;
        }
    }

    /**
     * A session this replica's server holds for a token, with what is needed to refuse the token (its key, its
     * expiry) without opening it again, and to close the session once it is forgotten.
     */
    private record Held(String upstreamSession, String keyId, long expiresAt, String endpoint) {
        boolean opens(Map<String, byte[]> listed, long now) {
            return listed.containsKey(keyId) && now <= expiresAt;
        }
    }

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
    private final Duration maxAge;
    private final SessionCloser closer;
    private final Map<String, Held> sessions = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            if (size() <= MAX_SESSIONS) {
                return false;
            }
            close(eldest.getValue());
            return true;
        }
    };
    private final Map<String, Future<String>> replaying = new HashMap<>();
    /** Ended sessions' token ids, oldest first, with the id of the key their token was sealed with. */
    private final Map<String, String> ended = new LinkedHashMap<>();
    private long replays;
    /** The keys the sessions held were last checked against: another map means the Secret changed. */
    private Map<String, byte[]> checkedAgainst = Map.of();

    SessionHandoff(HttpClient upstream, int upstreamPort, SessionKeys keys, String server, Duration maxAge) {
        this.upstream = upstream;
        this.upstreamPort = upstreamPort;
        this.keys = keys;
        this.server = server;
        this.maxAge = maxAge;
        this.closer = new SessionCloser(upstream, upstreamPort);
    }

    /** Whether tokens can be issued: the key Secret is mounted and names a sealing key. */
    boolean active() {
        return keys.sealingId() != null;
    }

    /** Whether a request body is an initialize: its method is read without building the body's tree. */
    static boolean isInitialize(Buffer body) {
        try (JsonParser parser = JSON.createParser((InputStream) new ByteBufInputStream(body.getByteBuf()))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("method".equals(field)) {
                    return value == JsonToken.VALUE_STRING && "initialize".equals(parser.getText());
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException notJson) {
            // Not JSON-RPC: not an initialize, forwarded as it came.
        }
        return false;
    }

    /**
     * The token the client gets for the session its initialize opened on this replica's server; empty when the
     * initialize is too large to be carried in a token: that session is not handed over, and the client keeps the
     * server's own id.
     */
    Optional<String> issue(Buffer initialize, ClientRequest request, String upstreamSession) {
        if (initialize.length() > MAX_INITIALIZE_BYTES) {
            return Optional.empty();
        }
        JsonObject params;
        try {
            params = Optional.ofNullable(initialize.toJsonObject().getJsonObject("params")).orElseGet(JsonObject::new);
        } catch (RuntimeException notParams) {
            return Optional.empty();
        }
        String keyId = keys.sealingId();
        SessionToken fresh = SessionToken.fresh(params);
        String token = fresh.seal(keyId, keys().get(keyId), server);
        if (token.length() > SessionToken.MAX_LENGTH) {
            return Optional.empty();
        }
        hold(token, new Held(upstreamSession, keyId, fresh.expiresAt(maxAge), request.endpoint()));
        return Optional.of(token);
    }

    private static String digest(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** This replica's server session for the token: known, or opened now by replaying the client's initialize. */
    Future<String> upstreamFor(String token, ClientRequest request) {
        Held known = held(token);
        if (known != null) {
            return Future.succeededFuture(known.upstreamSession());
        }
        Optional<SessionToken> opened = open(token);
        if (opened.isEmpty() || ended.containsKey(opened.get().id())) {
            return Future.failedFuture(new UnknownSession());
        }
        String id = opened.get().id();
        return replaying.computeIfAbsent(token, t -> replay(opened.get(), request)
                .onComplete(ar -> {
                    replaying.remove(t);
                    // A DELETE may have ended the session while it was being opened again: it is not mapped then.
                    if (ar.succeeded() && !ended.containsKey(id)) {
                        hold(t, new Held(ar.result(), SessionToken.keyId(t), opened.get().expiresAt(maxAge), request.endpoint()));
                    }
                }));
    }

    /**
     * Ends the token's session on this replica (a DELETE): it is forgotten and remembered as ended. Completes with the
     * server's own session to close, empty when this replica's server holds none; fails with UnknownSession when the
     * token does not open here or its session was ended already.
     */
    Future<Optional<String>> end(String token) {
        Optional<SessionToken> opened = open(token);
        if (opened.isEmpty() || ended.containsKey(opened.get().id())) {
            // A session still held under a token that no longer opens (too old, its key removed) is closed all the same.
            forget(token);
            return Future.failedFuture(new UnknownSession());
        }
        Held held = sessions.remove(digest(token));
        remember(opened.get().id(), SessionToken.keyId(token));
        Future<String> reopening = replaying.get(token);
        if (reopening != null) {
            return reopening.map(Optional::of).otherwise(Optional.empty());
        }
        // The client's DELETE is forwarded with the session: it is not closed a second time.
        return Future.succeededFuture(Optional.ofNullable(held).map(Held::upstreamSession));
    }

    private void remember(String id, String keyId) {
        ended.put(id, keyId);
        // Oldest first: past the bound, or sealed with a key no longer listed, whose token opens nowhere now.
        Set<String> listed = keys().keySet();
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
        return sessions.containsKey(digest(token));
    }

    /**
     * Forgets the token's session: the server answered 404 for it, and it is opened again. It is closed there all the
     * same: a server may answer 404 for something other than the session (a path it does not serve) and still hold
     * it, while the replay opens another.
     */
    void forget(String token) {
        Held held = sessions.remove(digest(token));
        if (held != null) {
            close(held);
        }
    }

    /** Forgets and closes the sessions whose token no longer opens, even if no client comes back with it: every SWEEP_MILLIS. */
    void sweep() {
        forgetThoseThatNoLongerOpen(keys());
    }

    /** The token's content when it opens here: sealed with a listed key for this server, and not older than the max age. */
    private Optional<SessionToken> open(String token) {
        long now = System.currentTimeMillis();
        return SessionToken.open(token, keys(), server).filter(opened -> now <= opened.expiresAt(maxAge));
    }

    /** The session held for the token while the token opens; one whose token no longer opens is forgotten and closed. */
    private Held held(String token) {
        Map<String, byte[]> listed = keys();
        String digest = digest(token);
        Held held = sessions.get(digest);
        if (held == null || held.opens(listed, System.currentTimeMillis())) {
            return held;
        }
        sessions.remove(digest);
        close(held);
        return null;
    }

    private void hold(String token, Held held) {
        sessions.put(digest(token), held);
    }

    /** The keys listed now; when they changed, the sessions held under a key no longer listed are forgotten and closed at once. */
    private Map<String, byte[]> keys() {
        Map<String, byte[]> listed = keys.all();
        if (listed != checkedAgainst) {
            checkedAgainst = listed;
            forgetThoseThatNoLongerOpen(listed);
        }
        return listed;
    }

    private void forgetThoseThatNoLongerOpen(Map<String, byte[]> listed) {
        long now = System.currentTimeMillis();
        for (Iterator<Held> held = sessions.values().iterator(); held.hasNext(); ) {
            Held one = held.next();
            if (!one.opens(listed, now)) {
                held.remove();
                close(one);
            }
        }
    }

    private void close(Held held) {
        closer.close(held.upstreamSession(), held.endpoint());
    }

    /**
     * Opens the session again on this replica's server, as the client did on the replica that issued the token, with
     * the Authorization of the client request that needs it now: servers that authorize each request (an OAuth bearer
     * token checked on initialize too) would refuse an initialize without it, and the token carries none, so that
     * credentials never travel in a session id (logged by proxies, kept by clients for as long as the session).
     */
    private Future<String> replay(SessionToken token, ClientRequest request) {
        replays++;
        JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", "mooring-handoff-" + replays)
                .put("method", "initialize").put("params", token.initialize());
        return post(request, initialize, null, null).compose(response -> response.body().compose(body -> {
            String session = response.getHeader("Mcp-Session-Id");
            if (response.statusCode() / 100 != 2 || session == null) {
                return Future.failedFuture("replaying initialize for a handed-over session: the server answered HTTP "
                        + response.statusCode() + (session == null ? " without a session" : ""));
            }
            String version = negotiatedVersion(body).orElse(token.initialize().getString("protocolVersion"));
            JsonObject initialized = new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized");
            return post(request, initialized, session, version).compose(HttpClientResponse::body).map(ignored -> session);
        }));
    }

    private Future<HttpClientResponse> post(ClientRequest request, JsonObject message, String session, String version) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(MooringProxy.LOOPBACK).setPort(upstreamPort)
                .setURI(request.uri()).putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream")
                .setTimeout(REPLAY_TIMEOUT_MILLIS);
        if (session != null) {
            options.putHeader("Mcp-Session-Id", session);
        }
        if (version != null) {
            options.putHeader("MCP-Protocol-Version", version);
        }
        if (request.authorization() != null) {
            options.putHeader("Authorization", request.authorization());
        }
        return upstream.request(options).compose(upstreamRequest -> upstreamRequest.send(message.toBuffer()));
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
