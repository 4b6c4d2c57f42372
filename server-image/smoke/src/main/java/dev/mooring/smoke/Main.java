package dev.mooring.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** mcp-smoke: checks an MCP server with a real client and says so in one JSON line. */
public final class Main {
    static final int PASS = 0;
    static final int FAIL = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final Path TERMINATION_LOG = Path.of(System.getProperty("mcp-smoke.termination-log", "/dev/termination-log"));

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageError e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("mcp-smoke: " + e.getMessage());
            }
            System.err.println(Options.USAGE);
            return e.getMessage().isEmpty() ? PASS : USAGE;
        }
        SmokeReport report = new SmokeCheck(options).run();
        System.out.println(report.toJson());
        writeTerminationMessage(report.toJsonWithin(SmokeReport.TERMINATION_LIMIT));
        return report.ok() ? PASS : report.reached ? FAIL : UNREACHABLE;
    }

    /** Kubernetes copies this file into the pod's status, where the operator reads the result. */
    private static void writeTerminationMessage(String line) {
        if (!Files.isWritable(TERMINATION_LOG)) {
            return;
        }
        try {
            Files.writeString(TERMINATION_LOG, line, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("mcp-smoke: could not write " + TERMINATION_LOG + ": " + e.getMessage());
        }
    }
}
