package dev.mooring.server;

import io.quarkiverse.mcp.server.InitialCheck;
import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.McpConnection;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkus.runtime.Quarkus;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fault switches for tests of verification and rollback, all off unless MCP_FAULTS names them
 * (comma-separated): fail-initialize, drop-tool:NAME, fail-health, exit-at-start, fail-livez-once (/livez fails
 * until the container has been restarted once: the mark is a file in /tmp, which a pod keeps across restarts).
 * Never set in production.
 */
@Singleton
public class Faults implements InitialCheck, ToolFilter {
    private static final Logger LOG = Logger.getLogger(Faults.class);
    static final int EXIT_AT_START = 3;

    static final Path LIVEZ_FAILED_ONCE = Path.of(System.getProperty("java.io.tmpdir"), "mooring-fault-livez-failed");

    private final Set<String> faults;
    private final boolean failLivez;

    public Faults(@ConfigProperty(name = "mcp.faults") Optional<String> faults) {
        this.faults = faults.map(f -> Arrays.stream(f.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
        if (!this.faults.isEmpty()) {
            LOG.warnf("fault switches on: %s", this.faults);
        }
        this.failLivez = this.faults.contains("fail-livez-once") && markFirstStart();
    }

    /** Whether no earlier container of this pod started with fail-livez-once: only the first one fails. */
    private static boolean markFirstStart() {
        try {
            Files.createFile(LIVEZ_FAILED_ONCE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("fail-livez-once needs a writable " + LIVEZ_FAILED_ONCE.getParent(), e);
        }
    }

    public boolean failLivez() {
        return failLivez;
    }

    public boolean failHealth() {
        return faults.contains("fail-health");
    }

    void exitAtStartIfAsked() {
        if (faults.contains("exit-at-start")) {
            LOG.error("fault switch exit-at-start: exiting");
            Quarkus.asyncExit(EXIT_AT_START);
        }
    }

    @Override
    public Uni<CheckResult> perform(InitialRequest request) {
        return faults.contains("fail-initialize")
                ? CheckResult.error("initialize refused by the fail-initialize fault switch")
                : CheckResult.success();
    }

    @Override
    public boolean test(ToolManager.ToolInfo tool, McpConnection connection) {
        return !faults.contains("drop-tool:" + tool.name());
    }
}
