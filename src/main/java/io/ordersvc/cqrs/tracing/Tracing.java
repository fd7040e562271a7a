package io.ordersvc.cqrs.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;

/**
 * The spans the service makes itself, where an event moves on without a request around it: the
 * relay's publish, the projector's work, a change's delivery to stream clients. Each continues the
 * trace of the request that caused the event, from the traceparent kept with it; a span with
 * several parents (a batch) links them instead.
 */
@ApplicationScoped
public class Tracing {

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
