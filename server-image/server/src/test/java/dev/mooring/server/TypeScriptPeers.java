package dev.mooring.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Servers and a client written with the official MCP TypeScript SDK (server-image/peers, `npm ci` first). */
final class TypeScriptPeers {
    static final Path DIR = Path.of("../peers").toAbsolutePath().normalize();

    private TypeScriptPeers() {
    }

    static Process start(String script, int port) throws IOException {
        requireInstalled();
        Process process = new ProcessBuilder("node", script, Integer.toString(port)).directory(DIR.toFile())
                .redirectErrorStream(true).start();
        String first = new String(process.getInputStream().readNBytes(("listening on 127.0.0.1:" + port).length()));
        if (!first.startsWith("listening")) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not start: " + first);
        }
        return process;
    }

    static List<String> command(String script, String... args) {
        requireInstalled();
        var command = new java.util.ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static void requireInstalled() {
        if (!Files.isDirectory(DIR.resolve("node_modules/@modelcontextprotocol/server"))) {
            throw new IllegalStateException("the TypeScript SDK peers are not installed: run `npm ci --prefix server-image/peers` (make test does)");
        }
    }
}
