package dev.mooring.operator.cluster;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Installs the committed CRD before the operator under test starts, as a user's install would. */
public class CrdInstalled implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        try (var client = TestCluster.client()) {
            TestCluster.installCrd(client);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
