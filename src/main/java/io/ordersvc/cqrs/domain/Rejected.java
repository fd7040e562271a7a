package io.ordersvc.cqrs.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command the domain refuses. Plain Java, so that pure domain code can throw it; the web layer
 * turns it into a problem response.
 */
public class Rejected extends RuntimeException {

    public enum Kind {
        /** Well-formed, but names something unknown or unusable (422). */
        UNPROCESSABLE,
        /** Not allowed in the aggregate's current state (409). */
        CONFLICT,
        /** Made against a version that is no longer current (412). */
        STALE,
        /** Names something that does not exist, as the target of the request (404). */
        NOT_FOUND,
        /** Asks for something the caller may not do, whatever the state (403). */
        FORBIDDEN
    }

    private final Kind kind;
    private final String field;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public Rejected(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public static Rejected unprocessable(String field, String message) {
        return new Rejected(Kind.UNPROCESSABLE, field, message);
    }

    public static Rejected notFound(String what) {
        return new Rejected(Kind.NOT_FOUND, null, what + " does not exist");
    }

    public static Rejected forbidden(String field, String message) {
        return new Rejected(Kind.FORBIDDEN, field, message);
    }

    public static Rejected conflict(String message) {
        return new Rejected(Kind.CONFLICT, null, message);
    }

    /**
     * Refuses a command made against another version than the current one (its {@code If-Match}),
     * naming the current one; a command that names none is made against whatever is current.
     */
    public static void requireVersion(Long expected, long current, String what) {
        if (expected != null && expected != current) {
            throw new Rejected(Kind.STALE, "If-Match", "expected version " + expected + ", but " + what + " is at version "
                    + current).with("currentVersion", current);
        }
    }

    public Rejected with(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public Kind kind() {
        return kind;
    }

    /** The offending input field, or null when the refusal is about state. */
    public String field() {
        return field;
    }

    public Map<String, Object> details() {
        return details;
    }
}
