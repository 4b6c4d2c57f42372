package dev.mooring.operator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The API server's own record of the requests it received (logs/audit.log of the local cluster), so
 * that tests count Mooring's writes from outside the operator instead of trusting it to count itself.
 */
public final class AuditLog {
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");
    private static final Pattern MOORING = Pattern.compile("[?&]fieldManager=mooring(&|$)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private AuditLog(Path file) {
        this.file = file;
    }

    public static AuditLog fromEnvironment() {
        String path = System.getenv("MOORING_AUDIT_LOG");
        if (path == null || !Files.isReadable(Path.of(path))) {
            throw new IllegalStateException("MOORING_AUDIT_LOG does not name the API server's audit log (it is '" + path
                    + "'): run the tests with `make test`, whose local cluster writes one");
        }
        return new AuditLog(Path.of(path));
    }

    /** A position in the log; writes are counted from here on. */
    public long mark() {
        return lines().size();
    }

    /** Writes in the namespace under Mooring's field manager, made after {@code mark}, as "verb uri" lines. */
    public List<String> mooringWritesSince(long mark, String namespace) {
        return lines().stream().skip(mark).map(AuditLog::parse)
                .filter(e -> WRITES.contains(e.path("verb").asText()))
                .filter(e -> namespace.equals(e.path("objectRef").path("namespace").asText()))
                .filter(e -> MOORING.matcher(e.path("requestURI").asText()).find())
                .map(e -> e.path("verb").asText() + " " + e.path("requestURI").asText())
                .toList();
    }

    /**
     * A request as RBAC sees it: API group ("" for core), resource with its subresource, verb, and whether RBAC
     * refused it (a 403 for another reason, such as a namespace being deleted, is not RBAC's).
     */
    public record Request(String group, String resource, String verb, boolean refusedByRbac, Instant at) {
        public String permission() {
            return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
        }
    }

    /** Resource requests (not discovery's non-resource URLs, which every authenticated user may read) made by this user since {@code mark}; a watch still open appears once, at ResponseStarted. */
    public List<Request> requestsBy(String username, long mark) {
        return lines().stream().skip(mark).map(AuditLog::parse)
                .filter(e -> username.equals(e.path("user").path("username").asText()))
                .filter(e -> e.has("objectRef"))
                .flatMap(e -> {
                    JsonNode ref = e.path("objectRef");
                    String subresource = ref.path("subresource").asText();
                    String resource = ref.path("resource").asText() + (subresource.isEmpty() ? "" : "/" + subresource);
                    int code = e.path("responseStatus").path("code").asInt();
                    boolean refused = code == 403 && e.path("responseStatus").path("message").asText().contains(" cannot ");
                    Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
                    Request request = new Request(ref.path("apiGroup").asText(), resource, e.path("verb").asText(), refused, at);
                    // A server-side apply that creates its object is a patch that RBAC also checks as a create.
                    boolean created = request.verb().equals("patch") && code == 201;
                    return created ? Stream.of(request, new Request(request.group(), resource, "create", false, at)) : Stream.of(request);
                })
                .toList();
    }

    /** Every write (any field manager: status, events, Jobs too) by this user in the namespace since {@code mark}, as "verb resource/name". */
    public List<String> writesBy(String username, String namespace, long mark) {
        return lines().stream().skip(mark).map(AuditLog::parse)
                .filter(e -> e.path("stage").asText().equals("ResponseComplete") && WRITES.contains(e.path("verb").asText()))
                .filter(e -> username.equals(e.path("user").path("username").asText()))
                .filter(e -> namespace.equals(e.path("objectRef").path("namespace").asText()))
                .map(e -> {
                    JsonNode ref = e.path("objectRef");
                    String subresource = ref.path("subresource").asText();
                    return e.path("verb").asText() + " " + ref.path("resource").asText() + (subresource.isEmpty() ? "" : "/" + subresource)
                            + "/" + ref.path("name").asText();
                })
                .toList();
    }

    /** When RBAC bindings whose names start with {@code prefix} were deleted since {@code mark}. */
    public List<Instant> bindingDeletions(String prefix, long mark) {
        return lines().stream().skip(mark).map(AuditLog::parse)
                .filter(e -> e.path("stage").asText().equals("ResponseComplete") && e.path("verb").asText().equals("delete"))
                .filter(e -> e.path("objectRef").path("apiGroup").asText().equals("rbac.authorization.k8s.io"))
                .filter(e -> e.path("objectRef").path("resource").asText().endsWith("rolebindings"))
                .filter(e -> e.path("objectRef").path("name").asText().startsWith(prefix))
                .map(e -> Instant.parse(e.path("requestReceivedTimestamp").asText()))
                .toList();
    }

    /**
     * Every line the API server wrote since it started, oldest first: the files it rotated away (audit-TIME.log,
     * whose names sort before audit.log and by time) and then the current one, so that a mark taken before a
     * rotation still counts from the same request.
     */
    private List<String> lines() {
        String current = file.getFileName().toString();
        String prefix = current.replaceFirst("\\.log$", "") + "-";
        try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
            List<Path> files = siblings.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".log"))
                    .sorted().collect(Collectors.toCollection(ArrayList::new));
            files.add(file);
            List<String> lines = new ArrayList<>();
            for (Path path : files) {
                try (Stream<String> content = Files.lines(path)) {
                    content.forEach(lines::add);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
