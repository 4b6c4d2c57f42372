package dev.mooring.smoke;

/** A check that did not pass, with the sentence a user reads in the McpServer's status. */
public class SmokeFailure extends RuntimeException {
    public SmokeFailure(String message) {
        super(message);
    }

    public SmokeFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Nothing served MCP: the connection was refused or reset before an answer, or something answered 502, 503 or
     * 504. Before the handshake this is retried within the timeout. If refusals last to the end, the check "could not
     * run": it never reached a server, which says nothing about the server's MCP. An HTTP answer that lasts is a
     * failure like any other.
     */
    public static final class Unreachable extends SmokeFailure {
        private final boolean answered;

        public Unreachable(String message, boolean answered, Throwable cause) {
            super(message, cause);
            this.answered = answered;
        }

        /** Whether something answered over HTTP (a 503), as opposed to no connection at all. */
        public boolean answered() {
            return answered;
        }
    }
}
