package io.ordersvc.cqrs.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;

/**
 * The rule for text a client sends: every string of a request body (names, emails, SKUs, reasons,
 * address lines: all single-line) and every header the service reads. Refused: Unicode's control
 * characters (category Cc: U+0000–U+001F, tab and newline included, U+007F, and the C1 controls
 * U+0080–U+009F), the line and paragraph separators U+2028 and U+2029, and half a surrogate pair.
 * PostgreSQL refuses NUL in text outright (a 500 before this rule); the others have no place in a
 * one-line value and would reach logs, exports and other clients' screens as they are. Format
 * characters (zero-width joiners, bidirectional marks) stay allowed: some scripts need them.
 */
public final class PlainText {

    private PlainText() {
    }

    /** Why the text breaks the rule, naming the first character it refuses; null when it does not. */
    public static String violation(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return refused(c, i, "half a surrogate pair");
            } else if (Character.getType(c) == Character.CONTROL) {
                return refused(c, i, "a control character");
            } else if (c == '\u2028' || c == '\u2029') {
                return refused(c, i, "a line break");
            }
        }
        return null;
    }

    private static String refused(char c, int index, String what) {
        return String.format("must be text on one line without control characters: U+%04X (%s) at position %d", (int) c,
                what, index);
    }

    /** A string of a request body that breaks the rule; Jackson adds the path to its field. */
    public static final class Refused extends MismatchedInputException {

        Refused(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    /** Reads every string of a request body as Jackson does, then holds it to the rule. */
    static final class Deserializer extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = super.deserialize(p, ctxt);
            String violation = text == null ? null : violation(text);
            if (violation != null) {
                throw new Refused(p, violation);
            }
            return text;
        }
    }
}
