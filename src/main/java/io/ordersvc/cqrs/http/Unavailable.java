package io.ordersvc.cqrs.http;

import io.ordersvc.cqrs.viewstore.ViewStore;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * A request that failed because a server it needs is out (refused, closed, shutting down, not
 * answering in time) is answered 503 with {@code Retry-After}, at once: the client may send it
 * again (with its {@code Idempotency-Key}, a command is never applied twice). Not an error of the
 * service, so no stack trace is logged for it.
 */
final class Unavailable {

    /** How the SQL client fails a request on a connection that was closed meanwhile (a plain throwable). */
    private static final String CONNECTION_CLOSED = "Connection is not active now";

    /** Seconds after which a client may try again. */
    static final int RETRY_AFTER_SECONDS = 1;

    private Unavailable() {
    }

    /** Whether {@code failure}, or any of its causes, says a server could not be reached. */
    static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // refused, reset or not made in time (ConnectException and Netty's ConnectTimeoutException are
            // SocketExceptions), closed under the request, no answer in time (Mutiny's and Vert.x's
            // timeouts), or PostgreSQL's word
            // a broken pipe, or a pooled connection that the server's going closed under the request
            if (t instanceof IOException || t instanceof ClosedConnectionException || t instanceof TimeoutException
                    || t.getMessage() != null && t.getMessage().startsWith(CONNECTION_CLOSED)
                    || t instanceof io.smallrye.mutiny.TimeoutException || t instanceof ViewStore.ReadModelsMissing
                    || t instanceof PgException pg && unavailable(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /** Connection exceptions (08…), the server shutting down or starting (57P01–57P03), too many connections. */
    private static boolean unavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300"));
    }

    static Response response() {
        return Response.fromResponse(Problem.response(Problem.of(503, "Service Unavailable",
                        "a server this request needs cannot be reached now; try again")))
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .build();
    }
}
