package dev.mooring.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;

/**
 * Whether the server behind the proxy can take calls: its own health path answers 2xx when it has one, else
 * its port accepts a TCP connection. The kubelet asks the proxy every second (so a pod turns ready within a second
 * of passing its MCP check); the server itself is asked at most once per health.periodSeconds, as without the proxy.
 */
final class UpstreamReadiness {
    private static final int TIMEOUT_MILLIS = 2_000;

    private final ProxyConfig config;
    private final HttpClient http;
    private final NetClient tcp;
    private Future<Void> last;
    private long lastAskedNanos;

    UpstreamReadiness(ProxyConfig config, HttpClient http, NetClient tcp) {
        this.config = config;
        this.http = http;
        this.tcp = tcp;
    }

    /** The server's answer, asked again once the last one is older than its health period. Event loop only. */
    Future<Void> check() {
        long now = System.nanoTime();
        if (last == null || now - lastAskedNanos >= config.healthPeriod().toNanos()) {
            last = checkNow();
            lastAskedNanos = now;
        }
        return last;
    }

    /** Succeeds when ready; fails with the reason otherwise. */
    Future<Void> checkNow() {
        if (config.healthPath() == null) {
            return tcp.connect(config.upstreamPort(), MooringProxy.LOOPBACK)
                    .recover(e -> Future.failedFuture("the server does not accept connections on 127.0.0.1:" + config.upstreamPort() + ": " + e.getMessage()))
                    .compose(socket -> socket.close());
        }
        String target = "http://127.0.0.1:" + config.healthPort() + config.healthPath();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(MooringProxy.LOOPBACK)
                .setPort(config.healthPort()).setURI(config.healthPath()).setTimeout(TIMEOUT_MILLIS);
        return http.request(request)
                .compose(r -> r.send())
                .recover(e -> Future.failedFuture(target + " did not answer: " + e.getMessage()))
                .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2 ? Future.succeededFuture()
                        : Future.failedFuture(target + " answered " + response.statusCode())));
    }
}
