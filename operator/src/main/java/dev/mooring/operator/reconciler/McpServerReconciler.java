package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.SpecProblems;
import dev.mooring.operator.apply.NameInUse;
import dev.mooring.operator.apply.ReplicasHandoff;
import dev.mooring.operator.apply.ServerSideApplier;
import dev.mooring.operator.apply.TrimmedItemStore;
import dev.mooring.operator.model.ClusterCapabilities;
import dev.mooring.operator.model.DrainToken;
import dev.mooring.operator.model.GracePeriod;
import dev.mooring.operator.model.PreTrafficCheck;
import dev.mooring.operator.model.ReferencedData;
import dev.mooring.operator.model.ProxySidecar;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.Ownership;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.model.ServerDisruptionBudget;
import dev.mooring.operator.model.ServerNetworkPolicy;
import dev.mooring.operator.model.ServerService;
import dev.mooring.operator.model.SessionKeySecret;
import dev.mooring.operator.model.SessionAffinityPolicy;
import dev.mooring.operator.model.VerificationJob;
import dev.mooring.operator.status.PodDiagnosis;
import dev.mooring.operator.status.RolloutProgress;
import dev.mooring.operator.status.StatusAggregator;
import dev.mooring.operator.verify.ServiceRouting;
import dev.mooring.operator.verify.VerifiedTemplates;
import dev.mooring.operator.verify.VerificationGate;
import dev.mooring.operator.verify.VerificationMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns an McpServer into its Deployment, Service, PodDisruptionBudget and NetworkPolicy, then reports what it sees.
 * The builders in {@code model} know Kubernetes; this class only orders the steps.
 */
@ControllerConfiguration(name = McpServerReconciler.NAME, fieldManager = ServerSideApplier.FIELD_MANAGER)
public class McpServerReconciler implements Reconciler<McpServer> {
    public static final String NAME = "mcpserver";
    private static final Logger LOG = Logger.getLogger(McpServerReconciler.class);
    /** Selects what may be Mooring's; what is, {@link Ownership} decides before anything is cached. */
    private static final String OWNED = Labels.MANAGED_BY + "=" + Labels.MANAGER;
    /**
     * Objects per page when an informer lists: a namespace of large labelled ConfigMaps (1 MiB each at most) is read
     * 50 at a time instead of whole, and what is not Mooring's is dropped page by page.
     */
    private static final long LIST_PAGE = 50;

    private final ServerSideApplier applier;
    private final ClusterCapabilities capabilities;
    private final String proxyImage;
    private final String operatorNamespace;
    private final ServerEvents events;
    private final ReconcileMetrics metrics;
    private final ServerHealthMetrics health;
    private final Clock clock;
    private final VerificationStep verification;
    private final VerificationMetrics verificationMetrics;
    private final VerifiedTemplates verifiedTemplates;
    private final ReplicasHandoff replicasHandoff;
    private final RolloutPacer pacer;
    private final TemplateChooser templates;
    private final StatusWriter statusWriter;
    private final PreTrafficGate preTrafficGate = new PreTrafficGate();
    private final SessionKeyStep sessionKeys;
    private final ReferenceReader references;
    /** How often a server whose child's name is taken looks again (the foreign object is not watched). */
    private static final Duration NAME_IN_USE_RECHECK = Duration.ofMinutes(1);
    /** How often a server queued for a rollout slot looks again. */
    private static final Duration QUEUED_RECHECK = Duration.ofSeconds(10);

