package dev.mooring.operator.model;

import java.time.Duration;
import java.time.Instant;

/**
 * When the session key of a server changes, in two steps so that no proxy meets a token it cannot open: first the
 * new key is added to the Secret (every proxy accepts it once the kubelet has updated the mounted files), then, after
 * {@link #STAGE}, it becomes the sealing key and keys older than the previous one are removed. A token therefore
 * opens for at least one rotation period after it was issued. Pure: the state lives in the McpServer's status.
 *
 * @param sealing   the key tokens are sealed with
 * @param sealingAt since when
 * @param staged    a key added but not yet sealing, or null
 * @param stagedAt  since when
 */
public record SessionKeyRotation(String sealing, Instant sealingAt, String staged, Instant stagedAt) {
    /** Longer than the kubelet takes to update a mounted Secret (its sync period, a minute, plus its cache). */
    public static final Duration STAGE = Duration.ofMinutes(5);

    public enum Step { NONE, STAGE, PROMOTE }

    public Step next(Instant now, Duration period) {
        if (staged != null) {
            return now.isBefore(stagedAt.plus(STAGE)) ? Step.NONE : Step.PROMOTE;
        }
        return sealingAt == null || now.isBefore(sealingAt.plus(period)) ? Step.NONE : Step.STAGE;
    }

    /** When the next step is due. */
    public Instant dueAt(Duration period) {
        return staged != null ? stagedAt.plus(STAGE) : sealingAt.plus(period);
    }

    /** A key's id: its creation time in seconds, base 36, so ids sort by age and never repeat within a server. */
    public static String keyId(Instant now) {
        return Long.toString(now.getEpochSecond(), 36);
    }
}
