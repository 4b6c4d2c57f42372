package dev.mooring.operator.api.v1alpha1.spec;

/** Mirrors the container field of the same name. */
public enum ImagePullPolicy {
    Always, IfNotPresent, Never
}
