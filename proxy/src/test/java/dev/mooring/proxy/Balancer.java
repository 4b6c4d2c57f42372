package dev.mooring.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Service in front of replicas, as kube-proxy balances it: each client connection goes to the next replica in
 * turn, and every byte of it to that replica (connections are balanced, not calls).
 */
final class Balancer implements AutoCloseable {
    private final NetClient client;
    private final NetServer server;

    Balancer(Vertx vertx, int... ports) throws Exception {
        client = vertx.createNetClient();
        AtomicInteger next = new AtomicInteger();
        server = vertx.createNetServer().connectHandler(in -> {
            in.pause();
            client.connect(ports[next.getAndIncrement() % ports.length], "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    in.close();
                    return;
                }
                ar.result().pipeTo(in);
                in.pipeTo(ar.result());
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        client.close();
    }
}
