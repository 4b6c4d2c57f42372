package dev.mooring.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds how many servers roll out at once for reasons their owners did not write: a new operator version
 * that renders pods differently would otherwise surge every server of the fleet in the same minute. A server
 * takes a slot to roll out such a revision and gives it back once that revision serves verified; a slot not
 * given back (a server deleted mid-rollout) expires. Spec changes are never paced: their owner asked for them.
 */
@Singleton
public class RolloutPacer {
    /** Longer than any rollout and its verification should take; only a leak lasts this long. */
    static final Duration SLOT_EXPIRY = Duration.ofMinutes(30);

    private final int slots;
    private final Clock clock;
    private final Map<ResourceID, Instant> taken = new LinkedHashMap<>();

    public RolloutPacer(@ConfigProperty(name = "mooring.rollout.concurrent-unrequested", defaultValue = "3") int slots, Clock clock) {
        this.slots = Math.max(1, slots);
        this.clock = clock;
    }

    /** Whether the server may roll out now; true again for a server that holds a slot already. */
    public synchronized boolean tryAcquire(ResourceID server) {
        Instant now = clock.instant();
        taken.values().removeIf(since -> since.plus(SLOT_EXPIRY).isBefore(now));
        if (taken.containsKey(server)) {
            return true;
        }
        if (taken.size() >= slots) {
            return false;
        }
        taken.put(server, now);
        return true;
    }

    public synchronized void release(ResourceID server) {
        taken.remove(server);
    }

    public synchronized int inUse() {
        return taken.size();
    }

    public int slots() {
        return slots;
    }
}
