package dev.mooring.proxy;

import dev.mooring.smoke.SmokeCheck;
import dev.mooring.smoke.SmokeReport;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the MCP check against the server on 127.0.0.1 until the {@link StartupGate} opens: mcp-smoke's check (the
 * one MCP client of Mooring), then the server's own readiness (health path or TCP), both needed. Runs on its own
 * thread: the check is blocking code and the event loop must keep forwarding.
 */
final class StartupCheck implements Runnable {
    private final Path settingsFile;
    private final StartupGate gate;
    private final UpstreamReadiness readiness;
    private final Clock clock;

    StartupCheck(Path settingsFile, StartupGate gate, UpstreamReadiness readiness, Clock clock) {
        this.settingsFile = settingsFile;
        this.gate = gate;
        this.readiness = readiness;
        this.clock = clock;
    }

    void start() {
        Thread thread = new Thread(this, "mcp-check");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (!gate.passed()) {
            StartupGate.Attempt attempt = attempt();
            StartupGate.State state = gate.record(attempt, clock.instant());
            System.out.println(new JsonObject().put("event", "mcp-check").put("state", state.name().toLowerCase())
                    .put("check", attempt.check()).put("error", attempt.error())
                    .put("report", attempt.report() == null ? null : new JsonObject(attempt.report())).encode());
            if (state == StartupGate.State.PASSED) {
                return;
            }
            try {
                Thread.sleep(gate.pause(attempt).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    StartupGate.Attempt attempt() {
        Optional<CheckSettings> settings;
        try {
            settings = CheckSettings.read(settingsFile);
        } catch (CheckSettings.Unreadable e) {
            return new StartupGate.Attempt(null, true, e.getMessage(), null);
        }
        if (settings.isEmpty()) {
            // No check before traffic (spec.verification.beforeTraffic false): readiness is the server's own.
            return new StartupGate.Attempt("", true, null, null);
        }
        CheckSettings check = settings.get();
        Duration budget = gate.attemptBudget(check.options().timeout(), clock.instant());
        SmokeReport report = new SmokeCheck(check.options().withTimeout(budget)).run();
        StartupGate.Attempt mcp = new StartupGate.Attempt(check.check(), report.reached(), report.error(), report.toJsonWithin(4096));
        return mcp.passed() ? serverReady(mcp) : mcp;
    }

    /** MCP answered as asked; the pod is ready only if the server's own readiness agrees. */
    private StartupGate.Attempt serverReady(StartupGate.Attempt mcp) {
        try {
            readiness.checkNow().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            return mcp;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new StartupGate.Attempt(mcp.check(), true, "the MCP check passed but the server is not ready: "
                    + cause.getMessage(), mcp.report());
        }
    }
}
