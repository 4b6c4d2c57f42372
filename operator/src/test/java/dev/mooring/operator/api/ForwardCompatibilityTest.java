package dev.mooring.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** An operator must keep reading McpServers written against a newer CRD, as happens during an upgrade. */
class ForwardCompatibilityTest {

    @Test
    void readsAnMcpServerWithFieldsFromANewerCrd() {
        McpServer server = new KubernetesSerialization().unmarshal("""
                apiVersion: mooring.dev/v1alpha1
                kind: McpServer
                metadata: {name: weather}
                spec:
                  image: registry.example.com/weather:2
                  aFieldFromTheFuture: true
                  drain: {timeout: 40s, somethingNewer: 1}
                  verification: {expectedTools: [forecast], newerOption: x}
                status:
                  observedGeneration: 3
                  newerStatusField: {a: 1}
                """, McpServer.class);
        assertThat(server.getSpec().getImage()).isEqualTo("registry.example.com/weather:2");
        assertThat(server.getSpec().getDrain().getTimeout()).isEqualTo("40s");
        assertThat(server.getSpec().getVerification().getExpectedTools()).containsExactly("forecast");
        assertThat(server.getStatus().getObservedGeneration()).isEqualTo(3L);
    }
}
