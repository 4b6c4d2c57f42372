package dev.mooring.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Optional;

/**
 * Whether an object is one Mooring made for an McpServer, decided before the operator's caches keep it: labels are
 * not ownership (anyone who may create a ConfigMap may copy them), so what counts is the controller reference and
 * the one name Mooring gives that kind of child. A tenant who spoofs both can make the operator keep at most the
 * one object per server and kind it would keep anyway.
 */
public final class Ownership {
    private static final String GROUP = "mooring.dev/";
    private static final String SERVER_KIND = "McpServer";

    private Ownership() {
    }

    /** A Deployment, Service, PodDisruptionBudget, NetworkPolicy, Job or ConfigMap of an McpServer. */
    public static boolean child(HasMetadata object) {
        Optional<String> server = controller(object).filter(owner -> SERVER_KIND.equals(owner.getKind())
                && owner.getApiVersion() != null && owner.getApiVersion().startsWith(GROUP)).map(OwnerReference::getName);
        String name = object.getMetadata().getName();
        return server.filter(owner -> {
            if (object instanceof ConfigMap) {
                return name.equals(owner + "-" + PreTrafficCheck.COMPONENT);
            }
            return object instanceof Job ? name.startsWith(VerificationJob.prefix(owner)) : name.equals(owner);
        }).isPresent();
    }

    /** A pod of a server's ReplicaSets (named after its Deployment) or of one of its verification Jobs. */
    public static boolean pod(Pod pod) {
        String server = instance(pod);
        return server != null && controller(pod).filter(owner -> switch (owner.getKind()) {
            case "ReplicaSet" -> "apps/v1".equals(owner.getApiVersion()) && owner.getName().startsWith(server + "-");
            case "Job" -> "batch/v1".equals(owner.getApiVersion()) && owner.getName().startsWith(VerificationJob.prefix(server));
            default -> false;
        }).isPresent();
    }

    /** An EndpointSlice of a server's Service (the EndpointSlice controller makes the Service its controller). */
    public static boolean endpointSlice(EndpointSlice slice) {
        String server = instance(slice);
        return server != null && controller(slice)
                .filter(owner -> "Service".equals(owner.getKind()) && "v1".equals(owner.getApiVersion()) && server.equals(owner.getName()))
                .isPresent();
    }

    private static String instance(HasMetadata object) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(Labels.INSTANCE);
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : object.getMetadata().getOwnerReferences().stream().filter(owner -> Boolean.TRUE.equals(owner.getController())).findFirst();
    }
}
