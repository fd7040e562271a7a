package io.ordersvc.cqrs.web;

import java.util.UUID;

/** The id that ties a request to the events it causes; the caller's own, or a new one. */
public final class Correlation {

    public static final String HEADER = "X-Correlation-Id";

    private Correlation() {
    }

    public static String idOr(String fromCaller) {
        return fromCaller == null || fromCaller.isBlank() || fromCaller.length() > 64
                ? UUID.randomUUID().toString() : fromCaller;
    }
}
