package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.chart.Helm;
import dev.mooring.operator.cluster.AuditLog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart grants exactly what the operator uses: the permissions in the API server's audit log for the operator's
 * service account over the whole end-to-end run (failsafe runs it in an execution of its own, once the others are
 * done) against the ClusterRole and the leader election Role the chart renders. A verb granted and never used, or used
 * and refused, fails. Run alone, it sees only what one install does and fails on the verbs the other end-to-end
 * classes exercise: run it with them.
 */
@ExtendWith(InClusterOperator.class)
class LeastPrivilegeE2E {
    /** What Kubernetes' system:basic-user role lets every authenticated user do. */
    private static final Set<String> EVERYONE_MAY = Set.of("authorization.k8s.io selfsubjectrulesreviews create",
            "authorization.k8s.io selfsubjectaccessreviews create", "authentication.k8s.io selfsubjectreviews create");
    /**
     * Granted and not seen in every run: the Java Operator SDK checks for Lease update before leader election starts,
     * then renews by patch; the Lease is created once per cluster, by the first operator that runs there, which may
     * be `make demo`'s before this run. A session key Secret is patched only when its key rotates (a week by default;
     * SessionKeyRotationTest covers the decisions).
     */
    private static final Set<String> NOT_SEEN_IN_EVERY_RUN = Set.of("coordination.k8s.io leases update", "coordination.k8s.io leases create",
            "core secrets patch");
    private static final Duration UNINSTALL_GRACE = Duration.ofSeconds(30);
    private static final String OPERATOR_USER = "system:serviceaccount:" + InClusterOperator.NAMESPACE + ":" + InClusterOperator.NAME;

    @Test
    void theChartGrantsTheVerbsTheOperatorUsedAndNoOthers() {
        AuditLog audit = AuditLog.fromEnvironment();
        List<AuditLog.Request> requests = audit.requestsBy(OPERATOR_USER, InClusterOperator.auditMark());
        // HelmChartE2E uninstalls the chart: its bindings go while the operator's pod is still stopping (within its
        // 30 s grace period); what that pod is refused then says nothing about the chart.
        List<Instant> uninstalls = audit.bindingDeletions(InClusterOperator.NAME, InClusterOperator.auditMark());
        Set<String> used = requests.stream().map(AuditLog.Request::permission).collect(Collectors.toCollection(TreeSet::new));
        Set<String> refused = requests.stream().filter(AuditLog.Request::refusedByRbac)
                .filter(r -> uninstalls.stream().noneMatch(t -> !r.at().isBefore(t) && r.at().isBefore(t.plus(UNINSTALL_GRACE))))
                .map(AuditLog.Request::permission).collect(Collectors.toCollection(TreeSet::new));
        Set<String> granted = granted(Helm.template());

        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(NOT_SEEN_IN_EVERY_RUN);
        Set<String> ungranted = new TreeSet<>(used);
        ungranted.removeAll(granted);
        ungranted.removeAll(EVERYONE_MAY);
        System.out.printf("least privilege: %d requests by %s; used %s%n", requests.size(), OPERATOR_USER, used);

        assertThat(requests).as("requests by the operator in the audit log").isNotEmpty();
        assertThat(refused).as("permissions the API server refused the operator").isEmpty();
        assertThat(ungranted).as("permissions used but not granted by the chart").isEmpty();
        assertThat(unused).as("permissions the chart grants that the operator never used").isEmpty();
    }

    /** "group resource verb" for every rule of the operator's ClusterRole and its leader-election Role. */
    static Set<String> granted(List<HasMetadata> chart) {
        Set<String> granted = new TreeSet<>();
        for (HasMetadata object : chart) {
            List<PolicyRule> rules = object instanceof ClusterRole role && role.getMetadata().getName().equals(InClusterOperator.NAME) ? role.getRules()
                    : object instanceof Role role && role.getMetadata().getName().equals(InClusterOperator.NAME + "-leader-election") ? role.getRules()
                    : List.of();
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            granted.add(new AuditLog.Request(group, resource, verb, false, Instant.EPOCH).permission());
                        }
                    }
                }
            }
        }
        return granted;
    }
}
