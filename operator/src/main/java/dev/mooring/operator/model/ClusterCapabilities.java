package dev.mooring.operator.model;

/**
 * What the API server Mooring talks to supports, where the pods it renders depend on it.
 *
 * @param nativeSleepAction whether preStop can use the lifecycle sleep action (beta and on by default
 *                          since Kubernetes 1.30); otherwise preStop runs {@code sleep} in the container
 * @param nativeSidecars    whether init containers with restartPolicy Always run as sidecars (on by default
 *                          since Kubernetes 1.29); the Mooring proxy needs them
 */
public record ClusterCapabilities(boolean nativeSleepAction, boolean nativeSidecars) {

    public static ClusterCapabilities forVersion(int major, int minor) {
        return new ClusterCapabilities(atLeast(major, minor, 30), atLeast(major, minor, 29));
    }

    private static boolean atLeast(int major, int minor, int wantedMinor) {
        return major > 1 || (major == 1 && minor >= wantedMinor);
    }
}
