package dev.mooring.server;

import io.quarkus.vertx.web.Route;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpMethod;
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
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{\"status\":\"alive\"}");
    }

    /**
     * While draining, a request that would open a session (a POST without Mcp-Session-Id, or a new SSE
     * stream) gets 503 with Retry-After, so the client retries on a pod that is not going away.
     */
    @RouteFilter(100)
    void refuseNewSessionsWhileDraining(RoutingContext rc) {
        if (drain.draining() && opensSession(rc)) {
            rc.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"server is draining: open the session on another replica\"}");
            return;
        }
        if (rc.request().method() == HttpMethod.POST && rc.normalizedPath().startsWith("/mcp")) {
            Runnable ended = drain.exchangeStarted();
            rc.addEndHandler(result -> ended.run());
        }
        rc.next();
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
