package dev.mooring.operator.api.v1alpha1.spec;

public enum SessionAffinity {
    /** ClientIP while several replicas serve a server that issues session ids (or may), None otherwise. */
    Auto,
    ClientIP,
    None
}
