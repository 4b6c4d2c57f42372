package dev.mooring.operator.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A fresh namespace for each test class, deleted afterwards; when a test fails, the namespace's events,
 * pods and Mooring objects are printed so that the failure can be understood from the log alone.
 */
public class TestNamespace implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    /** When this JVM's first test class began: each class prints when it ran, so a run's log shows where its minutes went. */
    private static final long RUN_STARTED = System.nanoTime();
    private final Map<String, String> labels = new HashMap<>(Map.of("mooring.dev/test", "true"));
    private KubernetesClient client;
    private String name;
    private long started;

    public TestNamespace() {
    }

    /** A namespace that enforces the `restricted` Pod Security Standard, as hardened clusters do. */
    public static TestNamespace restricted() {
        TestNamespace namespace = new TestNamespace();
        namespace.labels.put("pod-security.kubernetes.io/enforce", "restricted");
        return namespace;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started = System.nanoTime();
        client = TestCluster.client();
        String prefix = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "").replaceAll("(it|test)$", "");
        name = (prefix.length() > 40 ? prefix.substring(0, 40) : prefix) + "-" + UUID.randomUUID().toString().substring(0, 6);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels(labels).endMetadata().build()).create();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.namespaces().withName(name).delete();
            client.close();
        }
        System.out.printf("timeline: %s ran from %d s to %d s of this run (%d s)%n", context.getRequiredTestClass().getSimpleName(),
                (started - RUN_STARTED) / 1_000_000_000, (System.nanoTime() - RUN_STARTED) / 1_000_000_000, (System.nanoTime() - started) / 1_000_000_000);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.out.println("=== " + context.getDisplayName() + " failed; state of namespace " + name + " ===");
        client.v1().events().inNamespace(name).list().getItems().forEach(e -> System.out.printf("event %s %s/%s %s: %s%n",
                e.getType(), e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getReason(), e.getMessage()));
        client.pods().inNamespace(name).list().getItems().forEach(p -> System.out.printf("pod %s phase=%s conditions=%s%n",
                p.getMetadata().getName(), p.getStatus().getPhase(), p.getStatus().getConditions()));
        client.genericKubernetesResources("mooring.dev/v1alpha1", "McpServer").inNamespace(name).list().getItems()
                .forEach(m -> System.out.println("mcpserver " + m.getMetadata().getName() + " status=" + m.getAdditionalProperties().get("status")));
    }

    public String name() {
        return name;
    }

    public KubernetesClient client() {
        return client;
    }
}
