package dev.mooring.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** A request body read whole, up to a limit: the proxy's heap is small and shared by every client of the pod. */
final class BoundedBody {
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("request body over the limit", null, false, false);
        }
    }

    private BoundedBody() {
    }

    /**
     * Reads a paused request; fails with {@link TooLarge} past {@code limit} bytes, and then reads the rest without
     * keeping it, so that the connection stays usable for the client's next request.
     */
    static Future<Buffer> read(HttpServerRequest request, long limit) {
        Promise<Buffer> body = Promise.promise();
        Buffer collected = Buffer.buffer();
        request.handler(chunk -> {
            if (body.future().isComplete()) {
                return;
            }
            if (collected.length() + (long) chunk.length() > limit) {
                body.tryFail(new TooLarge());
            } else {
                collected.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> body.tryComplete(collected));
        request.resume();
        return body.future();
    }
}
