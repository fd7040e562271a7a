package io.ordersvc.support;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's exporter in the tests: it keeps the spans it is given in memory, the latest
 * {@value #KEPT} of them (a whole test run makes many more), for specifications to read.
 */
@Singleton
public class Spans implements SpanExporter {

    private static final int KEPT = 20_000;

    private final ConcurrentLinkedDeque<SpanData> finished = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData span : spans) {
            finished.addLast(span);
            if (size.incrementAndGet() > KEPT && finished.pollFirst() != null) {
                size.decrementAndGet();
            }
        }
        return CompletableResultCode.ofSuccess();
    }

    /** The spans of one trace exported so far. */
    public List<SpanData> ofTrace(String traceId) {
        return finished.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    /** Every span kept. */
    public List<SpanData> all() {
        return List.copyOf(finished);
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
