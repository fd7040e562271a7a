package io.ordersvc.cqrs.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.jboss.logging.MDC;

/**
 * The spans the service makes itself, where an event moves on without a request around it: the
 * relay's publish, the projector's work, a change's delivery to stream clients. Each continues the
 * trace of the request that caused the event, from the traceparent kept with it; a span with
 * several parents (a batch) links them instead.
 */
@ApplicationScoped
public class Tracing {

    /** The names of the ids on log lines, as Quarkus names a request's. */
    private static final String TRACE_ID = "traceId";
    private static final String SPAN_ID = "spanId";
    /** The name of the correlation id on log lines. */
    public static final String CORRELATION_ID = "correlationId";

    private final Tracer tracer;

    Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** A span started now, the child of the span that {@code parent} names (a new trace when none). */
    public Span start(String name, SpanKind kind, String parent) {
        SpanContext remote = TraceParent.context(parent);
        SpanBuilder span = tracer.spanBuilder(name).setSpanKind(kind);
        if (remote.isValid()) {
            span.setParent(Context.root().with(Span.wrap(remote)));
        } else {
            span.setNoParent();
        }
        return span.startSpan();
    }

    /**
     * Runs {@code action} with the span's trace and span ids and the correlation id on every log line
     * it writes, as a request's lines have them; then puts back what was there.
     */
    public static void logging(Span span, String correlationId, Runnable action) {
        Object trace = MDC.put(TRACE_ID, span.getSpanContext().getTraceId());
        Object spanId = MDC.put(SPAN_ID, span.getSpanContext().getSpanId());
        Object correlation = MDC.put(CORRELATION_ID, correlationId);
        try {
            action.run();
        } finally {
            restore(TRACE_ID, trace);
            restore(SPAN_ID, spanId);
            restore(CORRELATION_ID, correlation);
        }
    }

    private static void restore(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** A span started now, in a trace of its own, linked to each of the spans {@code parents} names. */
    public Span startLinked(String name, SpanKind kind, Collection<String> parents) {
        SpanBuilder span = tracer.spanBuilder(name).setSpanKind(kind).setNoParent();
        for (String parent : parents) {
            SpanContext linked = TraceParent.context(parent);
            if (linked.isValid()) {
                span.addLink(linked);
            }
        }
        return span.startSpan();
    }
}
