package dev.mooring.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The drain contract. Once started (SIGTERM or SIGINT): /health answers 503, new sessions are refused,
 * calls in flight finish, and the process exits, 0 when everything finished before DRAIN_TIMEOUT_MS and
 * 1 when the deadline cut work off (open streams are closed by the shutdown that follows).
 */
@Singleton
public class Drain {
    private static final Logger LOG = Logger.getLogger(Drain.class);
    static final int EXIT_CUT = 1;
    private static final Duration FLUSH = Duration.ofMillis(200);

    private final Duration timeout;
    private final ConnectionManager connections;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** MCP POSTs whose response has not been written yet: a call is done only once its answer left. */
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicLong finishedDuringDrain = new AtomicLong();
    private final MeterRegistry registry;

    public Drain(@ConfigProperty(name = "drain.timeout-ms", defaultValue = "25000") long timeoutMs,
                 ConnectionManager connections, MeterRegistry registry) {
        this.timeout = Duration.ofMillis(timeoutMs);
        this.connections = connections;
        this.registry = registry;
        Gauge.builder("mcp.inflight.calls", inFlight, AtomicInteger::get).description("Tool calls being served").register(registry);
        Gauge.builder("mcp.sessions", this, Drain::sessions).description("Open MCP sessions").register(registry);
        Gauge.builder("mcp.draining", draining, d -> d.get() ? 1 : 0).description("1 while the server drains").register(registry);
    }

    public boolean draining() {
        return draining.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int sessions() {
        int count = 0;
        for (var ignored : connections) {
            count++;
        }
        return count;
    }

    /** Runs a tool call, counted as in flight so that a drain waits for it. */
    public <T> T call(String tool, Supplier<T> body) {
        inFlight.incrementAndGet();
        String outcome = "error";
        try {
            T result = body.get();
            outcome = "ok";
            return result;
        } finally {
            inFlight.decrementAndGet();
            if (draining.get()) {
                finishedDuringDrain.incrementAndGet();
            }
            Counter.builder("mcp.tool.calls").tag("tool", tool).tag("outcome", outcome)
                    .description("Tool calls by tool and outcome").register(registry).increment();
        }
    }

    /** Counts an MCP exchange until its response is written; returns what to call when it is. */
    public Runnable exchangeStarted() {
        exchanges.incrementAndGet();
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                exchanges.decrementAndGet();
            }
        };
    }

    /** Starts the drain once; later signals change nothing. */
    public void start(String signal) {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        Thread drainer = new Thread(() -> run(signal), "drain");
        drainer.setDaemon(false);
        drainer.start();
    }

    private void run(String signal) {
        int sessionsAtStart = sessions();
        int callsAtStart = inFlight.get();
        LOG.infof("SIG%s: draining %d sessions and %d calls in flight, for up to %d ms", signal, sessionsAtStart, callsAtStart, timeout.toMillis());
        Instant deadline = Instant.now().plus(timeout);
        while ((inFlight.get() > 0 || exchanges.get() > 0) && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(20));
        }
        // Answers on legacy SSE streams are written after the call returns, outside any POST.
        sleep(FLUSH);
        int cut = inFlight.get();
        String outcome = cut == 0 ? "drained" : "deadline";
        Counter.builder("mcp.drains").tag("outcome", outcome).description("Drains by outcome").register(registry).increment();
        MDC.put("drain.outcome", outcome);
        MDC.put("drain.sessionsAtStart", Integer.toString(sessionsAtStart));
        MDC.put("drain.callsAtStart", Integer.toString(callsAtStart));
        MDC.put("drain.callsFinished", Long.toString(finishedDuringDrain.get()));
        MDC.put("drain.callsCut", Integer.toString(cut));
        MDC.put("drain.sessionsClosed", Integer.toString(sessions()));
        LOG.infof("drain %s: %d sessions and %d calls at start, %d calls finished, %d cut", outcome, sessionsAtStart,
                callsAtStart, finishedDuringDrain.get(), cut);
        MDC.clear();
        Quarkus.asyncExit(cut == 0 ? 0 : EXIT_CUT);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
