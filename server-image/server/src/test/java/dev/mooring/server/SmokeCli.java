package dev.mooring.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real mcp-smoke command line, as a verification Job does, and reads its one JSON line. */
final class SmokeCli {
    record Run(int exitCode, JsonNode line, String stderr, String terminationMessage) {
    }

    private SmokeCli() {
    }

    static Run run(String... args) throws IOException, InterruptedException {
        Path termination = Files.createTempFile("termination-", ".log");
        List<String> command = new ArrayList<>(List.of(ServerProcess.javaBin(), "-cp", System.getProperty("java.class.path"),
                "-Dmcp-smoke.termination-log=" + termination, "dev.mooring.smoke.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mcp-smoke did not finish within 90s");
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode line = stdout.isEmpty() ? null : new ObjectMapper().readTree(stdout);
        if (line != null && stdout.contains("\n")) {
            throw new IllegalStateException("mcp-smoke printed more than one line: " + stdout);
        }
        return new Run(process.exitValue(), line, stderr, Files.readString(termination));
    }
}
