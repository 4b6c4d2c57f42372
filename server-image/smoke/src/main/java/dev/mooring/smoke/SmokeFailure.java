package dev.mooring.smoke;

/** A check that did not pass, with the sentence a user reads in the McpServer's status. */
public class SmokeFailure extends RuntimeException {
    public SmokeFailure(String message) {
        super(message);
    }

    public SmokeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
