package dev.mooring.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Optional;

/**
 * An object Mooring would create already exists and belongs to someone else. Mooring never adopts: it leaves the
 * object untouched and says whose it is, so that one tenant's McpServer cannot take over another's Deployment.
 */
public final class NameInUse extends RuntimeException {

    public NameInUse(HasMetadata existing) {
        super(existing.getKind() + " " + existing.getMetadata().getNamespace() + "/" + existing.getMetadata().getName()
                + " exists and " + owner(existing) + "; Mooring does not take over what it did not create: rename the McpServer or remove that "
                + existing.getKind(), null, false, false);
    }

    /** Throws unless {@code existing} is controlled by the owner {@code desired} names (its controller reference). */
    public static void requireSameController(HasMetadata desired, HasMetadata existing) {
        Optional<String> wanted = controller(desired).map(OwnerReference::getUid);
        if (wanted.isPresent() && !wanted.equals(controller(existing).map(OwnerReference::getUid))) {
            throw new NameInUse(existing);
        }
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }

    private static String owner(HasMetadata existing) {
        return controller(existing).map(o -> "is controlled by " + o.getKind() + " " + o.getName()).orElse("has no controller");
    }
}
