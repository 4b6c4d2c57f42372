package dev.mooring.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdPresenceTest {

    @Test
    void saysHowToInstallAMissingCrd() {
        assertThat(CrdPresence.explain(new KubernetesClientException("Not Found", 404, null), List.of(CrdPresence.ALL_NAMESPACES)))
                .contains("CRD (mcpservers.mooring.dev) is not installed").contains("crds.install=true")
                .contains("crds/mcpservers.mooring.dev-v1.yml");
    }

    @Test
    void blamesRbacThatDoesNotMatchTheWatchedNamespaces() {
        assertThat(CrdPresence.explain(new KubernetesClientException("forbidden", 403, null), List.of("team-a", "team-b")))
                .contains("may not list McpServers in team-a, team-b").contains("RBAC");
    }
}
