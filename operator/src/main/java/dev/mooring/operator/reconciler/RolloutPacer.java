package dev.mooring.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds how many servers roll out a new revision at once, so that a change applied to a whole fleet (one commit
 * that Argo CD syncs to every McpServer, a new operator version that renders pods differently) surges a few servers
 * at a time instead of every server in the same minute. A server takes a slot to roll out and gives it back once the
 * revision serves verified, is rolled back, or is stuck; a slot of a server that no longer exists is taken back when
 * it is wanted, and one never given back expires. One namespace holds at most a share of each kind's slots, so that a
 * tenant whose rollouts hang (a progress deadline of a day) cannot queue every other tenant's.
 */
@Singleton
public class RolloutPacer {
    /** Longer than any rollout and its verification should take; only a leak lasts this long. */
    static final Duration SLOT_EXPIRY = Duration.ofMinutes(30);

    /** Why a server rolls out, each with its own slots. */
    public enum Kind {
        /** Its spec changed. */
        SPEC_CHANGE("Queued", "servers roll out spec changes now (rollout.concurrent)"),
        /** Mooring renders its unchanged spec differently: nobody asked for it, so fewer at once. */
        UPGRADE("QueuedUpgrade", "servers roll out revisions of a Mooring upgrade now (rollout.concurrentUnrequested)");

        /** The reason of Progressing=True while the server waits. */
        public final String reason;
        private final String inUse;

        Kind(String reason, String inUse) {
            this.reason = reason;
            this.inUse = inUse;
        }
    }

    /** A server waiting for a slot: the reason and message its Progressing condition shows. */
    public record Wait(String reason, String message) {
    }

    private final Clock clock;
    private final int perNamespace;
    private final Map<Kind, Integer> slots = new EnumMap<>(Kind.class);
    private final Map<Kind, Map<ResourceID, Instant>> taken = new EnumMap<>(Kind.class);

    public RolloutPacer(@ConfigProperty(name = "mooring.rollout.concurrent", defaultValue = "20") int specChanges,
                        @ConfigProperty(name = "mooring.rollout.concurrent-unrequested", defaultValue = "3") int upgrades,
                        @ConfigProperty(name = "mooring.rollout.concurrent-per-namespace", defaultValue = "5") int perNamespace,
                        Clock clock) {
        this.clock = clock;
        this.perNamespace = Math.max(1, perNamespace);
        slots.put(Kind.SPEC_CHANGE, Math.max(1, specChanges));
        slots.put(Kind.UPGRADE, Math.max(1, upgrades));
        for (Kind kind : Kind.values()) {
            taken.put(kind, new LinkedHashMap<>());
        }
    }

    /**
     * Takes a slot of that kind for the server, or says why it waits; a server that holds a slot keeps it across
     * reconciles. Slots of servers {@code exists} no longer knows are taken back first.
     */
    public synchronized Optional<Wait> tryAcquire(ResourceID server, Kind kind, String revision, Predicate<ResourceID> exists) {
        Instant now = clock.instant();
        Map<ResourceID, Instant> holders = taken.get(kind);
        if (taken.values().stream().anyMatch(h -> h.containsKey(server))) {
            return Optional.empty();
        }
        holders.values().removeIf(since -> since.plus(SLOT_EXPIRY).isBefore(now));
        if (holders.size() >= slots.get(kind)) {
            holders.keySet().removeIf(exists.negate());
        }
        if (holders.size() >= slots.get(kind)) {
            return Optional.of(new Wait(kind.reason, "revision " + revision + " waits for a rollout slot: "
                    + holders.size() + " of " + slots.get(kind) + " " + kind.inUse));
        }
        String namespace = server.getNamespace().orElse("");
        long neighbours = holders.keySet().stream().filter(holder -> namespace.equals(holder.getNamespace().orElse(""))).count();
        if (neighbours >= perNamespace) {
            return Optional.of(new Wait(kind.reason, "revision " + revision + " waits for a rollout slot: " + neighbours + " servers of namespace "
                    + namespace + " hold its share of " + Math.min(perNamespace, slots.get(kind)) + " (rollout.concurrentPerNamespace)"));
        }
        holders.put(server, now);
        return Optional.empty();
    }

    public synchronized void release(ResourceID server) {
        taken.values().forEach(holders -> holders.remove(server));
    }

    public synchronized int inUse(Kind kind) {
        return taken.get(kind).size();
    }
}
