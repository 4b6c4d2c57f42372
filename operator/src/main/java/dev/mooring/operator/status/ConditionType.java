package dev.mooring.operator.status;

/** The conditions an McpServer reports, in the order they are listed. */
public enum ConditionType {
    /** Pods of the current revision serve (and, once verification exists, passed it). */
    Ready,
    /** A rollout is under way. */
    Progressing,
    /** The last smoke check of the serving revision. */
    Verified,
    /** Something needs a human: a rollout that cannot finish, pods that cannot start. */
    Degraded
}
