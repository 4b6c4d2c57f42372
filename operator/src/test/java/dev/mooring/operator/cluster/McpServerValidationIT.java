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

    @Test
    void refusesListsAndMapsBeyondTheirBoundAtAdmission() {
        String args = java.util.stream.IntStream.range(0, 257).mapToObj(i -> "a" + i).collect(java.util.stream.Collectors.joining(", "));
        String env = java.util.stream.IntStream.range(0, 257).mapToObj(i -> "{name: V" + i + ", value: x}").collect(java.util.stream.Collectors.joining(", "));
        String annotations = java.util.stream.IntStream.range(0, 65).mapToObj(i -> "a" + i + ": x").collect(java.util.stream.Collectors.joining(", "));
        for (var bound : Map.of("{image: x, args: [" + args + "]}", "must have at most 256 items",
                "{image: x, env: [" + env + "]}", "must have at most 256 items",
                "{image: x, podAnnotations: {" + annotations + "}}", "must have at most 64 items",
                "{image: x, command: [" + "\"" + "c".repeat(4097) + "\"" + "]}", "may not be more than 4096 bytes").entrySet()) {
            GenericKubernetesResource server = mcpServer("bounded", bound.getKey());
            assertThatThrownBy(() -> NAMESPACE.client().resource(server).inNamespace(NAMESPACE.name()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getMessage()).contains(bound.getValue());
                    });
        }
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
        replicas too many           | {image: x, replicas: 1001}                                  | should be less than or equal to 1000
        replicas beyond int32       | {image: x, replicas: 2147483648}                            | should be less than or equal to 1000
        replicas not a number       | {image: x, replicas: three}                                 | spec.replicas in body must be of type integer
        maxSurge too many           | {image: x, rollout: {maxSurge: 101}}                        | should be less than or equal to 100
        progress deadline too short | {image: x, rollout: {progressDeadlineSeconds: 29}}          | should be greater than or equal to 30
        progress deadline too long  | {image: x, rollout: {progressDeadlineSeconds: 86401}}       | should be less than or equal to 86400
        transport port negative     | {image: x, transport: {port: -1}}                           | should be greater than or equal to 1
        transport path with space   | {image: x, transport: {path: "/m cp"}}                      | transport.path must start with '/' and contain no spaces or control characters
        port taken by the proxy     | {image: x, transport: {port: 15080}}                        | must not be 15080 or 15081 while the proxy is enabled
        health port of the proxy    | {image: x, health: {port: 15081}}                           | must not be 15080 or 15081 while the proxy is enabled
        health port zero            | {image: x, health: {port: 0}}                               | should be greater than or equal to 1
        health port too high        | {image: x, health: {port: 65536}}                           | should be less than or equal to 65535
        health period zero          | {image: x, health: {periodSeconds: 0}}                      | should be greater than or equal to 1
        health period too long      | {image: x, health: {periodSeconds: 301}}                    | should be less than or equal to 300
        health timeout zero         | {image: x, health: {timeoutSeconds: 0}}                     | should be greater than or equal to 1
        health timeout too long     | {image: x, health: {timeoutSeconds: 61}}                    | should be less than or equal to 60
        failure threshold zero      | {image: x, health: {failureThreshold: 0}}                   | should be greater than or equal to 1
        failure threshold too high  | {image: x, health: {failureThreshold: 31}}                  | should be less than or equal to 30
        startup timeout too long    | {image: x, health: {startupTimeout: 2h}}                    | health.startupTimeout must be a duration between 1s and 1h
        startup timeout zero        | {image: x, health: {startupTimeout: 0s}}                    | health.startupTimeout must be a duration between 1s and 1h
        startup timeout fraction    | {image: x, health: {startupTimeout: 1.5s}}                  | health.startupTimeout must be a duration between 1s and 1h
        health path with tab        | {image: x, health: {path: "/he\talth"}}                     | health.path must start with '/' and contain no spaces or control characters
        liveness path relative      | {image: x, health: {livenessPath: livez}}                   | health.livenessPath must start with '/'
        health path is the MCP path | {image: x, health: {path: /mcp}}                            | health.path must not be the MCP path
        health path is custom path  | {image: x, transport: {path: /rpc}, health: {path: /rpc}}   | health.path must not be the MCP path
        health path is the SSE path | {image: x, transport: {type: sse}, health: {path: /sse}}    | health.path must not be the MCP path
        drain timeout zero          | {image: x, drain: {timeout: 0s}}                            | drain.timeout must be a duration between 1s and 1h
        session max age too short   | {image: x, session: {maxAge: 30s}}                          | session.maxAge must be a duration between 1m and 720h
        drain timeout huge number   | {image: x, drain: {timeout: 9999999s}}                      | drain.timeout must be a duration between 1s and 1h
        drain timeout with space    | {image: x, drain: {timeout: "30 s"}}                        | drain.timeout must be a duration between 1s and 1h
        preStopDelay no unit        | {image: x, drain: {preStopDelay: "5"}}                      | drain.preStopDelay must be a duration between 0s and 60s
        verification timeout short  | {image: x, verification: {timeout: 500ms}}                  | verification.timeout must be a duration between 1s and 30m
        verification timeout long   | {image: x, verification: {timeout: 31m}}                    | verification.timeout must be a duration between 1s and 30m
        verification timeout minus  | {image: x, verification: {timeout: "-5s"}}                  | verification.timeout must be a duration between 1s and 30m
        verification not boolean    | {image: x, verification: {enabled: maybe}}                  | spec.verification.enabled in body must be of type boolean
        expected tool empty         | {image: x, verification: {expectedTools: [echo, ""]}}       | should be at least 1 chars long
        expected tool with comma    | {image: x, verification: {expectedTools: ["echo,sleep"]}}   | verification.expectedTools entries must be tool names
        expected tool with spaces   | {image: x, verification: {expectedTools: [" echo"]}}        | verification.expectedTools entries must be tool names
        schema hash uppercase       | {image: x, verification: {toolSchemaSha256: ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789}}           | verification.toolSchemaSha256 must be 64 lowercase hex characters
        headers secret uppercase    | {image: x, verification: {headersSecret: Token}}            | verification.headersSecret must be the name of a Secret
        service account bad name    | {image: x, serviceAccountName: My_Account}                  | serviceAccountName must be the name of a ServiceAccount
        pull policy unknown         | {image: x, imagePullPolicy: Sometimes}                      | supported values: "Always", "IfNotPresent", "Never"
        affinity lowercase          | {image: x, session: {affinity: clientip}}                   | supported values: "Auto", "ClientIP", "None"
        service port zero           | {image: x, service: {port: 0}}                              | should be greater than or equal to 1
        service port too high       | {image: x, service: {port: 65536}}                          | should be less than or equal to 65535
        budget not boolean          | {image: x, disruptionBudget: {enabled: "yes"}}              | spec.disruptionBudget.enabled in body must be of type boolean
        component label             | {image: x, podLabels: {app.kubernetes.io/component: web}}   | podLabels must not set app.kubernetes.io/instance
        managed-by label            | {image: x, podLabels: {app.kubernetes.io/managed-by: me}}   | podLabels must not set app.kubernetes.io/instance
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        starts with a digit | 9lives
        has a dot           | weather.v2
        longer than 52      | a-server-name-that-is-far-too-long-for-the-names-mooring-derives
        """)
    void refusesANameThatCannotNameItsService(String mistake, String name) {
        assertThatThrownBy(() -> NAMESPACE.client().resource(mcpServer(name, "{image: x}")).inNamespace(NAMESPACE.name()).create())
                .as(mistake)
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("metadata.name must be a DNS-1035 label of at most 52 characters");
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
                .containsEntry("session", Map.of("affinity", "Auto", "handoff", "Reinitialize", "maxAge", "24h"))
                .containsEntry("proxy", Map.of("enabled", true))
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
                 proxy: {enabled: true, resources: {requests: {cpu: 20m}, limits: {memory: 96Mi}}},
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
