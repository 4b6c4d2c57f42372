package dev.mooring.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.net.ConnectException;

/**
 * Ends a drain when the server container starts again. The kubelet runs the server's preStop (the proxy's drain)
 * not only when the pod goes away but also when it restarts the container after a failed liveness or startup
 * probe; left draining, the proxy would keep that pod unready for good. A terminating pod never restarts a
 * container, so a server that stopped listening after the drain began and listens again is a new process in a pod
 * that stays, and is served as a new pod's server is. The watch begins when the drain is over (the kubelet sends
 * SIGTERM right then), and only a refused connection counts as stopped: a server too busy to accept (a full backlog
 * times out) is still the one that was drained.
 */
final class RestartWatch {
    static final long PERIOD_MILLIS = 500;

    private final Vertx vertx;
    private final NetClient tcp;
    private final int port;
    private final Runnable onRestart;
    private boolean watching;
    private boolean stopped;

    RestartWatch(Vertx vertx, NetClient tcp, int port, Runnable onRestart) {
        this.vertx = vertx;
        this.tcp = tcp;
        this.port = port;
        this.onRestart = onRestart;
    }

    /** Starts watching unless it is watching already: after each drain. */
    void start() {
        if (!watching) {
            watching = true;
            stopped = false;
            vertx.setTimer(PERIOD_MILLIS, id -> look());
        }
    }

    private void look() {
        tcp.connect(port, MooringProxy.LOOPBACK).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().close();
                if (stopped) {
                    watching = false;
                    onRestart.run();
                    return;
                }
            } else if (ar.cause() instanceof ConnectException && !(ar.cause() instanceof ConnectTimeoutException)) {
                stopped = true;
            }
            vertx.setTimer(PERIOD_MILLIS, id -> look());
        });
    }
}
