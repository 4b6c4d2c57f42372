package dev.mooring.operator.status;

import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Explains, in words, why pods of a revision are not serving. */
public final class PodDiagnosis {
    /** Container states that do not heal by waiting. */
    public static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    /** @param stuck whether the problem needs a change to go away (Degraded) rather than time (Progressing) */
    public record Finding(String reason, String message, boolean stuck) {
    }

    private PodDiagnosis() {
    }

    public static Optional<Finding> of(Collection<Pod> pods, String revision, String readinessCheck) {
        return pods.stream()
                .filter(p -> revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION)))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> diagnose(p, readinessCheck))
                .flatMap(Optional::stream)
                .min(Comparator.comparing(f -> !f.stuck()));
    }

    static Optional<Finding> diagnose(Pod pod, String readinessCheck) {
        String name = pod.getMetadata().getName();
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        Optional<PodCondition> unschedulable = status.getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst();
        if (unschedulable.isPresent()) {
            return Optional.of(new Finding("Unschedulable",
                    "pod " + name + " cannot be scheduled: " + unschedulable.get().getMessage(), false));
        }
        // The Mooring proxy is an init container (a native sidecar): its status sits beside the server's.
        List<ContainerStatus> containers = new ArrayList<>(status.getInitContainerStatuses());
        containers.addAll(status.getContainerStatuses());
        for (ContainerStatus container : containers) {
            var waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && STUCK.contains(waiting.getReason())) {
                return Optional.of(new Finding(waiting.getReason(), "pod " + name + ": container " + container.getName()
                        + " is waiting: " + waiting.getReason() + messageSuffix(waiting.getMessage()), true));
            }
            var running = container.getState() == null ? null : container.getState().getRunning();
            if (running != null && !Boolean.TRUE.equals(container.getReady()) && Boolean.TRUE.equals(container.getStarted())) {
                return Optional.of(new Finding("NotReady", "pod " + name + " is running but not ready: its readiness probe "
                        + readinessCheck + " does not pass", false));
            }
        }
        return Optional.empty();
    }

    private static String messageSuffix(String message) {
        return message == null || message.isBlank() ? "" : " (" + message + ")";
    }
}
