package dev.mooring.smoke;

/** What the handshake learned about the server. */
record Handshake(String protocolVersion, String serverName, String serverVersion, boolean sessionIssuing) {
}
