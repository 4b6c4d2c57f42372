package dev.mooring.operator.e2e;

/**
 * What end-to-end classes share, named for JUnit's resource locks: failsafe's end-to-end execution runs two classes
 * at a time, and a class declares what it reads and what it must have to itself.
 */
final class NodeShares {
    /**
     * The operator installed from the chart. Every class needs it running ({@code READ}); a class that stops, kills or
     * reinstalls it runs alone ({@code READ_WRITE}).
     */
    static final String OPERATOR = "mooring.operator";
    /**
     * The node's two cores under official-SDK load during rollouts: one such class at a time, so that what it measures
     * (failed calls, seconds to a rollback) is not another class's load.
     */
    static final String LOAD = "mooring.load";

    private NodeShares() {
    }
}