    public McpServerReconciler(ServerSideApplier applier, ClusterCapabilities capabilities, ServerEvents events,
                               ReconcileMetrics metrics, ServerHealthMetrics health, Clock clock, VerificationMetrics verificationMetrics,
                               KubernetesClient client, RolloutPacer pacer, StatusWriter statusWriter,
                               @ConfigProperty(name = "mooring.verification.image") String verificationImage,
                               @ConfigProperty(name = "mooring.proxy.image") String proxyImage,
                               @ConfigProperty(name = "mooring.session.key-rotation", defaultValue = "168h") String sessionKeyRotation,
                               @ConfigProperty(name = "mooring.operator.namespace", defaultValue = "mooring-system") String operatorNamespace) {
        this.applier = applier;
        this.operatorNamespace = operatorNamespace;
        this.proxyImage = proxyImage;
        this.capabilities = capabilities;
        this.events = events;
        this.metrics = metrics;
        this.health = health;
        this.clock = clock;
        this.verification = new VerificationStep(verificationImage, verificationMetrics);
        this.verifiedTemplates = new VerifiedTemplates(client);
        this.replicasHandoff = new ReplicasHandoff(client);
        this.references = new ReferenceReader(client);
        this.sessionKeys = new SessionKeyStep(client, dev.mooring.operator.api.v1alpha1.spec.Durations.parse(sessionKeyRotation));
        this.pacer = pacer;
        this.templates = new TemplateChooser(verifiedTemplates, pacer);
        this.statusWriter = statusWriter;
        this.verificationMetrics = verificationMetrics;
    }

