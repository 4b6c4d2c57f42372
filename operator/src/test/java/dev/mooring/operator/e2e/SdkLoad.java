package dev.mooring.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.cluster.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load from the official MCP TypeScript SDK client (server-image/peers/load.mjs): one Client per worker, every
 * error a failed call, no retries. The figures are the client's own count, read when the load stops.
 */
final class SdkLoad implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long the first call of every worker may take: a cold server behind a NodePort answers within seconds. */
    private static final Duration WARM_TIMEOUT = Duration.ofMinutes(1);

    private final Process process;
    private final CompletableFuture<Void> warm = new CompletableFuture<>();
    private final CompletableFuture<String> lastLine = new CompletableFuture<>();
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
        Thread reader = new Thread(this::readLines, "sdk-load-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The load's output: {"warm":true} once every worker has had a call answered, then the figures when it stops. */
    private void readLines() {
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("{\"warm\":true}")) {
                    warm.complete(null);
                } else if (!line.isBlank()) {
                    last = line;
                }
            }
            lastLine.complete(last);
        } catch (IOException e) {
            lastLine.completeExceptionally(e);
        } finally {
            warm.completeExceptionally(new IllegalStateException("the load stopped before every worker had a call answered"));
        }
    }

    /**
     * Returns once every worker's first call has been answered, so that what a test changes next meets a running
     * load rather than clients still connecting.
     */
    SdkLoad awaitEveryWorkerServed() {
        try {
            warm.get(WARM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return this;
        } catch (TimeoutException e) {
            throw new IllegalStateException("not every worker of the TypeScript SDK load had a call answered within " + WARM_TIMEOUT);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
            String line = lastLine.get(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("the TypeScript SDK load printed no figures");
            }
            figures = JSON.readTree(line);
            return figures;
        } catch (IOException | ExecutionException | TimeoutException e) {
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
