package dev.mooring.operator.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Clients that keep calling tools through a Service until stopped: some quick `echo` calls, some `sleep`
 * calls long enough to be in flight when their pod is told to stop. Each worker has its own MCP session.
 */
final class LoadGenerator implements AutoCloseable {
    private final LoadFigures figures = new LoadFigures();
    private final ExecutorService workers;
    private final HttpClient http = McpSession.httpClient();
    private volatile boolean running = true;

    /** A pause between quick calls, so that a two-core machine serves the load and still runs the rollout. */
    private static final long THINK_TIME_MS = 20;

    LoadGenerator(URI endpoint, int quickWorkers, int slowWorkers, Duration slowCall) {
        workers = Executors.newFixedThreadPool(quickWorkers + slowWorkers);
        List<Runnable> loops = new ArrayList<>();
        for (int i = 0; i < quickWorkers; i++) {
            int worker = i;
            loops.add(() -> loop(endpoint, "echo", "{\"text\":\"worker " + worker + "\"}", false));
        }
        for (int i = 0; i < slowWorkers; i++) {
            loops.add(() -> loop(endpoint, "sleep", "{\"ms\":" + slowCall.toMillis() + "}", true));
        }
        loops.forEach(workers::submit);
    }

    private void loop(URI endpoint, String tool, String arguments, boolean slow) {
        McpSession session = new McpSession(http, endpoint, figures);
        while (running) {
            figures.calls.incrementAndGet();
            if (slow) {
                figures.longCalls.incrementAndGet();
            }
            try {
                session.callTool(tool, arguments);
                figures.succeeded.incrementAndGet();
                if (!slow) {
                    Thread.sleep(THINK_TIME_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                figures.failures.add(tool + ": " + e);
                session = new McpSession(http, endpoint, figures);
            }
        }
    }

    LoadFigures figures() {
        return figures;
    }

    /** Stops starting calls and waits for the ones in flight. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        workers.shutdown();
        if (!workers.awaitTermination(2, TimeUnit.MINUTES)) {
            workers.shutdownNow();
        }
    }
}
