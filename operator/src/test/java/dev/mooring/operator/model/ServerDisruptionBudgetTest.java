package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import org.junit.jupiter.api.Test;

class ServerDisruptionBudgetTest {
    private final McpServer server = TestServers.server("weather");

    @Test
    void allowsOneVoluntaryEvictionAtATimeWithSeveralReplicas() {
        server.getSpec().setReplicas(2);
        var pdb = ServerDisruptionBudget.desired(server, 2).orElseThrow();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(server));
        assertThat(pdb.getMetadata().getOwnerReferences()).hasSize(1);
    }

    @Test
    void isAbsentForASingleReplica() {
        server.getSpec().setReplicas(1);
        assertThat(ServerDisruptionBudget.desired(server, 1)).isEmpty();
    }

    @Test
    void followsTheAutoscaledCountWhenReplicasAreUnset() {
        assertThat(ServerDisruptionBudget.desired(server, 1)).isEmpty();
        assertThat(ServerDisruptionBudget.desired(server, 4)).isPresent();
    }

    @Test
    void canBeTurnedOff() {
        server.getSpec().setReplicas(3);
        server.getSpec().getDisruptionBudget().setEnabled(false);
        assertThat(ServerDisruptionBudget.desired(server, 3)).isEmpty();
    }
}
