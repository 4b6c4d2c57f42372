package dev.mooring.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

/**
 * What admission should have refused but a stored McpServer still holds: values an older CRD let through, or
 * enum values of a newer CRD this operator does not know. Such an object is reported and left alone; every
 * other McpServer is reconciled as usual.
 */
public final class SpecProblems {
    static final int MAX_REPLICAS = 1000;
    static final int MAX_SURGE = 100;

    private SpecProblems() {
    }

    public static List<String> of(McpServerSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.getReplicas() != null && spec.getReplicas() > MAX_REPLICAS) {
            problems.add("spec.replicas must be at most " + MAX_REPLICAS + (spec.getReplicas() == Integer.MAX_VALUE ? " (it is beyond int32)" : ", not " + spec.getReplicas()));
        }
        if (spec.getRollout().getMaxSurge() != null && spec.getRollout().getMaxSurge() > MAX_SURGE) {
            problems.add("spec.rollout.maxSurge must be at most " + MAX_SURGE);
        }
        unknown(problems, spec.getImagePullPolicy(), "spec.imagePullPolicy", "Always, IfNotPresent or Never");
        unknown(problems, spec.getTransport().getType(), "spec.transport.type", "streamable-http or sse");
        unknown(problems, spec.getSession().getAffinity(), "spec.session.affinity", "Auto, ClientIP or None");
        unknown(problems, spec.getVerification().getOnFailure(), "spec.verification.onFailure", "Rollback or Hold");
        unknown(problems, spec.getNetwork().getPolicy(), "spec.network.policy", "Default or None");
        return problems;
    }

    /** The CRD's defaults fill these in, so null can only mean a value this operator does not know. */
    private static void unknown(List<String> problems, Object value, String field, String known) {
        if (value == null) {
            problems.add(field + " holds a value this Mooring version does not know (it knows " + known + "); upgrade Mooring or change the field");
        }
    }
}
