package dev.mooring.smoke;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A response body read under the check's limits, whatever the server does: at most {@link #MAX_RESPONSE_BYTES}
 * per answer and {@link #MAX_TOTAL_BYTES} in all, and never past the check's deadline. HTTP clients bound the
 * wait for headers only; a server that drips one byte a second, or sends without end, is cut here.
 */
final class BoundedBody extends FilterInputStream {
    static final long MAX_RESPONSE_BYTES = 4L << 20;
    static final long MAX_TOTAL_BYTES = 16L << 20;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mcp-smoke-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final String what;
    private final AtomicLong total;
    private final Instant deadline;
    private final ScheduledFuture<?> cut;
    private long read;

    BoundedBody(InputStream body, String what, AtomicLong total, Instant deadline) {
        super(body);
        this.what = what;
        this.total = total;
        this.deadline = deadline;
        long delay = Math.max(0, deadline.toEpochMilli() - System.currentTimeMillis());
        this.cut = WATCHDOG.schedule(this::closeQuietly, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public int read() throws IOException {
        int b = guarded(() -> super.read());
        count(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = guarded(() -> super.read(buffer, offset, length));
        count(Math.max(n, 0));
        return n;
    }

    @Override
    public void close() throws IOException {
        cut.cancel(false);
        super.close();
    }

    private interface Read {
        int run() throws IOException;
    }

    private int guarded(Read read) throws IOException {
        try {
            return read.run();
        } catch (IOException e) {
            if (!Instant.now().isBefore(deadline)) {
                throw new SmokeFailure("timed out reading " + what + ": the check did not finish within its timeout");
            }
            throw e;
        }
    }

    private void count(int n) {
        read += n;
        if (read > MAX_RESPONSE_BYTES) {
            throw new SmokeFailure(what + " is larger than " + (MAX_RESPONSE_BYTES >> 20) + " MiB; mcp-smoke stopped reading");
        }
        if (total.addAndGet(n) > MAX_TOTAL_BYTES) {
            throw new SmokeFailure("the server sent more than " + (MAX_TOTAL_BYTES >> 20) + " MiB in all; mcp-smoke stopped reading");
        }
    }

    private void closeQuietly() {
        try {
            super.close();
        } catch (IOException ignored) {
            // a body cut at the deadline; the reader learns it from its read
        }
    }
}
