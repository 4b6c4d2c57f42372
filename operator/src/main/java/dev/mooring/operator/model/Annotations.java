package dev.mooring.operator.model;

/** Annotation keys Mooring writes. */
public final class Annotations {
    /** Hash of the rendered pod template, on the Deployment, its template, and so on every ReplicaSet and pod. */
    public static final String REVISION = "mooring.dev/revision";
    /** On the pod template: a hash of the referenced Secrets' and ConfigMaps' data, so a rotation is a new revision. */
    public static final String REFERENCED_DATA = "mooring.dev/referenced-data";

    /** On a verification Job: the hash of the verification settings it checks (VerificationJob.check). */
    public static final String VERIFICATION_CHECK = "mooring.dev/verification-check";
    /** On a verification Job: which attempt at its revision and check it is. */
    public static final String VERIFICATION_ATTEMPT = "mooring.dev/verification-attempt";

    private Annotations() {
    }
}
