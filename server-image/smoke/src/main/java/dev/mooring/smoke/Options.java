package dev.mooring.smoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** mcp-smoke's command line. */
public record Options(URI url, URI healthUrl, Transport transport, List<String> expectTools, String toolSchemaSha256,
                      String callTool, ObjectNode callArgs, Map<String, String> headers, Duration timeout) {

    public enum Transport { STREAMABLE_HTTP, SSE }

    public static final String USAGE = """
            usage: mcp-smoke --url URL [--transport streamable-http|sse] [--expect-tools a,b]
                             [--tool-schema-sha256 HEX] [--call TOOL [--args JSON]] [--header K:V]... [--headers-dir DIR]
                             [--timeout 30s] [--health-url URL]
            Checks an MCP server with a real client: handshake (2026-07-28 server/discover, else initialize),
            tools/list, the expected tools and schema hash, and optionally one tool call; first, when given,
            a GET on the health URL must answer 200. --headers-dir sends one header per file of DIR (the file's
            name is the header's name, its content the value): a mounted Secret, so no credential is on the command line.
            While nothing answers (connection refused or reset, HTTP 502-504) the handshake is retried within the timeout.
            Prints one JSON line; exit 0 pass, 1 fail, 2 usage error, 3 could not reach any server ("reached": false).""";

    /** A command line that cannot be run, reported with exit code 2. */
    public static class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }
    }

    private static final java.util.Set<String> FLAGS = java.util.Set.of("--url", "--transport", "--expect-tools",
            "--tool-schema-sha256", "--call", "--args", "--header", "--headers-dir", "--timeout", "--health-url");
    /** The grammar of the McpServer's duration fields (and Go's, without fractions): 500ms, 30s, 1m30s, 1h. */
    private static final Pattern DURATION = Pattern.compile("^([0-9]{1,6}(ms|s|m|h))+$");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    public static Options parse(String[] args) {
        URI url = null;
        URI healthUrl = null;
        Transport transport = Transport.STREAMABLE_HTTP;
        List<String> expect = List.of();
        String hash = null;
        String call = null;
        ObjectNode callArgs = new ObjectMapper().createObjectNode();
        Map<String, String> headers = new LinkedHashMap<>();
        Duration timeout = Duration.ofSeconds(30);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new UsageError("");
            }
            if (!FLAGS.contains(flag)) {
                throw new UsageError("unknown option " + flag);
            }
            if (i + 1 >= args.length) {
                throw new UsageError(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--url" -> url = url(value);
                case "--health-url" -> healthUrl = url(value);
                case "--transport" -> transport = switch (value) {
                    case "streamable-http" -> Transport.STREAMABLE_HTTP;
                    case "sse" -> Transport.SSE;
                    default -> throw new UsageError("--transport must be streamable-http or sse, not " + value);
                };
                case "--expect-tools" -> expect = names(value);
                case "--tool-schema-sha256" -> {
                    if (!value.matches("[0-9a-f]{64}")) {
                        throw new UsageError("--tool-schema-sha256 must be 64 lowercase hex characters");
                    }
                    hash = value;
                }
                case "--call" -> call = value;
                case "--args" -> callArgs = jsonObject(value);
                case "--header" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        throw new UsageError("--header must look like Name:value, not " + value);
                    }
                    headers.put(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
                }
                case "--headers-dir" -> headers.putAll(HeaderFiles.read(value));
                case "--timeout" -> timeout = duration(value);
                default -> throw new UsageError("unknown option " + flag);
            }
        }
        if (url == null) {
            throw new UsageError("--url is required");
        }
        return new Options(url, healthUrl, transport, expect, hash, call, callArgs, Map.copyOf(headers), timeout);
    }

    /** The same check with another overall timeout: the proxy fits each attempt into the server's startup allowance. */
    public Options withTimeout(Duration shorter) {
        return new Options(url, healthUrl, transport, expectTools, toolSchemaSha256, callTool, callArgs, headers, shorter);
    }

    private static URI url(String value) {
        try {
            URI uri = URI.create(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new UsageError("URLs must be http or https, not " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageError("not a URL: " + value);
        }
    }

    private static List<String> names(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return List.copyOf(names);
    }

    private static ObjectNode jsonObject(String value) {
        try {
            var node = new ObjectMapper().readTree(value);
            if (!node.isObject()) {
                throw new UsageError("--args must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UsageError("--args is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static Duration duration(String value) {
        if (!DURATION.matcher(value).matches() || value.length() > 32) {
            throw new UsageError("--timeout must look like 500ms, 30s, 2m or 1m30s, not " + value);
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(value);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return total;
    }
}
