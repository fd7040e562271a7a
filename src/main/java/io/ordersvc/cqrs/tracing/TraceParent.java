package io.ordersvc.cqrs.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.regex.Pattern;

/**
 * A span's context in the W3C {@code traceparent} form ({@code 00-<trace id>-<span id>-<flags>}):
 * how the context of the request that caused an event is kept with the event, carried in its Kafka
 * record and on the change streams, so that everything the event causes later joins that trace.
 */
public final class TraceParent {

    /** The header that carries it, in HTTP and in Kafka records. */
    public static final String HEADER = "traceparent";

    private static final Pattern FORM = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private TraceParent() {
    }

    /** The current span's context, or null when there is none. */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    /** The context as a traceparent, or null for an invalid one. */
    public static String of(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** The context a traceparent names, as a remote parent; invalid for null or a malformed one. */
    public static SpanContext context(String traceParent) {
        if (traceParent == null || !FORM.matcher(traceParent).matches()) {
            return SpanContext.getInvalid();
        }
        return SpanContext.createFromRemoteParent(traceParent.substring(3, 35), traceParent.substring(36, 52),
                TraceFlags.fromHex(traceParent, 53), TraceState.getDefault());
    }

    /** The trace id of a traceparent, or null when there is none. */
    public static String traceId(String traceParent) {
        SpanContext context = context(traceParent);
        return context.isValid() ? context.getTraceId() : null;
    }
}