    @Override
    public List<EventSource<?, McpServer>> prepareEventSources(EventSourceContext<McpServer> context) {
        return List.of(
                owned(context, Deployment.class),
                owned(context, Service.class),
                owned(context, PodDisruptionBudget.class),
                owned(context, NetworkPolicy.class),
                owned(context, Job.class),
                owned(context, ConfigMap.class),
                // The Service's EndpointSlices carry its labels (the EndpointSlice controller copies them).
                new InformerEventSource<>(InformerEventSourceConfiguration.from(EndpointSlice.class, McpServer.class)
                        .withNamespacesInheritedFromController()
                        .withLabelSelector(OWNED)
                        .withSecondaryToPrimaryMapper(slice -> !Ownership.endpointSlice(slice) ? Set.of() : Set.of(new ResourceID(
                                slice.getMetadata().getLabels().get(Labels.INSTANCE), slice.getMetadata().getNamespace())))
                        .withItemStore(TrimmedItemStore.readOnly(Ownership::endpointSlice))
                        .withInformerListLimit(LIST_PAGE)
                        .build(), context),
                // Server pods and verification pods: both carry the server's name in the instance label.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, McpServer.class)
                        .withNamespacesInheritedFromController()
                        .withLabelSelector(OWNED)
                        .withSecondaryToPrimaryMapper(pod -> !Ownership.pod(pod) ? Set.of() : Set.of(new ResourceID(
                                pod.getMetadata().getLabels().get(Labels.INSTANCE), pod.getMetadata().getNamespace())))
                        .withItemStore(TrimmedItemStore.pods(Ownership::pod))
                        .withInformerListLimit(LIST_PAGE)
                        .build(), context));
    }

    private static <R extends HasMetadata> InformerEventSource<R, McpServer> owned(EventSourceContext<McpServer> context, Class<R> type) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, McpServer.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(OWNED)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(McpServer.class))
                .withItemStore(TrimmedItemStore.<R>applied(Ownership::child))
                .withInformerListLimit(LIST_PAGE)
                .build(), context);
    }

    @Override
    public UpdateControl<McpServer> reconcile(McpServer server, Context<McpServer> context) {
        long started = System.nanoTime();
        AtomicInteger applies = new AtomicInteger();
        health.watch(context.getPrimaryCache());
        UpdateControl<McpServer> result = reconcile(server, context, applies);
        metrics.record(applies.get() > 0, System.nanoTime() - started);
        return result;
    }

    private UpdateControl<McpServer> reconcile(McpServer server, Context<McpServer> context, AtomicInteger applies) {
        List<String> problems = SpecProblems.of(server.getSpec());
        if (!problems.isEmpty()) {
            return refuse(server, "InvalidSpec", String.join("; ", problems), context, applies, Optional.empty());
        }
        ReferencedData referenced = references.read(server);
        if (!referenced.complete()) {
            // Not watched: looked for again, and the server rolls once it is there.
            return refuse(server, "MissingReference", "missing " + String.join(", ", referenced.missing())
                    + ": no new revision rolls out until it exists (looked for again every " + ReferenceReader.RECHECK.toSeconds() + " s)",
                    context, applies, Optional.of(ReferenceReader.RECHECK));
        }
        Optional<Deployment> actualDeployment = context.getSecondaryResource(Deployment.class);
        Deployment desiredDeployment = ServerDeployment.desired(server, capabilities, proxyImage, referenced, DrainToken.keptOrFresh(actualDeployment));
        String rendered = ServerDeployment.revision(desiredDeployment);
        String check = VerificationJob.check(server);
        TemplateChooser.Choice choice = templates.choose(server, desiredDeployment, actualDeployment, rendered, check,
                id -> context.getPrimaryCache().get(id).isPresent());
        Optional<PodTemplateSpec> held = choice.held();
        String wanted = ServerDeployment.revision(desiredDeployment);
        boolean revisionChanges = actualDeployment.isPresent() && !wanted.equals(ServerDeployment.revision(actualDeployment.get()));
        if (revisionChanges && held.isPresent()) {
            // Announced before it is applied: an operator killed right after applying would leave nothing for its
            // successor to announce, while one killed before applying leaves the same (named) event to repeat.
            announceRollback(server, wanted);
        }
        if (server.getSpec().getReplicas() == null && actualDeployment.isPresent() && replicasHandoff.handOver(actualDeployment.get())) {
            applies.incrementAndGet();
        }
        boolean handsOver = SessionKeySecret.handsOver(server.getSpec(), capabilities);
        Optional<SessionKeyStep.Outcome> sessionKey = handsOver ? Optional.of(sessionKeys.ensure(server, clock.instant(), applies::incrementAndGet))
                : Optional.empty();
        // Before the Deployment: its pods are never reachable by more than the policy admits.
        reconcileNetworkPolicy(server, context, applies);
        if (ProxySidecar.runsFor(server.getSpec(), capabilities)) {
            // Before the Deployment: a new pod mounts the check it must pass before traffic.
            // Entries for the revision rendered and the one applied instead (a rollback's template, or the serving one
            // while queued); the entry of the revision that serves verified stays as it passed.
            applier.apply(PreTrafficCheck.configMap(server, capabilities, List.of(rendered, wanted), context.getSecondaryResource(ConfigMap.class),
                    server.getStatus() == null ? null : server.getStatus().getLastVerifiedRevision()), context.getSecondaryResource(ConfigMap.class),
                    remember(context, ConfigMap.class, server, applies));
        }
        Deployment deployment = applier.apply(desiredDeployment, actualDeployment, remember(context, Deployment.class, server, applies));
        if (actualDeployment.isEmpty()) {
            events.normal(server, "Created", "created Deployment " + deployment.getMetadata().getName() + " at revision " + wanted);
        } else if (revisionChanges && held.isEmpty()) {
            events.normal(server, "RolloutStarted", "rolling out revision " + wanted);
        }
        String serving = ServerDeployment.revision(deployment);
        RolloutProgress rollout = RolloutProgress.of(deployment);
        List<Pod> serverPods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> Labels.SERVER_COMPONENT.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
        String readinessCheck = ServerDeployment.readinessCheck(server, capabilities);
        Optional<PodDiagnosis.Finding> finding = PodDiagnosis.of(serverPods, serving, readinessCheck);

        Instant now = clock.instant();
        int attempt = VerificationGate.attempt(server, serving, check, now);
        PreTrafficGate.Reading podGate = PreTrafficCheck.active(server, capabilities) && !rollout.complete()
                ? preTrafficGate.read(serverPods, serving, check) : PreTrafficGate.Reading.NONE;
        VerificationGate.Decision decision = VerificationGate.decide(new VerificationGate.Facts(server, rendered, serving, check,
                rollout.complete(), rollout.ready(),
                ServiceRouting.notRouted(server.getMetadata().getName(), serving, serverPods, context.getSecondaryResources(EndpointSlice.class)),
                rollout.deadlineExceeded().map(deadline -> finding.map(PodDiagnosis.Finding::message).orElse(deadline)),
                choice.rollbackUnavailable(), verification.jobState(server, serving, check, attempt, context, now),
                podGate.failed(), podGate.pending(), now));
        if (serving.equals(rendered) && rollout.complete() && decision.servingVerified() || held.isPresent()
                || rollout.deadlineExceeded().isPresent() || finding.filter(PodDiagnosis.Finding::stuck).isPresent()) {
            // Done (rolled out, and verified unless verification is off), rolled back, or stuck until someone acts
            // (its pods cannot start: an image that cannot be pulled, a config error): the slot serves another server better.
            pacer.release(ResourceID.fromResource(server));
        }
        if (newlyVerified(server, decision, serving, check)) {
            verifiedTemplates.keep(server, deployment.getSpec().getTemplate(),
                    server.getStatus() == null ? null : server.getStatus().getLastVerifiedRevision());
            applies.incrementAndGet();
        }
        ServerEvents.Batch recordAfterStatus = events.batch();
        if (verification.act(server, serving, decision, context, recordAfterStatus)) {
            applies.incrementAndGet();
        }

        boolean clientIp = SessionAffinityPolicy.clientIp(server.getSpec(), issuesSessions(decision), handsOver);
        applier.apply(ServerService.desired(server, clientIp), context.getSecondaryResource(Service.class),
                remember(context, Service.class, server, applies));
        reconcileDisruptionBudget(server, Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1), context, applies);

        McpServerStatus status = StatusAggregator.aggregate(new StatusAggregator.Observation(server, Optional.of(deployment),
                finding, serving, ServerService.endpoint(server), GracePeriod.seconds(server.getSpec().getDrain()), decision, choice.queued()), now);
        status.setProxy(ProxySidecar.state(server.getSpec(), capabilities));
        status.setSessionHandoff(SessionKeySecret.state(server.getSpec(), capabilities));
        status.setSessionKey(sessionKey.map(SessionKeyStep.Outcome::key)
                .orElseGet(() -> server.getStatus() == null ? null : server.getStatus().getSessionKey()));
        Optional<Duration> recheck = earliest(earliest(choice.queued().isPresent() ? Optional.of(QUEUED_RECHECK) : decision.recheckAfter(),
                sessionKey.flatMap(SessionKeyStep.Outcome::recheck)),
                referenced.hash() == null ? Optional.empty() : Optional.of(ReferenceReader.RECHECK));
        if (status.equals(server.getStatus())) {
            return reschedule(UpdateControl.noUpdate(), recheck);
        }
        recordAfterStatus.onTransitions(server, server.getStatus(), status);
        statusWriter.write(server, status, context);
        applies.incrementAndGet();
        recordAfterStatus.record();
        if (decision.rollbackTo().isPresent()) {
            // The rollback is written to status first and applied by the next reconcile (the hold above), so an
            // operator that dies in between finishes the same rollback instead of deciding a second one.
            return UpdateControl.<McpServer>noUpdate().rescheduleAfter(Duration.ZERO);
        }
        return reschedule(UpdateControl.noUpdate(), recheck);
    }

    /**
     * A server this operator cannot act on (a stored spec it cannot render, a Secret its pods need that is not
     * there): said once in status and an event, nothing applied, so the pods that serve keep serving; a change of
     * the object, or the recheck, brings it back to the normal path.
     */
    private UpdateControl<McpServer> refuse(McpServer server, String reason, String problems, Context<McpServer> context,
                                            AtomicInteger applies, Optional<Duration> recheck) {
        LOG.warnf("%s/%s: not reconciled: %s", server.getMetadata().getNamespace(), server.getMetadata().getName(), problems);
        McpServerStatus status = StatusAggregator.reconcileFailed(server, reason, problems, clock.instant());
        if (!status.equals(server.getStatus())) {
            statusWriter.write(server, status, context);
            applies.incrementAndGet();
            events.warning(server, reason, problems);
        }
        return reschedule(UpdateControl.noUpdate(), recheck);
    }

    private static Optional<Duration> earliest(Optional<Duration> one, Optional<Duration> other) {
        if (one.isEmpty() || other.isEmpty()) {
            return one.isPresent() ? one : other;
        }
        return Optional.of(one.get().compareTo(other.get()) <= 0 ? one.get() : other.get());
    }

    private static UpdateControl<McpServer> reschedule(UpdateControl<McpServer> control, Optional<Duration> recheck) {
        return recheck.map(after -> control.rescheduleAfter(after.plusMillis(100))).orElse(control);
    }

    /** A revision passed with these settings on this reconcile: its template is kept for later rollbacks. */
    private static boolean newlyVerified(McpServer server, VerificationGate.Decision decision, String serving, String check) {
        McpServerStatus before = server.getStatus();
        return serving.equals(decision.lastVerifiedRevision()) && check.equals(decision.lastVerifiedCheck())
                && (before == null || !serving.equals(before.getLastVerifiedRevision()) || !check.equals(before.getLastVerifiedCheck()));
    }

    /**
     * JOSDK's error path: every failed attempt reaches the status (Degraded, ReconcileError) and an event. A name
     * taken by someone else's object is not retried in a loop: it is looked at again now and then.
     */
    @Override
    public ErrorStatusUpdateControl<McpServer> updateErrorStatus(McpServer server, Context<McpServer> context, Exception e) {
        Optional<NameInUse> taken = ReconcileErrors.nameInUse(e);
        String reason = taken.isPresent() ? "NameInUse" : "ReconcileError";
        String message = taken.map(Throwable::getMessage).orElseGet(() -> ReconcileErrors.describe(e));
        LOG.warnf("%s/%s: reconcile failed: %s", server.getMetadata().getNamespace(), server.getMetadata().getName(), message);
        events.warning(server, reason, message);
        McpServerStatus status = StatusAggregator.reconcileFailed(server, reason, message, clock.instant());
        // Retries of the same failure write nothing new.
        if (!status.equals(server.getStatus())) {
            statusWriter.writeAfterFailure(server, status, context);
        }
        ErrorStatusUpdateControl<McpServer> control = ErrorStatusUpdateControl.noStatusUpdate();
        return taken.isPresent() ? control.withNoRetry().rescheduleAfter(NAME_IN_USE_RECHECK) : control;
    }

    private void announceRollback(McpServer server, String revision) {
        var rollback = server.getStatus().getRollback();
        boolean first = events.warningOnce(server, "RolledBack", "rolling back from revision " + rollback.getFrom() + " to " + revision
                + ", which last passed verification: " + rollback.getReason(), rollback.getFrom() + ">" + revision + "@" + rollback.getGeneration());
        if (first) {
            verificationMetrics.rolledBack();
        }
    }

    private static Boolean issuesSessions(VerificationGate.Decision decision) {
        var result = decision.verification();
        return result != null && result.passed() ? result.getSessionIssuing() : null;
    }

    private void reconcileDisruptionBudget(McpServer server, int replicas, Context<McpServer> context, AtomicInteger applies) {
        if (applyOrDelete(server, PodDisruptionBudget.class, ServerDisruptionBudget.desired(server, replicas), context, applies)) {
            LOG.infof("deleted PodDisruptionBudget %s/%s: fewer than 2 replicas", server.getMetadata().getNamespace(), server.getMetadata().getName());
        }
    }

    private void reconcileNetworkPolicy(McpServer server, Context<McpServer> context, AtomicInteger applies) {
        Optional<NetworkPolicy> desired = ServerNetworkPolicy.desired(server, ProxySidecar.runsFor(server.getSpec(), capabilities), operatorNamespace);
        if (applyOrDelete(server, NetworkPolicy.class, desired, context, applies)) {
            events.normal(server, "NetworkPolicyDeleted", "deleted NetworkPolicy " + server.getMetadata().getName() + ": spec.network.policy is None");
        }
    }

    /** A child that exists only under some conditions: applied while wanted, deleted once not. Returns whether it deleted. */
    private <R extends HasMetadata> boolean applyOrDelete(McpServer server, Class<R> type, Optional<R> desired, Context<McpServer> context,
                                                          AtomicInteger applies) {
        Optional<R> actual = context.getSecondaryResource(type);
        if (desired.isPresent()) {
            applier.apply(desired.get(), actual, remember(context, type, server, applies));
            return false;
        }
        if (actual.isEmpty()) {
            return false;
        }
        context.getClient().resource(actual.get()).delete();
        applies.incrementAndGet();
        return true;
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
