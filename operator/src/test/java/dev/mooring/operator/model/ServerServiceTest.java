package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.SessionAffinity;
import dev.mooring.operator.api.v1alpha1.spec.TransportType;
import org.junit.jupiter.api.Test;

class ServerServiceTest {
    private final McpServer server = TestServers.server("weather");

    @Test
    void exposesANamedMcpPortThatForwardsToTheContainer() {
        var port = ServerService.desired(server, false).getSpec().getPorts().get(0);
        assertThat(port.getName()).isEqualTo("mcp");
        assertThat(port.getPort()).isEqualTo(80);
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("mcp");
    }

    @Test
    void pinsClientsOnlyWhenAskedTo() {
        var pinned = ServerService.desired(server, true).getSpec();
        assertThat(pinned.getSessionAffinity()).isEqualTo("ClientIP");
        assertThat(pinned.getSessionAffinityConfig().getClientIP().getTimeoutSeconds()).isEqualTo(10800);
        var free = ServerService.desired(server, false).getSpec();
        assertThat(free.getSessionAffinity()).isEqualTo("None");
        assertThat(free.getSessionAffinityConfig()).isNull();
    }

    @Test
    void selectsTheServerPods() {
        assertThat(ServerService.desired(server, false).getSpec().getSelector()).isEqualTo(Labels.selector(server));
    }

    @Test
    void publishesTheInClusterEndpoint() {
        assertThat(ServerService.endpoint(server)).isEqualTo("http://weather.team-a.svc/mcp");
        server.getSpec().getService().setPort(8080);
        server.getSpec().getTransport().setType(TransportType.SSE);
        assertThat(ServerService.endpoint(server)).isEqualTo("http://weather.team-a.svc:8080/sse");
    }

    @Test
    void autoAffinityPinsWhileSessionsMayExistOnSeveralReplicas() {
        var spec = server.getSpec();
        spec.setReplicas(3);
        assertThat(SessionAffinityPolicy.clientIp(spec, null, false)).as("unknown yet").isTrue();
        assertThat(SessionAffinityPolicy.clientIp(spec, true, false)).isTrue();
        assertThat(SessionAffinityPolicy.clientIp(spec, false, false)).as("stateless server").isFalse();
        spec.setReplicas(1);
        assertThat(SessionAffinityPolicy.clientIp(spec, true, false)).as("one replica").isFalse();
        spec.setReplicas(null);
        assertThat(SessionAffinityPolicy.clientIp(spec, true, false)).as("autoscaled").isTrue();
    }

    @Test
    void withHandoffAutoNeedsNoAffinity() {
        var spec = server.getSpec();
        spec.setReplicas(3);
        assertThat(SessionAffinityPolicy.clientIp(spec, true, true)).as("any replica serves any session").isFalse();
        assertThat(SessionAffinityPolicy.clientIp(spec, null, true)).isFalse();
        spec.getSession().setAffinity(SessionAffinity.ClientIP);
        assertThat(SessionAffinityPolicy.clientIp(spec, true, true)).as("asked for").isTrue();
    }

    @Test
    void explicitAffinityWins() {
        var spec = server.getSpec();
        spec.setReplicas(3);
        spec.getSession().setAffinity(SessionAffinity.None);
        assertThat(SessionAffinityPolicy.clientIp(spec, true, false)).isFalse();
        spec.getSession().setAffinity(SessionAffinity.ClientIP);
        spec.setReplicas(1);
        assertThat(SessionAffinityPolicy.clientIp(spec, false, false)).isTrue();
    }
}
