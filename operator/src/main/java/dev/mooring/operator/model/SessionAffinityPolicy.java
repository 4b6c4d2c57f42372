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
     * @param handsOver      whether the proxies hand sessions over (session.handoff Reinitialize with the proxy)
     */
    public static boolean clientIp(McpServerSpec spec, Boolean issuesSessions, boolean handsOver) {
        return switch (spec.getSession().getAffinity()) {
            case ClientIP -> true;
            case None -> false;
            // With handoff any replica serves any session: pinning would only unbalance the load.
            case Auto -> !handsOver && !Boolean.FALSE.equals(issuesSessions) && (spec.getReplicas() == null || spec.getReplicas() > 1);
        };
    }
}
