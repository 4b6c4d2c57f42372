package dev.mooring.operator.api.v1alpha1.spec;

public enum SessionHandoffMode {
    /** The proxy gives clients sealed session tokens and opens a session again on any replica by replaying initialize. */
    Reinitialize,
    /** Sessions stay where the server opened them (for state a new session cannot rebuild). */
    Off
}
