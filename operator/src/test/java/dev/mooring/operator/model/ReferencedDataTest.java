package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.model.ReferencedObjects.Kind;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferencedDataTest {
    private static final ClusterCapabilities MODERN = new ClusterCapabilities(true, true);
    private final McpServer server = TestServers.server("weather");
    /** What the namespace holds, keyed "Secret name" or "ConfigMap name". */
    private final Map<String, Map<String, String>> namespace = new HashMap<>();

    private ReferencedData read() {
        return ReferencedData.of(ReferencedObjects.of(server.getSpec()), (kind, name) -> Optional.ofNullable(namespace.get(kind + " " + name)));
    }

    private void referenceAll() {
        server.getSpec().setEnv(List.of(
                new EnvVarBuilder().withName("PLAIN").withValue("1").build(),
                new EnvVarBuilder().withName("API_TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "weather-api", null).endValueFrom().build(),
                new EnvVarBuilder().withName("REGION").withNewValueFrom().withNewConfigMapKeyRef("region", "weather-settings", null).endValueFrom().build(),
                new EnvVarBuilder().withName("EXTRA").withNewValueFrom().withNewSecretKeyRef("extra", "maybe-there", true).endValueFrom().build()));
        server.getSpec().setEnvFrom(List.of(new EnvFromSourceBuilder().withNewConfigMapRef("weather-flags", null).build()));
        server.getSpec().getVerification().setHeadersSecret("weather-verify-headers");
        namespace.put("Secret weather-api", Map.of("token", "czNjcjN0"));
        namespace.put("ConfigMap weather-settings", Map.of("region", "eu"));
        namespace.put("ConfigMap weather-flags", Map.of("LOG_LEVEL", "info"));
        namespace.put("Secret weather-verify-headers", Map.of("Authorization", "QmVhcmVy"));
    }

    @Test
    void everyKindOfReferenceIsFoundWithWhereTheSpecNamesIt() {
        referenceAll();
        assertThat(ReferencedObjects.of(server.getSpec())).extracting(r -> r.kind() + " " + r.name() + " " + r.key() + " " + r.optional() + " " + r.usedBy())
                .containsExactly("Secret weather-api token false env API_TOKEN", "ConfigMap weather-settings region false env REGION",
                        "Secret maybe-there extra true env EXTRA", "ConfigMap weather-flags null false envFrom",
                        "Secret weather-verify-headers null false verification.headersSecret");
    }

    @Test
    void aServerThatReferencesNothingGetsNoHashSoUpgradingTheOperatorRollsNothing() {
        ReferencedData data = read();
        assertThat(data).isEqualTo(ReferencedData.NONE);
        assertThat(ServerDeployment.desired(server, MODERN, "proxy:1", data, DrainToken.fresh()).getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey(Annotations.REFERENCED_DATA);
    }

    @Test
    void rotatingAnyReferencedObjectChangesTheHashAndSoTheRevision() {
        referenceAll();
        ReferencedData before = read();
        assertThat(before.complete()).isTrue();
        assertThat(before.hash()).hasSize(ReferencedData.HASH_LENGTH);
        assertThat(read()).as("the same data hashes the same").isEqualTo(before);
        String revision = ServerDeployment.revision(ServerDeployment.desired(server, MODERN, "proxy:1", before, DrainToken.fresh()));

        namespace.put("Secret weather-api", Map.of("token", "bjN3"));
        ReferencedData rotated = read();
        assertThat(rotated.hash()).isNotEqualTo(before.hash());
        assertThat(ServerDeployment.revision(ServerDeployment.desired(server, MODERN, "proxy:1", rotated, DrainToken.fresh()))).isNotEqualTo(revision);

        namespace.put("Secret weather-api", Map.of("token", "czNjcjN0"));
        namespace.put("Secret weather-verify-headers", Map.of("Authorization", "bmV3"));
        assertThat(read().hash()).as("the verification headers count too").isNotEqualTo(before.hash());

        namespace.put("Secret weather-verify-headers", Map.of("Authorization", "QmVhcmVy"));
        namespace.put("Secret maybe-there", Map.of("extra", "eA=="));
        assertThat(read().hash()).as("an optional Secret appearing counts too").isNotEqualTo(before.hash());
    }

    @Test
    void entriesCannotBeShiftedBetweenKeysAndValuesToHashTheSame() {
        server.getSpec().setEnvFrom(List.of(new EnvFromSourceBuilder().withNewConfigMapRef("a", null).build()));
        namespace.put("ConfigMap a", Map.of("ab", "c"));
        String one = read().hash();
        namespace.put("ConfigMap a", Map.of("a", "bc"));
        assertThat(read().hash()).isNotEqualTo(one);
    }

    @Test
    void whatIsMissingIsNamedWithWhereItIsUsedAndOptionalOnesAreNot() {
        referenceAll();
        namespace.remove("Secret weather-api");
        namespace.put("ConfigMap weather-settings", Map.of("zone", "eu"));
        ReferencedData data = read();
        assertThat(data.complete()).isFalse();
        assertThat(data.missing()).containsExactly("Secret weather-api (env API_TOKEN)", "key region of ConfigMap weather-settings (env REGION)");
    }

    @Test
    void anObjectUsedTwiceIsReadOnce() {
        referenceAll();
        server.getSpec().setEnvFrom(List.of(new EnvFromSourceBuilder().withNewSecretRef("weather-api", null).build()));
        Map<String, Integer> reads = new HashMap<>();
        ReferencedData.of(ReferencedObjects.of(server.getSpec()), (Kind kind, String name) -> {
            reads.merge(kind + " " + name, 1, Integer::sum);
            return Optional.ofNullable(namespace.get(kind + " " + name));
        });
        assertThat(reads).containsEntry("Secret weather-api", 1);
    }
}
