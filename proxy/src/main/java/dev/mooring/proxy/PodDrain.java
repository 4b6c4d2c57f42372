package dev.mooring.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may drain the pod, and when a drain is over: the admin port's /drain, the {@link Drainer} it runs, and what
 * ends that drain when the pod turns out not to be terminating (its server started again, or the grace period passed).
 */
final class PodDrain {
    private final Vertx vertx;
    private final Traffic traffic;
    private final ProxyMetrics metrics;
    private final ProxyConfig config;
    private final RestartWatch restartWatch;
    /** A new one once a drain is over without the pod going away. */
    private volatile Drainer drainer;

    PodDrain(Vertx vertx, Traffic traffic, ProxyMetrics metrics, ProxyConfig config, NetClient tcp) {
        this.vertx = vertx;
        this.traffic = traffic;
        this.metrics = metrics;
        this.config = config;
        this.drainer = new Drainer(vertx, traffic, metrics, config);
        this.restartWatch = new RestartWatch(vertx, tcp, config.upstreamPort(), this::serverRestarted);
    }

    boolean draining() {
        return drainer.draining();
    }

    /** GET /drain: answered once the pod is drained, so that the kubelet sends SIGTERM to a server with nothing in flight. */
    void handle(HttpServerRequest request) {
        if (!fromPreStop(request)) {
            request.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error", "a drain needs the pod's preStop token in " + MooringProxy.DRAIN_TOKEN_HEADER)
                            .encode() + "\n");
            return;
        }
        Drainer current = drainer;
        if (!current.draining()) {
            vertx.setTimer(config.gracePeriod().toMillis(), id -> expired(current));
        }
        current.drain().onSuccess(summary -> {
            restartWatch.start();
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(summary.encode() + "\n");
        });
    }

    /**
     * A drain takes the pod out of its Service until the pod is gone, so only the pod's own preStop may start one: it
     * sends the token the operator gave this proxy (the server container cannot read the proxy's environment). A proxy
     * given none, the image run by hand, drains for anyone who reaches its admin port.
     */
    private boolean fromPreStop(HttpServerRequest request) {
        if (config.drainToken() == null) {
            return true;
        }
        String sent = request.getHeader(MooringProxy.DRAIN_TOKEN_HEADER);
        return sent != null && MessageDigest.isEqual(config.drainToken().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The kubelet kills every container of a terminating pod when its grace period ends: a proxy still running then was
     * drained by a preStop that was not the pod's termination, such as a container restart whose new server listened
     * before {@link RestartWatch} saw the old one stop. Left draining, the pod would stay out of its Service for good,
     * so it serves again as after a server restart.
     */
    private void expired(Drainer expired) {
        if (drainer != expired) {
            return;
        }
        serveAgain(new JsonObject().put("event", "drain-expired").put("gracePeriodMs", config.gracePeriod().toMillis())
                .put("message", "the pod outlived its grace period after the drain began, so it is not terminating: it serves again"));
    }

    private void serverRestarted() {
        serveAgain(new JsonObject().put("event", "server-restarted")
                .put("message", "the server container started again in this pod: the drain its preStop began is over"));
    }

    /** The drain is over without the pod going away: a fresh Drainer, for the preStop of the pod's real termination. */
    private void serveAgain(JsonObject why) {
        drainer = new Drainer(vertx, traffic, metrics, config);
        System.out.println(why.encode());
    }
}
