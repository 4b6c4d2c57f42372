package dev.mooring.proxy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The proxy's Prometheus metrics, in the text format, with no library: requests by MCP method, tool and outcome,
 * latency by method, calls in flight, open streams, sessions seen, requests sent again and drains by outcome. Label values come from
 * clients, so methods are one of {@link McpCall#METHOD_LABELS} and distinct (method, tool, outcome) series are capped;
 * the calls of further tools count under tool "_other". The rest is a fixed set of series whatever clients send:
 * the gauges of calls, streams and buffered request bytes, the counters of sessions seen and not handed over, of
 * requests sent again and of requests refused for the buffer budget, drains by outcome (2) and client connections
 * ended by a timeout, by {@link #TIMEOUTS} (3).
 */
final class ProxyMetrics {
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Series of mooring_proxy_requests_total at most, whatever clients send. */
    static final int SERIES_LIMIT = 2000;
    /** The outcomes {@link Exchange} reports requests with. */
    static final Set<String> OUTCOMES = Set.of("ok", "client_error", "server_error", "upstream_unavailable", "upstream_reset",
            "client_gone", "stream_ended_by_drain");
    /**
     * Series without a tool are known in advance: one per method label and outcome, and one per named method and outcome
     * for the tools past the limit ("_other"). A series for a new tool is made only while room for all of these is
     * left, so that they never take the total past SERIES_LIMIT.
     */
    private static final int FIXED_SERIES = (McpCall.METHOD_LABELS.size() + McpCall.NAMED_METHODS.size()) * OUTCOMES.size();
    /** The timeouts that end client connections: a request head, a body read whole, or idleness. */
    static final List<String> TIMEOUTS = List.of("header", "body", "idle");

    private record Key(String method, String tool, String outcome) {
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> drains = new ConcurrentHashMap<>();
    private final LongAdder sessions = new LongAdder();
    private final LongAdder resent = new LongAdder();
    private final LongAdder bufferRefusals = new LongAdder();
    private final LongAdder notHandedOver = new LongAdder();
    private final Map<String, LongAdder> timeouts = new TreeMap<>();
    private final IntSupplier inFlightCalls;
    private final IntSupplier openStreams;
    private final LongSupplier bufferedBytes;

    ProxyMetrics(IntSupplier inFlightCalls, IntSupplier openStreams, LongSupplier bufferedBytes) {
        this.inFlightCalls = inFlightCalls;
        this.openStreams = openStreams;
        this.bufferedBytes = bufferedBytes;
        TIMEOUTS.forEach(timeout -> timeouts.put(timeout, new LongAdder()));
    }

    void request(McpCall call, String outcome, long nanos) {
        // McpCall makes no other label; a method that is not one would be a series per client's whim, here and in the histogram.
        String method = McpCall.METHOD_LABELS.contains(call.method()) ? call.method() : "other";
        Key key = new Key(method, call.tool(), outcome);
        if (!call.tool().isEmpty() && !requests.containsKey(key) && requests.size() >= SERIES_LIMIT - FIXED_SERIES) {
            key = new Key(method, "_other", outcome);
        }
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        latency.computeIfAbsent(method, m -> new Histogram()).observe(nanos / 1e9);
    }

    void sessionSeen() {
        sessions.increment();
    }

    void upstreamResent() {
        resent.increment();
    }

    void drain(String outcome) {
        drains.computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    void bufferRefused() {
        bufferRefusals.increment();
    }

    void sessionNotHandedOver() {
        notHandedOver.increment();
    }

    /** @param timeout one of {@link #TIMEOUTS} */
    void clientTimedOut(String timeout) {
        timeouts.get(timeout).increment();
    }

    String scrape() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP mooring_proxy_requests_total Requests through the proxy by MCP method, tool and outcome.\n")
                .append("# TYPE mooring_proxy_requests_total counter\n");
        sortedRequests().forEach((labels, n) -> out.append("mooring_proxy_requests_total").append(labels).append(' ').append(n).append('\n'));
        out.append("# HELP mooring_proxy_request_duration_seconds Time from a request's arrival to the end of its response.\n")
                .append("# TYPE mooring_proxy_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((method, histogram) -> histogram.write(out, "mooring_proxy_request_duration_seconds", "method=\"" + escape(method) + "\""));
        gauge(out, "mooring_proxy_in_flight_calls", "Calls forwarded and not yet answered (streams excluded).", inFlightCalls.getAsInt());
        gauge(out, "mooring_proxy_open_streams", "Server-sent event streams open through the proxy.", openStreams.getAsInt());
        counter(out, "mooring_proxy_sessions_seen_total", "MCP sessions the server opened through the proxy.", sessions.sum());
        counter(out, "mooring_proxy_upstream_resent_total",
                "Requests sent again on a fresh connection after a kept-alive one to the server failed under them.", resent.sum());
        gauge(out, "mooring_proxy_buffered_bytes", "Request bytes read whole and held by the proxy, across all connections.",
                bufferedBytes.getAsLong());
        counter(out, "mooring_proxy_buffer_refusals_total",
                "Requests answered 503 because reading them whole would have passed the budget of buffered request bytes.", bufferRefusals.sum());
        counter(out, "mooring_proxy_sessions_not_handed_over_total",
                "Sessions whose initialize was too large for a session token: they stay on the replica that opened them.", notHandedOver.sum());
        out.append("# HELP mooring_proxy_client_timeouts_total Client connections closed by a timeout: header, body or idle.\n")
                .append("# TYPE mooring_proxy_client_timeouts_total counter\n");
        timeouts.forEach((timeout, n) -> out.append("mooring_proxy_client_timeouts_total{timeout=\"").append(timeout).append("\"} ")
                .append(n.sum()).append('\n'));
        out.append("# HELP mooring_proxy_drains_total Drains by outcome: drained (nothing left in flight) or deadline.\n")
                .append("# TYPE mooring_proxy_drains_total counter\n");
        new TreeMap<>(drains).forEach((outcome, n) -> out.append("mooring_proxy_drains_total{outcome=\"").append(outcome).append("\"} ").append(n.sum()).append('\n'));
        return out.toString();
    }

    private Map<String, Long> sortedRequests() {
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, n) -> sorted.put("{method=\"" + escape(k.method()) + "\",tool=\"" + escape(k.tool()) + "\",outcome=\"" + k.outcome() + "\"}", n.sum()));
        return sorted;
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        series(out, name, "gauge", help, value);
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        series(out, name, "counter", help, value);
    }

    /** A metric of one series, without labels. */
    private static void series(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        private final LongAdder sumMicros = new LongAdder();

        void observe(double seconds) {
            int bucket = 0;
            while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) {
                bucket++;
            }
            counts.incrementAndGet(bucket);
            sumMicros.add(Math.round(seconds * 1e6));
        }

        void write(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts.get(i);
                out.append(name).append("_bucket{").append(labels).append(",le=\"").append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            cumulative += counts.get(BUCKETS.length);
            out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(cumulative).append('\n')
                    .append(name).append("_sum{").append(labels).append("} ").append(sumMicros.sum() / 1e6).append('\n')
                    .append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
        }
    }
}
