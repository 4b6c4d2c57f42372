package dev.mooring.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the condition list of a new status from the previous one, so that lastTransitionTime moves
 * only when a condition's status flips. A status whose conditions are unchanged is then equal to the
 * previous one, and nothing is written.
 */
final class Conditions {
    private final List<Condition> previous;
    private final long generation;
    private final String now;
    private final List<Condition> result = new ArrayList<>();

    Conditions(List<Condition> previous, long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    Conditions set(ConditionType type, boolean status, String reason, String message) {
        return set(type, status ? "True" : "False", reason, message);
    }

    /** @param value "True", "False" or "Unknown" */
    Conditions set(ConditionType type, String value, String reason, String message) {
        String since = previous.stream()
                .filter(c -> type.name().equals(c.getType()) && value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(now);
        result.add(new ConditionBuilder()
                .withType(type.name())
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return this;
    }

    /** Carries a condition over as it was. */
    Conditions keep(Condition condition) {
        result.add(condition);
        return this;
    }

    List<Condition> build() {
        return result;
    }
}
