package dev.mooring.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.operator.TestServers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a user sees when applying an McpServer: every mistake refused at admission with its own message. */
class McpServerValidationIT {
    @RegisterExtension
    static final TestNamespace NAMESPACE = new TestNamespace();

    @BeforeAll
    static void installCrd() {
        TestCluster.installCrd(NAMESPACE.client());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        image empty                 | image: ""                                                   | spec.image in body should be at least 1 chars long
        image blank                 | image: "  "                                                 | image must name a container image
        transport type unknown      | {image: x, transport: {type: grpc}}                         | supported values: "sse", "streamable-http"
        transport port too high     | {image: x, transport: {port: 70000}}                        | should be less than or equal to 65535
        transport port zero         | {image: x, transport: {port: 0}}                            | should be greater than or equal to 1
        transport path relative     | {image: x, transport: {path: mcp}}                          | transport.path must start with '/'
        health path relative        | {image: x, health: {path: health}}                          | health.path must start with '/'
        drain timeout too long      | {image: x, drain: {timeout: 2h}}                            | drain.timeout must be a duration between 1s and 1h
        drain timeout too short     | {image: x, drain: {timeout: 500ms}}                         | drain.timeout must be a duration between 1s and 1h
        drain timeout no unit       | {image: x, drain: {timeout: "30"}}                          | drain.timeout must be a duration between 1s and 1h
        preStopDelay too long       | {image: x, drain: {preStopDelay: 61s}}                      | drain.preStopDelay must be a duration between 0s and 60s
        maxSurge zero               | {image: x, rollout: {maxSurge: 0}}                          | rollout.maxSurge must be at least 1
        maxUnavailable one          | {image: x, rollout: {maxUnavailable: 1}}                    | rollout.maxUnavailable is always 0
        replicas negative           | {image: x, replicas: -1}                                    | replicas must not be negative
        schema hash short           | {image: x, verification: {toolSchemaSha256: abc}}           | verification.toolSchemaSha256 must be 64 lowercase hex characters
        headers secret bad name     | {image: x, verification: {headersSecret: My_Token}}         | verification.headersSecret must be the name of a Secret
        tool call without tool      | {image: x, verification: {call: {tool: ""}}}                | verification.call.tool must name a tool
        tool call missing tool      | {image: x, verification: {call: {arguments: {a: 1}}}}       | spec.verification.call.tool: Required value
        onFailure unknown           | {image: x, verification: {onFailure: Retry}}                | Unsupported value: "Retry": supported values: "Hold", "Rollback"
        affinity unknown            | {image: x, session: {affinity: Cookie}}                     | supported values: "Auto", "ClientIP", "None"
        reserved env                | {image: x, env: [{name: DRAIN_TIMEOUT_MS, value: "1"}]}     | env must not set DRAIN_TIMEOUT_MS
        selector label              | {image: x, podLabels: {app.kubernetes.io/instance: other}}  | podLabels must not set app.kubernetes.io/instance
        image missing               | {replicas: 1}                                               | spec.image: Required value
        """)
    void refusesAMistakeWithAMessageThatNamesIt(String mistake, String spec, String message) {
        GenericKubernetesResource server = mcpServer("bad", spec.startsWith("{") ? spec : "{" + spec + "}");
        assertThatThrownBy(() -> NAMESPACE.client().resource(server).inNamespace(NAMESPACE.name()).create())
                .as(mistake)
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void refusesUnknownFieldsUnderStrictFieldValidation() {
        // kubectl sends fieldValidation=Strict by default, so a typo such as `replica:` is refused, not dropped.
        GenericKubernetesResource server = mcpServer("typo", "{image: x, replica: 3}");
        assertThatThrownBy(() -> NAMESPACE.client().resource(server).inNamespace(NAMESPACE.name())
                .fieldValidation(FieldValidateable.Validation.STRICT).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("unknown field \"spec.replica\""));
    }

    @Test
    void storesAMinimalServerWithOnlyDocumentedDefaultsAdded() {
        GenericKubernetesResource created = NAMESPACE.client().resource(mcpServer("minimal", "{image: mooring/mcp-server:dev}"))
                .inNamespace(NAMESPACE.name()).create();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
        assertThat(spec).containsEntry("image", "mooring/mcp-server:dev")
                .containsEntry("imagePullPolicy", "IfNotPresent")
                .containsEntry("transport", Map.of("type", "streamable-http", "port", 3000))
                .containsEntry("drain", Map.of("timeout", "25s", "preStopDelay", "5s"))
                .containsEntry("rollout", Map.of("maxSurge", 1, "progressDeadlineSeconds", 600))
                .containsEntry("session", Map.of("affinity", "Auto"))
                .doesNotContainKey("replicas");
    }

    @Test
    void acceptsAFullyLoadedServer() {
        String spec = """
                {image: registry.example.com/weather:1.2, replicas: 3, imagePullPolicy: Always,
                 transport: {type: sse, port: 8080, path: /mcp/sse},
                 health: {path: /ready, port: 8081, livenessPath: /livez, startupTimeout: 2m, periodSeconds: 10},
                 drain: {timeout: 1m30s, preStopDelay: 0s}, rollout: {maxSurge: 2, maxUnavailable: 0},
                 verification: {expectedTools: [echo, sleep], onFailure: Hold, timeout: 45s, headersSecret: weather-mcp-token,
                   toolSchemaSha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,
                   call: {tool: echo, arguments: {text: hello, nested: {n: 1}}}},
                 session: {affinity: ClientIP}, service: {port: 8080}, disruptionBudget: {enabled: false},
                 env: [{name: LOG_LEVEL, value: debug}], envFrom: [{secretRef: {name: weather-keys}}],
                 resources: {requests: {cpu: 100m, memory: 128Mi}}, podLabels: {team: weather},
                 nodeSelector: {%s: "true"}}
                """.formatted(TestServers.NO_NODE_LABEL);
        GenericKubernetesResource created = NAMESPACE.client().resource(mcpServer("full", spec)).inNamespace(NAMESPACE.name()).create();
        assertThat(created.getMetadata().getUid()).isNotEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> verification = (Map<String, Object>) ((Map<String, Object>) created.getAdditionalProperties().get("spec")).get("verification");
        assertThat(verification.get("call")).isEqualTo(Map.of("tool", "echo", "arguments", Map.of("text", "hello", "nested", Map.of("n", 1))));
    }

    private static GenericKubernetesResource mcpServer(String name, String specYaml) {
        String yaml = "apiVersion: mooring.dev/v1alpha1\nkind: McpServer\nmetadata: {name: " + name + "}\nspec: " + specYaml.replace("\n", " ") + "\n";
        return NAMESPACE.client().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    }
}
