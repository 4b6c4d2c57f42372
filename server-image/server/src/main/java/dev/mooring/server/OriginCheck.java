package dev.mooring.server;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The MCP transport's rule against DNS rebinding: a request that carries an Origin (a browser's) is served only
 * when that origin is the server's own (the Host it was asked for) or listed in MCP_ALLOWED_ORIGINS, else
 * 403. Agents and other non-browser clients send no Origin and are not affected. `*` in the list turns the
 * check off.
 */
public class OriginCheck {
    private final List<String> allowed;

    public OriginCheck(@ConfigProperty(name = "mcp.allowed-origins") Optional<String> allowed) {
        this.allowed = allowed.map(a -> Arrays.stream(a.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    @RouteFilter(200)
    void checkOrigin(RoutingContext rc) {
        String origin = rc.request().getHeader("Origin");
        if (origin == null || !rc.normalizedPath().startsWith("/mcp") || allows(origin, rc.request().getHeader("Host"))) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Origin not allowed; list it in MCP_ALLOWED_ORIGINS\"}}");
    }

    boolean allows(String origin, String host) {
        if (allowed.contains("*") || allowed.contains(origin)) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && uri.getHost() != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
