package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServerSpec;

/** Decides whether the Service pins clients to pods. */
public final class SessionAffinityPolicy {
    private SessionAffinityPolicy() {
    }

    /**
     * @param issuesSessions what verification learned about the server: true, false, or null when not known yet.
     *                       While unknown, Auto assumes sessions, because pinning a stateless client costs
     *                       nothing while spraying a stateful one across pods breaks it.
     */
    public static boolean clientIp(McpServerSpec spec, Boolean issuesSessions) {
        return switch (spec.getSession().getAffinity()) {
            case ClientIP -> true;
            case None -> false;
            case Auto -> !Boolean.FALSE.equals(issuesSessions) && (spec.getReplicas() == null || spec.getReplicas() > 1);
        };
    }
}
