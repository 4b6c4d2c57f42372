package dev.mooring.operator.model;

/** Annotation keys Mooring writes. */
public final class Annotations {
    /** Hash of the rendered pod template, on the Deployment, its template, and so on every ReplicaSet and pod. */
    public static final String REVISION = "mooring.dev/revision";

    private Annotations() {
    }
}
