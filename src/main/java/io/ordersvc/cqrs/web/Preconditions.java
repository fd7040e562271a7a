package io.ordersvc.cqrs.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the headers a client sends to say what it last saw: {@code If-Match: "<version>"}, a version, a position. */
public final class Preconditions {

    private static final Pattern VERSION_TAG = Pattern.compile("^(?:W/)?\"(\\d{1,18})\"$");

    private Preconditions() {
    }

    /** The expected version, or null without If-Match; a malformed header is a 400. */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        Matcher m = VERSION_TAG.matcher(ifMatch.strip());
        if (!m.matches()) {
            throw new ProblemException(Problem.invalid(400, "Invalid request",
                    List.of(new Problem.FieldError("If-Match", "must be a version in quotes, such as \"3\""))));
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * A header (or parameter) that holds a whole number of at least {@code min}, or null when it
     * is absent; anything else is a 400 naming it.
     */
    public static Long number(String value, long min, String name, String expected) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.invalid(400, "Invalid request", List.of(new Problem.FieldError(name, expected))));
    }
}
