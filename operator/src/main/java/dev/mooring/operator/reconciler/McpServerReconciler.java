package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.apply.ServerSideApplier;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ClusterCapabilities;
import dev.mooring.operator.model.GracePeriod;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.model.ServerDisruptionBudget;
import dev.mooring.operator.model.ServerService;
import dev.mooring.operator.model.SessionAffinityPolicy;
import dev.mooring.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Turns an McpServer into its Deployment, Service and PodDisruptionBudget, then reports what it sees.
 * The builders in {@code model} know Kubernetes; this class only orders the steps.
 */
@ControllerConfiguration(name = McpServerReconciler.NAME, fieldManager = ServerSideApplier.FIELD_MANAGER)
public class McpServerReconciler implements Reconciler<McpServer> {
    public static final String NAME = "mcpserver";
    private static final Logger LOG = Logger.getLogger(McpServerReconciler.class);
    private static final String OWNED = Labels.MANAGED_BY + "=" + Labels.MANAGER;
    private static final String SERVER_PODS = OWNED + "," + Labels.COMPONENT + "=" + Labels.SERVER_COMPONENT;

    private final ServerSideApplier applier;
    private final ClusterCapabilities capabilities;
    private final ServerEvents events;
    private final ReconcileMetrics metrics;
    private final Clock clock;

    public McpServerReconciler(ServerSideApplier applier, ClusterCapabilities capabilities, ServerEvents events,
                               ReconcileMetrics metrics, Clock clock) {
        this.applier = applier;
        this.capabilities = capabilities;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, McpServer>> prepareEventSources(EventSourceContext<McpServer> context) {
        return List.of(
                owned(context, Deployment.class),
                owned(context, Service.class),
                owned(context, PodDisruptionBudget.class),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, McpServer.class)
                        .withNamespacesInheritedFromController()
                        .withLabelSelector(SERVER_PODS)
                        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                                pod.getMetadata().getLabels().get(Labels.INSTANCE), pod.getMetadata().getNamespace())))
                        .build(), context));
    }

    private static <R extends HasMetadata> InformerEventSource<R, McpServer> owned(EventSourceContext<McpServer> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, McpServer.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(OWNED)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(McpServer.class))
                .build(), context);
    }

    @Override
    public UpdateControl<McpServer> reconcile(McpServer server, Context<McpServer> context) {
        AtomicInteger applies = new AtomicInteger();
        UpdateControl<McpServer> result = reconcile(server, context, applies);
        metrics.record(applies.get() > 0 || !result.isNoUpdate());
        return result;
    }

    private UpdateControl<McpServer> reconcile(McpServer server, Context<McpServer> context, AtomicInteger applies) {
        Deployment desiredDeployment = ServerDeployment.desired(server, capabilities);
        String revision = desiredDeployment.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.REVISION);

        Optional<Deployment> actualDeployment = context.getSecondaryResource(Deployment.class);
        Deployment deployment = applier.apply(desiredDeployment, actualDeployment, remember(context, Deployment.class, server, applies));
        if (actualDeployment.isEmpty()) {
            events.normal(server, "Created", "created Deployment " + deployment.getMetadata().getName() + " at revision " + revision);
        } else if (!revision.equals(actualDeployment.get().getMetadata().getAnnotations().get(Annotations.REVISION))) {
            events.normal(server, "RolloutStarted", "rolling out revision " + revision);
        }

        boolean clientIp = SessionAffinityPolicy.clientIp(server.getSpec(), null);
        applier.apply(ServerService.desired(server, clientIp), context.getSecondaryResource(Service.class),
                remember(context, Service.class, server, applies));
        reconcileDisruptionBudget(server, Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1), context, applies);

        McpServerStatus status = StatusAggregator.aggregate(new StatusAggregator.Observation(server, Optional.of(deployment),
                context.getSecondaryResources(Pod.class), revision, readinessCheck(server),
                ServerService.endpoint(server), GracePeriod.seconds(server.getSpec().getDrain())), clock.instant());
        if (status.equals(server.getStatus())) {
            return UpdateControl.noUpdate();
        }
        events.onTransitions(server, server.getStatus(), status);
        server.setStatus(status);
        return UpdateControl.patchStatus(server);
    }

    private void reconcileDisruptionBudget(McpServer server, int replicas, Context<McpServer> context, AtomicInteger applies) {
        Optional<PodDisruptionBudget> actual = context.getSecondaryResource(PodDisruptionBudget.class);
        Optional<PodDisruptionBudget> desired = ServerDisruptionBudget.desired(server, replicas);
        if (desired.isPresent()) {
            applier.apply(desired.get(), actual, remember(context, PodDisruptionBudget.class, server, applies));
        } else if (actual.isPresent()) {
            LOG.infof("deleting PodDisruptionBudget %s/%s: fewer than 2 replicas", server.getMetadata().getNamespace(), server.getMetadata().getName());
            context.getClient().resource(actual.get()).delete();
            applies.incrementAndGet();
        }
    }

    private static String readinessCheck(McpServer server) {
        var probe = ServerDeployment.desiredReadiness(server);
        return "GET :" + probe.getHttpGet().getPort().getIntVal() + probe.getHttpGet().getPath();
    }

    /** Puts what was just applied into the informer's cache, so the next reconcile compares with it. */
    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> BiConsumer<R, R> remember(Context<McpServer> context, Class<R> type, McpServer server,
                                                                    AtomicInteger applies) {
        return (applied, previous) -> {
            applies.incrementAndGet();
            var source = (InformerEventSource<R, McpServer>) context.eventSourceRetriever().getEventSourceFor(type);
            ResourceID primary = ResourceID.fromResource(server);
            if (previous == null) {
                source.handleRecentResourceCreate(primary, applied);
            } else {
                source.handleRecentResourceUpdate(primary, applied, previous);
            }
        };
    }
}
