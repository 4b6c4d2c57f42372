package dev.mooring.operator.cluster;

import dev.mooring.operator.e2e.InClusterOperator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Installs the committed CRD before the operator under test starts, as a user's install would, and makes sure
 * it is the only operator: one installed in the cluster (by `make demo` or the end-to-end tests) would
 * reconcile the same McpServers and the tests would measure two operators at once. It is scaled back when the
 * operator under test stops, so the suite leaves the cluster as it found it.
 */
public class CrdInstalled implements QuarkusTestResourceLifecycleManager {
    private int scaledFrom;

    @Override
    public Map<String, String> start() {
        try (var client = TestCluster.client()) {
            TestCluster.installCrd(client);
            var installed = client.apps().deployments().inNamespace(InClusterOperator.NAMESPACE).withName(InClusterOperator.NAME);
            var deployment = installed.get();
            if (deployment != null && deployment.getSpec().getReplicas() != null && deployment.getSpec().getReplicas() > 0) {
                System.out.println("scaling " + InClusterOperator.NAMESPACE + "/" + InClusterOperator.NAME + " to 0 while the operator under test runs");
                scaledFrom = deployment.getSpec().getReplicas();
                installed.scale(0, true);
            }
        }
        return Map.of();
    }

    @Override
    public void stop() {
        if (scaledFrom > 0) {
            try (var client = TestCluster.client()) {
                client.apps().deployments().inNamespace(InClusterOperator.NAMESPACE).withName(InClusterOperator.NAME).scale(scaledFrom);
            }
        }
    }
}
