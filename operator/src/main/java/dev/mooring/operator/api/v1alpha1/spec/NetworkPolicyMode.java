package dev.mooring.operator.api.v1alpha1.spec;

public enum NetworkPolicyMode {
    /** Mooring keeps a NetworkPolicy that admits only the sources spec.network lists. */
    Default,
    /** No NetworkPolicy from Mooring: the namespace's own policies, if any, decide. */
    None
}
