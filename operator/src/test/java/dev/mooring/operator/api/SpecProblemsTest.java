package dev.mooring.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.SpecProblems;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** McpServers stored before the CRD refused their values, or with values of a newer CRD: read, never fatal. */
class SpecProblemsTest {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void readsReplicasBeyondInt32AndSaysWhatIsWrong() {
        McpServer server = read("{image: x, replicas: 2147483648, rollout: {maxSurge: 5000}}");
        assertThat(SpecProblems.of(server.getSpec())).containsExactly(
                "spec.replicas must be at most 1000 (it is beyond int32)", "spec.rollout.maxSurge must be at most 100");
    }

    @Test
    void readsEnumValuesOfANewerCrdAndNamesThem() {
        McpServer server = read("{image: x, transport: {type: websocket}, session: {affinity: Cookie}, imagePullPolicy: Sometimes, verification: {onFailure: Retry}}");
        assertThat(SpecProblems.of(server.getSpec())).hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("spec.transport.type holds a value this Mooring version does not know"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.session.affinity"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.imagePullPolicy"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.verification.onFailure"));
    }

    @Test
    void aSoundSpecHasNoProblems() {
        assertThat(SpecProblems.of(read("{image: x, replicas: 3, transport: {type: sse}}").getSpec())).isEmpty();
    }

    private McpServer read(String spec) {
        return serialization.unmarshal("apiVersion: mooring.dev/v1alpha1\nkind: McpServer\nmetadata: {name: w, namespace: n}\nspec: " + spec + "\n",
                McpServer.class);
    }
}
