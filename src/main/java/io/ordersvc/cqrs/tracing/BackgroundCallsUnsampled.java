package io.ordersvc.cqrs.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Which traces are kept: a new trace at {@code ordersvc.tracing.sample-ratio}, and everything else as
 * its parent decided. SQL and Redis calls make no spans by default (application.properties); an
 * operator who turns their instrumentation on gets them inside requests and events only: a client
 * call made outside any (the relay's polls, the projector's scripts, the change feed's reads) would
 * start a trace of its own for each call, hundreds a second that tell nothing, and is dropped.
 */
@ApplicationScoped
class BackgroundCallsUnsampled {

    @Produces
    @Singleton
    Sampler sampler(TracingConfig config) {
        return new Dropping(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())));
    }

    private record Dropping(Sampler delegate) implements Sampler {

        @Override
        public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
                Attributes attributes, List<LinkData> links) {
            if (kind == SpanKind.CLIENT && !Span.fromContext(parent).getSpanContext().isValid()) {
                return SamplingResult.drop();
            }
            return delegate.shouldSample(parent, traceId, name, kind, attributes, links);
        }

        @Override
        public String getDescription() {
            return "BackgroundCallsUnsampled{" + delegate.getDescription() + "}";
        }
    }
}
