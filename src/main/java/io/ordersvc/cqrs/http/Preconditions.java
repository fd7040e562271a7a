package io.ordersvc.cqrs.http;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the headers and parameters a client sends: what it last saw ({@code If-Match: "<version>"},
 * a version, a position), its idempotency key, a page size. Each is optional; one that is present
 * and malformed is a 400 naming it, before anything is read or written. Numbers are 1 to 18 ASCII
 * digits (no sign, no spaces inside, no other script's digits), so that every one fits a long.
 */
public final class Preconditions {

    private static final Pattern VERSION_TAG = Pattern.compile("^(?:W/)?\"([0-9]{1,18})\"$");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");
    /** Printable ASCII, up to the length the key's column holds: a client's own token, such as a UUID. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x20-\\x7E]{1,200}");

    private Preconditions() {
    }

    /** The expected version, or null without If-Match; a malformed header is a 400. */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        Matcher m = VERSION_TAG.matcher(ifMatch.strip());
        if (!m.matches()) {
            throw invalid("If-Match", "must be a version in quotes, such as \"3\"");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * The {@code Idempotency-Key}, or null without one. A key that is present must be 1 to 200
     * printable ASCII characters: an empty key would be one key shared by every client that sends
     * it, and a longer one does not fit where keys are kept.
     */
    public static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        String stripped = key.strip();
        if (!IDEMPOTENCY_KEY.matcher(stripped).matches()) {
            throw invalid(IdempotencyKeyHeader.NAME, "must be 1 to 200 printable ASCII characters, such as a UUID");
        }
        return stripped;
    }

    /**
     * A header (or parameter) that holds a whole number of at least {@code min}, or null when it
     * is absent; anything else is a 400 naming it.
     */
    public static Long number(String value, long min, String name, String expected) {
        return number(value, min, Long.MAX_VALUE, name, expected);
    }

    /** A whole number from {@code min} to {@code max}, or null when absent; anything else is a 400 naming it. */
    public static Long number(String value, long min, long max, String name, String expected) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String digits = value.strip();
        if (WHOLE_NUMBER.matcher(digits).matches()) {
            long n = Long.parseLong(digits);
            if (n >= min && n <= max) {
                return n;
            }
        }
        throw invalid(name, expected);
    }

    static ProblemException invalid(String name, String expected) {
        return new ProblemException(Problem.invalid(400, "Invalid request", List.of(new Problem.FieldError(name, expected))));
    }
}
