package dev.mooring.operator.verify;

import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether a check through the Service can only reach one revision. The Deployment's status alone is not
 * enough: kube-proxy learns of new endpoints a moment later (a check then meets "connection refused"), and an
 * old pod in its preStop delay still answers connections that reach it. So the check waits until no pod of
 * another revision exists and the Service's EndpointSlices list ready pods of the revision, and no others.
 */
public final class ServiceRouting {
    /** Set by the EndpointSlice controller on every slice of a Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final int NAMED = 3;

    private ServiceRouting() {
    }

    /** Why the Service does not yet route to {@code revision} alone; empty once it does. */
    public static Optional<String> notRouted(String service, String revision, Collection<Pod> serverPods,
                                             Collection<EndpointSlice> slices) {
        List<String> others = serverPods.stream()
                .filter(p -> !revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION)))
                .filter(p -> !finished(p))
                .map(p -> p.getMetadata().getName()).sorted().toList();
        if (!others.isEmpty()) {
            return Optional.of("pods of an earlier revision still run: " + names(others));
        }
        Set<String> ours = serverPods.stream()
                .filter(p -> revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION)))
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        List<Endpoint> ready = slices.stream()
                .filter(s -> s.getMetadata().getLabels() != null && service.equals(s.getMetadata().getLabels().get(SERVICE_NAME_LABEL)))
                // A slice of a Service with no endpoints carries none at all (null), not an empty list.
                .flatMap(s -> s.getEndpoints() == null ? Stream.empty() : s.getEndpoints().stream())
                // Unset means ready, in the EndpointSlice API.
                .filter(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
                .toList();
        if (ready.isEmpty()) {
            return Optional.of("the EndpointSlices of Service " + service + " list no ready pod yet");
        }
        List<String> foreign = ready.stream()
                .map(e -> e.getTargetRef() == null ? String.valueOf(e.getAddresses()) : e.getTargetRef().getName())
                .filter(name -> !ours.contains(name)).sorted().toList();
        if (!foreign.isEmpty()) {
            return Optional.of("the EndpointSlices of Service " + service + " list endpoints of no pod of the revision: " + names(foreign));
        }
        return Optional.empty();
    }

    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static String names(List<String> names) {
        return names.size() <= NAMED ? String.join(", ", names)
                : String.join(", ", names.subList(0, NAMED)) + " and " + (names.size() - NAMED) + " more";
    }
}
