package dev.mooring.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bytes the proxy holds in memory at once, across all connections: each request body it reads whole is
 * bounded on its own (MooringProxy.MAX_BUFFERED_BODY), but enough clients sending such bodies at once would still
 * exhaust a heap that is small and shared by every client of the pod. A body is reserved before it is read and given
 * back when its exchange ends. Large bodies may take three quarters of the budget: the rest is kept for the small
 * bodies of ordinary calls (every call is read whole), so that a flood of large bodies cannot get them refused.
 */
final class BufferBudget {
    /** Larger than any ordinary call: a tools/call is a few KiB. */
    static final long SMALL_BODY = 64 * 1024;

    private final long limit;
    private final long largeLimit;
    private final AtomicLong held = new AtomicLong();

    BufferBudget(long limit) {
        this.limit = limit;
        this.largeLimit = limit - limit / 4;
    }

    /** Reserves the bytes unless that would pass the budget; returns whether it did. */
    boolean reserve(long bytes) {
        long bound = bytes > SMALL_BODY ? largeLimit : limit;
        long before;
        do {
            before = held.get();
            if (before + bytes > bound) {
                return false;
            }
        } while (!held.compareAndSet(before, before + bytes));
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
