package dev.mooring.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The drain any server gets: started by the server container's preStop (GET /drain), answered when the pod is
 * drained, so that the kubelet sends SIGTERM to a server with nothing left in flight. Nothing is refused on the
 * way: every response from then on says `Connection: close` and closes its connection, and connections idle longer
 * than clients are told to keep them are closed. After preStopDelay (while kube-proxy learns the pod is going,
 * everything is served as usual) the drain waits until no call, stream or client connection is left, up to the
 * drain timeout; streams still open at the deadline are ended cleanly.
 */
final class Drainer {
    private static final long TICK_MILLIS = 50;

    private final Vertx vertx;
    private final Traffic traffic;
    private final ProxyMetrics metrics;
    private final DrainClock clock;
    private final long idleMillis;
    private final boolean legacySse;
    private boolean standaloneStreamsEnded;
    private int standaloneStreams;
    private final Promise<JsonObject> drained = Promise.promise();
    private long timer;
    private int callsAtStart;
    private int streamsAtStart;
    private long finishedAtStart;
    private int connectionsClosed;
    private long connectionsAtStart;

    Drainer(Vertx vertx, Traffic traffic, ProxyMetrics metrics, ProxyConfig config) {
        this.vertx = vertx;
        this.traffic = traffic;
        this.metrics = metrics;
        this.clock = new DrainClock(config.preStopDelay(), config.drainTimeout());
        // Twice what clients are told: a client whose CPU is starved drops its idle connection late, and one closed
        // here while it sends on it fails the call.
        this.idleMillis = 2 * config.idleKeepAlive().toMillis();
        this.legacySse = config.legacySse();
    }

    boolean draining() {
        return clock.started();
    }

    /** Starts the drain if it has not started; completes with its summary when the pod is drained. */
    Future<JsonObject> drain() {
        if (clock.start(now())) {
            callsAtStart = traffic.inFlightCalls();
            connectionsAtStart = traffic.connectionsOpened();
            streamsAtStart = traffic.openStreams();
            finishedAtStart = traffic.finished();
            timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
            tick();
        }
        return drained.future();
    }

    private void tick() {
        long now = now();
        close(traffic.idleFor(idleMillis, now));
        // Drained once no client connection is left: each was told to close with a response, or stayed idle longer
        // than clients keep one (closing an idle one sooner could meet a call the client is sending on it).
        DrainClock.Phase phase = clock.phase(now, traffic.inFlightCalls() + traffic.openStreams() + traffic.connectionCount(),
                traffic.lastConnectedAt());
        if (phase == DrainClock.Phase.WAITING && !legacySse && !standaloneStreamsEnded) {
            // Kube-proxy has stopped sending new connections here by now: the client reopens its stream on another pod.
            standaloneStreamsEnded = true;
            List<Exchange> standalone = traffic.openStreamsNow().stream().filter(Exchange::isStandaloneStream).toList();
            standaloneStreams = standalone.size();
            standalone.forEach(Exchange::endStream);
            return;
        }
        switch (phase) {
            case DRAINED -> finish("drained");
            case DEADLINE -> {
                int cut = traffic.openStreams();
                traffic.openStreamsNow().forEach(Exchange::endStream);
                finish("deadline", cut);
            }
            default -> {
            }
        }
    }

    private void finish(String outcome) {
        finish(outcome, 0);
    }

    private void finish(String outcome, int streamsEnded) {
        if (drained.future().isComplete()) {
            return;
        }
        vertx.cancelTimer(timer);
        // Whoever is still connected and idle now would send the next call to a server about to get SIGTERM.
        close(traffic.idleFor(0, now()));
        JsonObject summary = new JsonObject()
                .put("event", "drain")
                .put("outcome", outcome)
                .put("durationMs", now() - clock.startedAt())
                .put("callsAtStart", callsAtStart)
                .put("streamsAtStart", streamsAtStart)
                .put("finished", traffic.finished() - finishedAtStart)
                .put("getStreamsEnded", standaloneStreams)
                .put("streamsEndedAtDeadline", streamsEnded)
                .put("callsUnfinished", traffic.inFlightCalls())
                .put("idleConnectionsClosed", connectionsClosed)
                // Connections kube-proxy still sent after the drain began, and the last one's time: when it comes
                // close to preStopDelay, the delay is too short for this cluster.
                .put("connectionsDuringDrain", traffic.connectionsOpened() - connectionsAtStart)
                .put("lastConnectionMs", traffic.connectionsOpened() == connectionsAtStart ? null
                        : traffic.lastConnectedAt() - clock.startedAt());
        metrics.drain(outcome);
        System.out.println(summary.encode());
        drained.complete(summary);
    }

    private void close(List<HttpConnection> connections) {
        for (HttpConnection connection : connections) {
            connection.close();
            connectionsClosed++;
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
