package dev.mooring.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.apply.ServerSideApplier;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ClusterCapabilities;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.verify.VerificationMetrics;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The reconciler with a stubbed Context (informer caches as sets, the API server as mocks): what it writes,
 * in which order, and what it leaves alone, for a server whose first revision has just rolled out.
 */
class McpServerReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private final KubernetesClient client = mock(KubernetesClient.class, RETURNS_DEEP_STUBS);
    private final ServerSideApplier applier = mock(ServerSideApplier.class);
    private final ServerEvents events = mock(ServerEvents.class);
    private final ServerEvents.Batch batch = mock(ServerEvents.Batch.class);
    private final StatusWriter statusWriter = mock(StatusWriter.class);
    @SuppressWarnings("unchecked")
    private final Context<McpServer> context = mock(Context.class, RETURNS_DEEP_STUBS);
    private final ClusterCapabilities capabilities = ClusterCapabilities.forVersion(1, 34);
    private final McpServer server = TestServers.server("weather");
    private final List<Pod> pods = new ArrayList<>();
    private final List<EndpointSlice> slices = new ArrayList<>();
    private McpServerReconciler reconciler;
    private RolloutPacer pacer;
    private String revision;

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void rolledOut() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        reconciler = new McpServerReconciler(applier, capabilities, events, new ReconcileMetrics(new SimpleMeterRegistry()),
                new ServerHealthMetrics(new SimpleMeterRegistry()), clock,
                new VerificationMetrics(new SimpleMeterRegistry()), client, pacer = new RolloutPacer(1, 1, 5, clock), statusWriter, "mooring/mcp-server:dev",
                "mooring/proxy:test", "168h", "mooring-system");
        server.getSpec().setReplicas(1);
        Deployment deployment = ServerDeployment.desired(server, capabilities, "mooring/proxy:test");
        revision = ServerDeployment.revision(deployment);
        deployment = new DeploymentBuilder(deployment).editMetadata().withGeneration(1L).endMetadata()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).endStatus().build();
        when(context.getSecondaryResource(Deployment.class)).thenReturn(Optional.of(deployment));
        when(context.getSecondaryResource(Service.class)).thenReturn(Optional.empty());
        when(context.getSecondaryResource(PodDisruptionBudget.class)).thenReturn(Optional.empty());
        when(context.getSecondaryResource(NetworkPolicy.class)).thenReturn(Optional.empty());
        when(context.getSecondaryResources(Pod.class)).thenAnswer(i -> Set.copyOf(pods));
        when(context.getSecondaryResources(EndpointSlice.class)).thenAnswer(i -> Set.copyOf(slices));
        when(context.getSecondaryResources(Job.class)).thenReturn(Set.of());
        when(context.eventSourceRetriever().getEventSourceFor(any())).thenReturn((InformerEventSource) mock(InformerEventSource.class));
        when(applier.apply(any(), any(), any())).thenAnswer(i -> ((Optional<HasMetadata>) i.getArgument(1)).orElse(i.getArgument(0)));
        when(events.batch()).thenReturn(batch);
        when(context.getClient()).thenReturn(client);
        pods.add(pod("weather-new", revision, null));
        slices.add(slice("weather-new"));
    }

    @Test
    void waitsForTheOldPodsBeforeStartingTheCheck() {
        pods.add(pod("weather-old", "0000000000", "2026-11-21T09:59:58Z"));
        UpdateControl<McpServer> control = reconciler.reconcile(server, context);

        verify(client, never()).resource(any(Job.class));
        McpServerStatus status = written();
        assertThat(condition(status, "Verified")).isEqualTo("Unknown/WaitingForEndpoints");
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Verified")).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("weather-old"));
        assertThat(control.getScheduleDelay()).as("looks again without waiting for the resync").isPresent();
    }

    @Test
    void startsTheCheckOnceRoutedAndAnnouncesItOnlyAfterTheStatusIsWritten() {
        reconciler.reconcile(server, context);

        ArgumentCaptor<HasMetadata> created = ArgumentCaptor.forClass(HasMetadata.class);
        verify(client, atLeastOnce()).resource(created.capture());
        Job job = created.getAllValues().stream().filter(Job.class::isInstance).map(Job.class::cast).findFirst().orElseThrow();
        assertThat(job.getMetadata().getName()).startsWith("weather-verify-" + revision + "-");
        assertThat(job.getMetadata().getAnnotations()).containsEntry(Annotations.REVISION, revision);
        InOrder order = inOrder(statusWriter, batch);
        order.verify(statusWriter).write(eq(server), any(), eq(context));
        order.verify(batch).record();
        verify(batch).normal(eq(server), eq("VerificationStarted"), any());
    }

    @Test
    void aStatusWriteThatFailsRecordsNoEvent() {
        doThrow(new KubernetesClientException("the object has been modified", 409, null))
                .when(statusWriter).write(any(), any(), any());
        assertThatThrownBy(() -> reconciler.reconcile(server, context)).isInstanceOf(KubernetesClientException.class);
        verify(batch, never()).record();
    }

    @Test
    void writesNothingWhenNothingChanged() {
        pods.add(pod("weather-old", "0000000000", "2026-11-21T09:59:58Z"));
        reconciler.reconcile(server, context);
        server.setStatus(written());

        UpdateControl<McpServer> again = reconciler.reconcile(server, context);
        verify(statusWriter).write(any(), any(), any());
        assertThat(again.isNoUpdate()).isTrue();
    }

    @Test
    void aRefusedRequestReachesTheStatusWithTheApiServersWords() {
        server.getMetadata().setGeneration(4L);
        var refused = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(422)
                .withMessage("Deployment.apps \"weather\" is invalid: spec.template.spec.tolerations[0].effect: Unsupported value: \"Sometimes\"").build());
        reconciler.updateErrorStatus(server, context, new RuntimeException("reconcile failed", refused));

        McpServerStatus status = writtenAfterFailure();
        assertThat(condition(status, "Degraded")).isEqualTo("True/ReconcileError");
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Degraded")).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("HTTP 422", "tolerations[0].effect", "Sometimes"));
        assertThat(status.getObservedGeneration()).as("Argo CD sees the failure, not an unobserved generation").isEqualTo(4L);
        verify(events).warning(eq(server), eq("ReconcileError"), org.mockito.ArgumentMatchers.contains("Sometimes"));
    }

    @Test
    void aNameTakenBySomeoneElseIsReportedAndNotRetriedInALoop() {
        Deployment foreign = new DeploymentBuilder().withNewMetadata().withName("weather").withNamespace("team-a")
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("someone").withUid("not-this-server")
                .withController(true).endOwnerReference().endMetadata().build();
        foreign.setKind("Deployment");
        var control = reconciler.updateErrorStatus(server, context, new RuntimeException(new dev.mooring.operator.apply.NameInUse(foreign)));

        assertThat(condition(writtenAfterFailure(), "Degraded")).isEqualTo("True/NameInUse");
        assertThat(control.isNoRetry()).isTrue();
        assertThat(control.getScheduleDelay()).as("looked at again now and then").isPresent();
        verify(events).warning(eq(server), eq("NameInUse"), org.mockito.ArgumentMatchers.contains("Deployment team-a/weather exists"));
    }

    @Test
    void aSpecChangeWaitsForARolloutSlotAndStaysASpecChangeWhileItWaits() {
        when(context.getPrimaryCache().get(any())).thenReturn(Optional.of(server));
        ResourceID other = new ResourceID("other", "team-a");
        assertThat(pacer.tryAcquire(other, RolloutPacer.Kind.SPEC_CHANGE, "0000000000", id -> true)).isEmpty();
        server.getSpec().setEnv(List.of(new EnvVar("CHANGE", "1", null)));
        server.getMetadata().setGeneration(2L);

        reconciler.reconcile(server, context);
        assertThat(ServerDeployment.revision(lastApplied())).as("the pods keep the serving revision").isEqualTo(revision);
        McpServerStatus queued = lastWritten();
        assertThat(condition(queued, "Progressing")).isEqualTo("True/Queued");
        assertThat(queued.getObservedGeneration()).isEqualTo(2L);

        // The status now observes generation 2, as after an upgrade; the server still waits for a spec change's slot.
        server.setStatus(queued);
        reconciler.reconcile(server, context);
        assertThat(ServerDeployment.revision(lastApplied())).isEqualTo(revision);
        assertThat(pacer.inUse(RolloutPacer.Kind.UPGRADE)).isZero();

        pacer.release(other);
        reconciler.reconcile(server, context);
        assertThat(ServerDeployment.revision(lastApplied())).as("rolls once a slot frees").isNotEqualTo(revision);
        verify(events).normal(eq(server), eq("RolloutStarted"), any());
        assertThat(pacer.inUse(RolloutPacer.Kind.SPEC_CHANGE)).isEqualTo(1);
    }

    @Test
    void aServerWithoutVerificationHoldsItsSlotUntilItsRolloutIsComplete() {
        when(context.getPrimaryCache().get(any())).thenReturn(Optional.of(server));
        server.getSpec().getVerification().setEnabled(false);
        server.getSpec().setEnv(List.of(new EnvVar("CHANGE", "1", null)));
        server.getMetadata().setGeneration(2L);
        Deployment[] applied = new Deployment[1];
        int[] updated = {0};
        org.mockito.Mockito.doAnswer(i -> applied[0] = new DeploymentBuilder((Deployment) i.getArgument(0))
                .editMetadata().withGeneration(2L).endMetadata()
                .withNewStatus().withObservedGeneration(2L).withReplicas(1).withUpdatedReplicas(updated[0]).withReadyReplicas(1)
                .withAvailableReplicas(1).endStatus().build()).when(applier).apply(any(Deployment.class), any(), any());

        reconciler.reconcile(server, context);
        assertThat(ServerDeployment.revision(applied[0])).isNotEqualTo(revision);
        assertThat(pacer.inUse(RolloutPacer.Kind.SPEC_CHANGE)).as("rolling out").isEqualTo(1);

        updated[0] = 1;
        reconciler.reconcile(server, context);
        assertThat(pacer.inUse(RolloutPacer.Kind.SPEC_CHANGE)).as("rolled out").isZero();
    }

    private Deployment lastApplied() {
        ArgumentCaptor<HasMetadata> applied = ArgumentCaptor.forClass(HasMetadata.class);
        verify(applier, atLeastOnce()).apply(applied.capture(), any(), any());
        return applied.getAllValues().stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .reduce((first, second) -> second).orElseThrow();
    }

    private McpServerStatus lastWritten() {
        ArgumentCaptor<McpServerStatus> status = ArgumentCaptor.forClass(McpServerStatus.class);
        verify(statusWriter, atLeastOnce()).write(eq(server), status.capture(), eq(context));
        return status.getValue();
    }

    private McpServerStatus writtenAfterFailure() {
        ArgumentCaptor<McpServerStatus> status = ArgumentCaptor.forClass(McpServerStatus.class);
        verify(statusWriter).writeAfterFailure(eq(server), status.capture(), eq(context));
        return status.getValue();
    }

    private McpServerStatus written() {
        ArgumentCaptor<McpServerStatus> status = ArgumentCaptor.forClass(McpServerStatus.class);
        verify(statusWriter).write(eq(server), status.capture(), eq(context));
        return status.getValue();
    }

    private static Pod pod(String name, String revision, String deleting) {
        return new PodBuilder().withNewMetadata().withName(name).withDeletionTimestamp(deleting)
                .addToLabels(Labels.COMPONENT, Labels.SERVER_COMPONENT).addToLabels(Labels.INSTANCE, "weather")
                .addToAnnotations(Annotations.REVISION, revision).endMetadata()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    private static EndpointSlice slice(String pod) {
        return new EndpointSliceBuilder().withNewMetadata().withName("weather-abcde").addToLabels("kubernetes.io/service-name", "weather")
                .endMetadata().withAddressType("IPv4").addNewEndpoint().withAddresses("10.244.0.7").withNewConditions().withReady(true)
                .endConditions().withNewTargetRef().withKind("Pod").withName(pod).endTargetRef().endEndpoint().build();
    }

    private static String condition(McpServerStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).map(c -> c.getStatus() + "/" + c.getReason())
                .findFirst().orElse("missing");
    }
}
