package dev.mooring.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.LongConsumer;

/**
 * Request bodies read whole: each up to a limit, all together within the proxy's {@link BufferBudget}, and each
 * within a timeout, since a client that trickles its body would otherwise hold its bytes and its connection for as
 * long as it likes.
 */
final class BoundedBody {
    /** Why a body was not read whole; the request is then answered by the proxy. */
    abstract static class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static final class TooLarge extends Refused {
        TooLarge() {
            super("request body over the limit");
        }
    }

    static final class OverBudget extends Refused {
        OverBudget() {
            super("the proxy holds its budget of buffered request bytes");
        }
    }

    static final class TimedOut extends Refused {
        TimedOut() {
            super("request body incomplete at the body timeout");
        }
    }

    private final Vertx vertx;
    private final long limit;
    private final long timeoutMillis;
    private final BufferBudget budget;

    BoundedBody(Vertx vertx, long limit, long timeoutMillis, BufferBudget budget) {
        this.vertx = vertx;
        this.limit = limit;
        this.timeoutMillis = timeoutMillis;
        this.budget = budget;
    }

    /** The Content-Length of a request, or -1 when it has none the proxy would read whole. */
    static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null && length.matches("[0-9]{1,9}") ? Long.parseLong(length) : -1;
    }

    /**
     * Reads a paused request. A declared length is reserved before anything is read, so a request over the budget is
     * refused at once; a body of unknown length (chunked) is reserved as it arrives. {@code held} is told of every
     * byte reserved: the caller gives them back when it no longer holds the body. After a failure the rest of the
     * body is not kept.
     */
    Future<Buffer> read(HttpServerRequest request, LongConsumer held) {
        long declared = declaredLength(request);
        if (declared > limit) {
            return Future.failedFuture(new TooLarge());
        }
        if (declared >= 0 && !reserve(declared, held)) {
            return Future.failedFuture(new OverBudget());
        }
        Promise<Buffer> body = Promise.promise();
        // Exactly what was reserved: a buffer left to grow could take twice that.
        Buffer collected = Buffer.buffer((int) Math.max(declared, 0));
        long timer = vertx.setTimer(timeoutMillis, id -> body.tryFail(new TimedOut()));
        request.handler(chunk -> {
            if (body.future().isComplete()) {
                return;
            }
            if (collected.length() + (long) chunk.length() > limit) {
                body.tryFail(new TooLarge());
            } else if (declared < 0 && !reserve(chunk.length(), held)) {
                body.tryFail(new OverBudget());
            } else {
                collected.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> body.tryComplete(collected));
        request.resume();
        return body.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private boolean reserve(long bytes, LongConsumer held) {
        if (!budget.reserve(bytes)) {
            return false;
        }
        held.accept(bytes);
        return true;
    }
}
