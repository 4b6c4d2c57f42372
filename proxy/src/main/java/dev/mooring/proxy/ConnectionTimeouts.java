package dev.mooring.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deadlines of one listener's client connections, against clients that hold connections without using them
 * (slowloris): a request head must be complete within the header timeout of the connection's opening, or of the
 * first byte of a later request on it; a connection with no request in flight is closed once it has been idle for the
 * idle timeout. A request in flight is never cut here however quiet it is: a tool call may run for minutes without a
 * byte either way, an SSE stream carries an event only when the server has one, and the kubelet's preStop waits
 * silently for the drain (Vert.x's own idle timeout would cut all three). A body read whole has its own timeout
 * ({@link BoundedBody}).
 */
final class ConnectionTimeouts {
    private static final class Watched {
        final HttpConnection connection;
        volatile int inFlight;
        volatile long idleSince;
        /** When the head awaited now began: the opening, then the first byte after a response; -1 while none has. */
        volatile long headSince;

        Watched(HttpConnection connection, long now) {
            this.connection = connection;
            this.idleSince = now;
            this.headSince = now;
        }

        void read(long now) {
            if (inFlight == 0 && headSince < 0) {
                headSince = now;
            }
        }
    }

    private final Map<HttpConnection, Watched> connections = new ConcurrentHashMap<>();
    private final long headerMillis;
    private final long idleMillis;
    private final ProxyMetrics metrics;

    ConnectionTimeouts(ProxyConfig.Limits limits, ProxyMetrics metrics) {
        this.headerMillis = limits.headerTimeout().toMillis();
        this.idleMillis = limits.clientIdleTimeout().toMillis();
        this.metrics = metrics;
    }

    void connected(HttpConnection connection, long now) {
        Watched watched = new Watched(connection, now);
        connections.put(connection, watched);
        // Vert.x tells of a request once its head is complete, and has one close handler per connection (Traffic's):
        // the bytes before the head, and the end of the connection, are seen on its Netty channel.
        Channel channel = ((ConnectionBase) connection).channel();
        channel.closeFuture().addListener(closed -> connections.remove(connection));
        channel.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                watched.read(System.currentTimeMillis());
                context.fireChannelRead(message);
            }
        });
    }

    /** A request whose head is complete: in flight until its response has ended. */
    void requestStarted(HttpServerRequest request) {
        Watched watched = connections.get(request.connection());
        if (watched == null) {
            return;
        }
        watched.inFlight++;
        watched.headSince = -1;
        request.response().endHandler(v -> {
            if (--watched.inFlight == 0) {
                watched.idleSince = System.currentTimeMillis();
            }
        });
    }

    /** Closes the connections past a deadline. */
    void sweep(long now) {
        for (Watched watched : connections.values()) {
            if (watched.inFlight > 0) {
                continue;
            }
            // Once a head has begun, only the header timeout counts: an idle connection that a client starts to use
            // just before its idle timeout is not cut under the head.
            if (watched.headSince >= 0) {
                if (now - watched.headSince >= headerMillis) {
                    close(watched, "header");
                }
            } else if (now - watched.idleSince >= idleMillis) {
                close(watched, "idle");
            }
        }
    }

    private void close(Watched watched, String timeout) {
        if (connections.remove(watched.connection) != null) {
            metrics.clientTimedOut(timeout);
            watched.connection.close();
        }
    }
}
