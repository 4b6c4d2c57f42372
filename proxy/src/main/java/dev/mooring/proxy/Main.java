package dev.mooring.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/** Starts the proxy from its environment; exits 1 with the reason when it cannot listen or is misconfigured. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ProxyConfig config;
        try {
            config = ProxyConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("mooring-proxy: " + e.getMessage());
            System.exit(1);
            return;
        }
        long started = System.nanoTime();
        // One event loop: the proxy's work is forwarding bytes, and one loop keeps its state single-threaded.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        MooringProxy proxy = new MooringProxy(vertx, config);
        try {
            proxy.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("mooring-proxy: cannot listen: " + e.getMessage());
            System.exit(1);
        }
        System.out.println(proxy.describe().put("startupMs", (System.nanoTime() - started) / 1_000_000).encode());
        // The kubelet stops the sidecar after the server has exited: nothing is left to drain by then.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }));
    }
}
