package dev.mooring.operator.model;

/**
 * What the API server Mooring talks to supports, where the pods it renders depend on it.
 *
 * @param nativeSleepAction whether preStop can use the lifecycle sleep action (beta and on by default
 *                          since Kubernetes 1.30); otherwise preStop runs {@code sleep} in the container
 */
public record ClusterCapabilities(boolean nativeSleepAction) {

    public static ClusterCapabilities forVersion(int major, int minor) {
        return new ClusterCapabilities(major > 1 || (major == 1 && minor >= 30));
    }
}
