package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionTest {
    private static final ClusterCapabilities CAPS = new ClusterCapabilities(true, true);

    @Test
    void sameSpecGivesTheSameRevision() {
        String first = Revision.of(ServerDeployment.podTemplate(TestServers.server("weather"), CAPS, "mooring/proxy:test"));
        String second = Revision.of(ServerDeployment.podTemplate(TestServers.server("weather"), CAPS, "mooring/proxy:test"));
        assertThat(first).isEqualTo(second).hasSize(10).matches("[0-9a-f]+");
    }

    @Test
    void anyChangeToThePodTemplateGivesANewRevision() {
        McpServer server = TestServers.server("weather");
        String before = Revision.of(ServerDeployment.podTemplate(server, CAPS, "mooring/proxy:test"));
        server.getSpec().setImage("registry.example.com/weather-mcp:1.1");
        assertThat(Revision.of(ServerDeployment.podTemplate(server, CAPS, "mooring/proxy:test"))).isNotEqualTo(before);
    }

    @Test
    void doesNotDependOnTheOrderMapsWereFilledIn() {
        McpServer a = TestServers.server("weather");
        McpServer b = TestServers.server("weather");
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        a.getSpec().setPodAnnotations(ab);
        b.getSpec().setPodAnnotations(ba);
        assertThat(Revision.of(ServerDeployment.podTemplate(a, CAPS, "mooring/proxy:test"))).isEqualTo(Revision.of(ServerDeployment.podTemplate(b, CAPS, "mooring/proxy:test")));
    }

    @Test
    void replicasAndServiceSettingsDoNotChangeTheRevision() {
        McpServer server = TestServers.server("weather");
        String before = Revision.of(ServerDeployment.podTemplate(server, CAPS, "mooring/proxy:test"));
        server.getSpec().setReplicas(5);
        server.getSpec().getService().setPort(8080);
        assertThat(Revision.of(ServerDeployment.podTemplate(server, CAPS, "mooring/proxy:test"))).isEqualTo(before);
    }
}
