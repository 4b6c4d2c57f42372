package dev.mooring.server;

import io.quarkus.vertx.web.Route;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * /health for readiness, /livez for liveness, and the gate in front of /mcp: it refuses new sessions while
 * draining and counts every MCP exchange until its answer is written.
 */
public class HealthRoutes {
    static final String RETRY_AFTER_SECONDS = "1";

    private final Drain drain;
    private final Faults faults;

    public HealthRoutes(Drain drain, Faults faults) {
        this.drain = drain;
        this.faults = faults;
    }

    @Route(path = "/health", methods = Route.HttpMethod.GET, produces = "application/json")
    void health(RoutingContext rc) {
        boolean serving = !drain.draining() && !faults.failHealth();
        String state = drain.draining() ? "draining" : serving ? "serving" : "failing";
        rc.response().setStatusCode(serving ? 200 : 503).putHeader("Content-Type", "application/json")
                .end("{\"status\":\"" + state + "\",\"sessions\":" + drain.sessions() + ",\"inFlightCalls\":" + drain.inFlight() + "}");
    }

    @Route(path = "/livez", methods = Route.HttpMethod.GET, produces = "application/json")
    void livez(RoutingContext rc) {
        boolean alive = !faults.failLivez();
        rc.response().setStatusCode(alive ? 200 : 500).putHeader("Content-Type", "application/json")
                .end(alive ? "{\"status\":\"alive\"}" : "{\"status\":\"failing: fail-livez-once\"}");
    }

    /**
     * While draining, only what is already in flight goes on. A request that would open a session (a POST
     * without Mcp-Session-Id, or a new SSE stream) gets 503 with Retry-After; a new request on an existing
     * Streamable HTTP session gets 404, which the specification defines as "session terminated, start a new
     * one" (the request never ran, so the client may safely repeat it). Every answer while draining carries
     * `Connection: close`: the client's next request opens a new connection, which the Service routes to a
     * replica that stays, instead of returning to this one on a kept-alive connection until it exits.
     */
    @RouteFilter(100)
    void handOffWhileDraining(RoutingContext rc) {
        if (drain.draining() && rc.normalizedPath().startsWith("/mcp")) {
            if (rc.request().version() != HttpVersion.HTTP_2) {
                // HTTP/2 has no Connection header; its connections end with the GOAWAY sent at exit.
                rc.response().putHeader("Connection", "close");
            }
            if (opensSession(rc)) {
                refuse(rc, 503, "server is draining: open the session on another replica");
                return;
            }
            if (continuesSession(rc)) {
                refuse(rc, 404, "session terminated: this replica is draining; start a new session");
                return;
            }
        }
        if (continuesSession(rc) && rc.request().version() != HttpVersion.HTTP_2) {
            closeWhenSessionUnknown(rc);
        }
        if (rc.request().method() == HttpMethod.POST && rc.normalizedPath().startsWith("/mcp")) {
            Runnable ended = drain.exchangeStarted();
            rc.addEndHandler(result -> ended.run());
        }
        rc.next();
    }

    /**
     * A 404 for a session this replica does not know means the request reached the wrong replica: a client
     * pools connections, and one opened before a rollout can still lead to a replica that the Service no
     * longer routes new connections to. Closing that connection sends the client's next request through the
     * Service's current routing, instead of letting it alternate between replicas that each reject the
     * other's session.
     */
    private static void closeWhenSessionUnknown(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() == 404) {
                rc.response().putHeader("Connection", "close");
            }
        });
    }

    private static void refuse(RoutingContext rc, int status, String why) {
        rc.response().setStatusCode(status).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                .putHeader("Content-Type", "application/json").end("{\"error\":\"" + why + "\"}");
    }

    private static boolean continuesSession(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        return rc.normalizedPath().equals("/mcp") && rc.request().getHeader("Mcp-Session-Id") != null
                && (method == HttpMethod.POST || method == HttpMethod.GET);
    }

    private static boolean opensSession(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!path.startsWith("/mcp")) {
            return false;
        }
        if (rc.request().method() == HttpMethod.GET && path.equals("/mcp/sse")) {
            return true;
        }
        return rc.request().method() == HttpMethod.POST && path.equals("/mcp") && rc.request().getHeader("Mcp-Session-Id") == null;
    }
}
