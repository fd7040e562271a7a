package io.ordersvc.cqrs.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** The id that ties a request to the events it causes; the caller's own, or a new one. */
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
        if (fromCaller == null || fromCaller.isBlank()) {
            return UUID.randomUUID().toString();
        }
        String id = fromCaller.strip();
        if (!ID.matcher(id).matches()) {
            throw Preconditions.invalid(HEADER, "must be 1 to 64 printable ASCII characters");
        }
        return id;
    }
}
