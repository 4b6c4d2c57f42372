package dev.mooring.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.cluster.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Load from the official MCP TypeScript SDK client (server-image/peers/load.mjs): one Client per worker, every
 * error a failed call, no retries. The figures are the client's own count, read when the load stops.
 */
final class SdkLoad implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private JsonNode figures;

    SdkLoad(URI endpoint, int workers) {
        try {
            process = new ProcessBuilder("node", TestCluster.REPO.resolve("server-image/peers/load.mjs").toString(),
                    endpoint.toString(), Integer.toString(workers))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the TypeScript SDK load (run `make peers`)", e);
        }
    }

    /** Stops the workers (in-flight calls finish) and returns the client's figures. */
    JsonNode stop() {
        if (figures != null) {
            return figures;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the TypeScript SDK load did not stop within 2 minutes");
            }
            figures = JSON.readTree(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return figures;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the TypeScript SDK load's figures", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (figures == null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
