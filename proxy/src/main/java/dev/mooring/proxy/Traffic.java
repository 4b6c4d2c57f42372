package dev.mooring.proxy;

import io.vertx.core.http.HttpConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What goes through the proxy right now: open exchanges (calls and streams) and client connections with their idle time. */
final class Traffic {
    /** A client connection: how many of its exchanges are open and since when it has had none. */
    static final class ClientConnection {
        final HttpConnection connection;
        final long openedAt;
        int active;
        long idleSince;

        ClientConnection(HttpConnection connection, long now) {
            this.connection = connection;
            this.openedAt = now;
            this.idleSince = now;
        }
    }

    private final Set<Exchange> open = ConcurrentHashMap.newKeySet();
    private final Map<HttpConnection, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private volatile long lastConnectedAt = -1;

    void connected(HttpConnection connection, long now) {
        lastConnectedAt = now;
        connectionsOpened.incrementAndGet();
        connections.put(connection, new ClientConnection(connection, now));
        connection.closeHandler(v -> connections.remove(connection));
    }

    /** How long the client connection has been open, in milliseconds; 0 when it is not known. */
    long age(HttpConnection connection, long now) {
        ClientConnection client = connections.get(connection);
        return client == null ? 0 : now - client.openedAt;
    }

    void opened(Exchange exchange) {
        open.add(exchange);
        calls.incrementAndGet();
        ClientConnection client = connections.get(exchange.connection());
        if (client != null) {
            client.active++;
        }
    }

    void becameStream(Exchange exchange) {
        if (open.contains(exchange)) {
            calls.decrementAndGet();
            streams.incrementAndGet();
        }
    }

    void closed(Exchange exchange, long now) {
        if (!open.remove(exchange)) {
            return;
        }
        (exchange.isStream() ? streams : calls).decrementAndGet();
        finished.incrementAndGet();
        ClientConnection client = connections.get(exchange.connection());
        if (client != null && --client.active == 0) {
            client.idleSince = now;
        }
    }

    int inFlightCalls() {
        return calls.get();
    }

    int openStreams() {
        return streams.get();
    }

    long finished() {
        return finished.get();
    }

    List<Exchange> openStreamsNow() {
        return open.stream().filter(Exchange::isStream).toList();
    }

    /** Client connections with nothing open for at least {@code idleMillis}. */
    List<HttpConnection> idleFor(long idleMillis, long now) {
        return connections.values().stream().filter(c -> c.active == 0 && now - c.idleSince >= idleMillis)
                .map(c -> c.connection).toList();
    }

    /** When a client last opened a connection (milliseconds), or -1 if none ever did. */
    long lastConnectedAt() {
        return lastConnectedAt;
    }

    long connectionsOpened() {
        return connectionsOpened.get();
    }

    int connectionCount() {
        return connections.size();
    }
}
