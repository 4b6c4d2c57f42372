package dev.mooring.operator.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What the load generator counted: every call, how each ended, and what the client had to do on the way. */
final class LoadFigures {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong longCalls = new AtomicLong();
    final AtomicLong sessionRestarts = new AtomicLong();
    final AtomicLong retriesAfter503 = new AtomicLong();
    final AtomicLong connectRetries = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();

    @Override
    public String toString() {
        return "calls=" + calls + " succeeded=" + succeeded + " failed=" + failures.size() + " (long sleep calls=" + longCalls
                + ") sessionRestartsAfter404=" + sessionRestarts + " retriesAfter503=" + retriesAfter503
                + " refusedConnectsRetried=" + connectRetries;
    }
}
