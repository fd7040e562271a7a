package io.ordersvc.cqrs.http;

import io.ordersvc.cqrs.tracing.Tracing;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The id that ties a request to the events it causes; the caller's own, or a new one. It is also
 * on every log line written while the request is handled ({@code correlationId}).
 */
public final class Correlation {

    public static final String HEADER = "X-Correlation-Id";

    /** Printable ASCII, up to the length the event log keeps. */
    private static final Pattern ID = Pattern.compile("[\\x20-\\x7E]{1,64}");

    private Correlation() {
    }

    /**
     * The caller's id, or a new one when it sent none (or a blank one). An id that is present must
     * be 1 to 64 printable ASCII characters: it is written with every event the request causes, and
     * an id cut or replaced silently would tie nothing together.
     */
    public static String idOr(String fromCaller) {
        String id = fromCaller == null || fromCaller.isBlank() ? UUID.randomUUID().toString() : fromCaller.strip();
        if (!ID.matcher(id).matches()) {
            throw Preconditions.invalid(HEADER, "must be 1 to 64 printable ASCII characters");
        }
        MDC.put(Tracing.CORRELATION_ID, id);
        return id;
    }
}
