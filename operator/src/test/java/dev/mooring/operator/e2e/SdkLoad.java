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
        this(endpoint, workers, "echo", "{\"text\":\"load\"}", "v2");
    }

    /** Workers calling this tool with these JSON arguments through SDK v1 or v2. */
    SdkLoad(URI endpoint, int workers, String tool, String argumentsJson, String sdk) {
        try {
            process = new ProcessBuilder("node", TestCluster.REPO.resolve("server-image/peers/load.mjs").toString(),
                    endpoint.toString(), Integer.toString(workers), tool, argumentsJson, sdk)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the TypeScript SDK load (run `make peers`)", e);
        }
    }

    /** One Client of the official TypeScript SDK (server-image/peers/client.mjs): connect, list tools, call echo. */
    static JsonNode oneClient(URI endpoint) {
        try {
            Process client = new ProcessBuilder("node", TestCluster.REPO.resolve("server-image/peers/client.mjs").toString(), endpoint.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!client.waitFor(1, TimeUnit.MINUTES)) {
                client.destroyForcibly();
                throw new IllegalStateException("the TypeScript SDK client did not finish within a minute");
            }
            return JSON.readTree(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the TypeScript SDK client (run `make peers`)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
