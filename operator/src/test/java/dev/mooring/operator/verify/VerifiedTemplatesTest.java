package dev.mooring.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionList;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The kept template as the API server returns it (JSON read by the client), with a stubbed client around it. */
class VerifiedTemplatesTest {
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final KubernetesClient client = mock(KubernetesClient.class, RETURNS_DEEP_STUBS);
    private final McpServer server = TestServers.server("weather");

    @Test
    void readsTheKeptTemplateBackAsTheApiServerStoredIt() {
        stored(server.getMetadata().getUid());
        var template = new VerifiedTemplates(client).template(server, "053f206fce");
        assertThat(template).hasValueSatisfying(t -> {
            assertThat(t.getMetadata().getAnnotations()).containsEntry("mooring.dev/revision", "053f206fce");
            assertThat(t.getSpec().getContainers().get(0).getImage()).isEqualTo("mooring/mcp-server:dev");
        });
        assertThat(new VerifiedTemplates(client).template(server, "ffffffffff")).as("another revision").isEmpty();
    }

    @Test
    void anObjectOfAnotherOwnerIsNoTemplate() {
        stored("someone-else");
        assertThat(new VerifiedTemplates(client).template(server, "053f206fce")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private void stored(String ownerUid) {
        ControllerRevision kept = serialization.unmarshal("""
                {"apiVersion":"apps/v1","kind":"ControllerRevision","revision":1,
                 "metadata":{"name":"weather-verified-053f206fce","namespace":"team-a",
                   "annotations":{"mooring.dev/revision":"053f206fce"},
                   "ownerReferences":[{"apiVersion":"mooring.dev/v1alpha1","kind":"McpServer","name":"weather","uid":"%s","controller":true}]},
                 "data":{"template":{"metadata":{"annotations":{"mooring.dev/revision":"053f206fce"}},
                   "spec":{"containers":[{"name":"mcp-server","image":"mooring/mcp-server:dev"}]}}}}""".formatted(ownerUid),
                ControllerRevision.class);
        MixedOperation<ControllerRevision, ControllerRevisionList, Resource<ControllerRevision>> revisions = mock(MixedOperation.class);
        NonNamespaceOperation<ControllerRevision, ControllerRevisionList, Resource<ControllerRevision>> inNamespace = mock(NonNamespaceOperation.class);
        Resource<ControllerRevision> found = mock(Resource.class);
        Resource<ControllerRevision> missing = mock(Resource.class);
        when(client.getKubernetesSerialization()).thenReturn(serialization);
        when(client.apps().controllerRevisions()).thenReturn(revisions);
        when(revisions.inNamespace("team-a")).thenReturn(inNamespace);
        when(inNamespace.withName(anyString())).thenReturn(missing);
        when(inNamespace.withName("weather-verified-053f206fce")).thenReturn(found);
        when(found.get()).thenReturn(kept);
    }
}
