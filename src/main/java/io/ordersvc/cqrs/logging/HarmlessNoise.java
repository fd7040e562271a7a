package io.ordersvc.cqrs.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Leaves out the few lines that libraries print at WARN or ERROR about things that are not wrong,
 * so that a WARN or an ERROR in this service's log always asks for someone's attention. Each is
 * matched narrowly, and says here why it is harmless:
 * <ul>
 * <li>SRMSG18235, at start: the projectors turn off the Kafka connector's check of unprocessed
 * records on purpose (an outage of Redis is waited out however long it lasts, see
 * application.properties), and the connector says so at every start.</li>
 * <li>"Exception in SSE server handling, impossible to send it to client" with a closed channel: a
 * change-stream client went away while a change was on its way to it; the stream ends, and the
 * client resumes from its last event id when it comes back.</li>
 * <li>"Result is already complete" from the SQL client's pool: when a connection cannot be had
 * (PostgreSQL down), the pool fails the request at once, and later its wait timer fails the same
 * request again (a flaw of the Vert.x SQL client 4.5); the request had its answer already.</li>
 * <li>"This Gauge has been already registered (MeterId{name='redis.pool.…": at start, Quarkus' own
 * Vert.x metrics register the pool meters of the one Redis client twice (the service makes no
 * client of its own); Micrometer keeps the first, and the pool's meters are exported once. Any
 * other meter registered twice is still reported.</li>
 * </ul>
 */
@LoggingFilter(name = "harmless-noise")
public final class HarmlessNoise implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null) {
            return true;
        }
        return !(message.startsWith("SRMSG18235")
                || message.startsWith("This Gauge has been already registered (MeterId{name='redis.pool.")
                || message.startsWith("Exception in SSE server handling, impossible to send it to client")
                        && causedBy(record.getThrown(), "ClosedChannelException")
                || message.startsWith("Uncaught exception received by Vert.x")
                        && record.getThrown() instanceof IllegalStateException failure
                        && "Result is already complete".equals(failure.getMessage())
                        && thrownIn(failure, "io.vertx.sqlclient.impl.pool.SqlConnectionPool"));
    }

    private static boolean causedBy(Throwable thrown, String simpleName) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().endsWith(simpleName)) {
                return true;
            }
        }
        return false;
    }

    private static boolean thrownIn(Throwable thrown, String className) {
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
