package dev.mooring.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.smoke.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MCP check the operator asks for, read from the mounted ConfigMap on every attempt: {@code {"check": ID,
 * "args": [mcp-smoke's command line]}}. A ConfigMap, not the pod's environment, so that editing
 * spec.verification never re-rolls pods; an empty args list means no check before traffic.
 */
record CheckSettings(String check, Options options) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Settings that cannot be used: reported like a failed check, so the pod never turns ready on a misreading. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /** Empty when no check is asked for. */
    static Optional<CheckSettings> read(Path file) throws Unreadable {
        JsonNode settings;
        try {
            settings = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new Unreadable("the check settings " + file + " are missing");
        } catch (IOException e) {
            throw new Unreadable("the check settings " + file + " cannot be read: " + e.getMessage());
        }
        if (settings == null || !settings.path("args").isArray()) {
            throw new Unreadable("the check settings " + file + " have no args list");
        }
        List<String> args = new ArrayList<>();
        settings.get("args").forEach(a -> args.add(a.asText()));
        if (args.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CheckSettings(settings.path("check").asText(""), Options.parse(args.toArray(String[]::new))));
        } catch (Options.UsageError e) {
            throw new Unreadable("the check settings " + file + " are not a valid mcp-smoke command line: " + e.getMessage());
        }
    }
}
