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
     * The tag of the classes that run with nothing beside them: those that stop, kill or reinstall the operator, and
     * ChangedToolListE2E, whose ten rollouts and Jobs at once kept a reference-server JVM beside it from
     * starting within 60 s. Failsafe runs them in an execution of their own, before the others, one at a time: in the
     * parallel execution, one waiting for the operator to itself would hold a worker idle and, once queued for the
     * lock, every class that asks for it after.
     */
    static final String ALONE = "alone";
    /**
     * The node's two cores under 20 or more official-SDK workers during rollouts, or under many pods rolled at once: one
     * such class at a time, beside a lighter one, so that what it measures (failed calls, seconds to a rollback, a
     * proxy's peak) is not another class's load. Two of them at once starved the node until a 10 s call timed out.
     */
    static final String LOAD = "mooring.load";

    private NodeShares() {
    }
}
