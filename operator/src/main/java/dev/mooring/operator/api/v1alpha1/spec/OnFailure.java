package dev.mooring.operator.api.v1alpha1.spec;

/** What Mooring does when a new revision fails its smoke check. */
public enum OnFailure {
    /** Put the last verified revision back. */
    Rollback,
    /** Leave the failed revision serving and report it as Degraded. */
    Hold
}
