package io.ordersvc.cqrs.projector;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.tracing.TraceParent;
import io.ordersvc.cqrs.tracing.Tracing;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.cqrs.viewstore.WriteOutcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Projects what one poll of a topic brought, at once: each record is read into its view change
 * (one that cannot be read goes to the dead-letter topic alone), then the changes are applied a
 * slice at a time, one script call each, in the order received, so that each aggregate's events
 * stay in version order. Redis outages are waited out (nothing is acknowledged until applied); a
 * slice that Redis refuses is applied one change at a time, and only a change it still refuses
 * after three tries goes to the dead-letter topic.
 *
 * <p>Each record is processed in a span of the trace it carries (its {@code traceparent} header, set
 * by the relay's publish), from its read to its change applied, and its change is announced in that
 * trace; each script call is a span linked to the records it applies.
 */
@ApplicationScoped
public class ProjectionBatches {

    /** A record read: its envelope and the change it makes. */
    public record Projected(EventEnvelope envelope, ViewChange change) {
    }

    private static final Logger LOG = Logger.getLogger(ProjectionBatches.class);
    /** Changes per script call: a few milliseconds of Redis at most, so that reads never wait long behind one. */
    private static final int SLICE = 128;

    private final ViewStore views;
    private final Tracing tracing;
    private final ProjectionLag lag;

    ProjectionBatches(ViewStore views, Tracing tracing, MeterRegistry meters) {
        this.views = views;
        this.tracing = tracing;
        this.lag = new ProjectionLag(meters);
    }

    /**
     * @param projection a record's value to what it changes; it may fail, for that record alone
     * @param applied    told of each change once the store has taken it, with what became of its view
     */
    public Uni<Void> project(KafkaRecordBatch<String, String> batch, Function<String, Uni<Projected>> projection,
            BiConsumer<Projected, WriteOutcome> applied) {
        ProjectionLag.Held held = lag.held(batch);
        return Multi.createFrom().iterable(batch.getRecords())
                .onItem().transformToUniAndConcatenate(record -> read(record, projection, processing(record)))
                .filter(Optional::isPresent).map(Optional::get)
                .invoke(p -> held.read(p.record(), p.projected().envelope()))
                .group().intoLists().of(SLICE)
                .onItem().transformToUniAndConcatenate(slice -> applyMeasured(slice, held, applied))
                .collect().last()
                .flatMap(done -> Uni.createFrom().completionStage(batch::ack))
                .onTermination().invoke(held::released);
    }

    private Uni<Void> applyMeasured(List<Pending> slice, ProjectionLag.Held held, BiConsumer<Projected, WriteOutcome> applied) {
        return apply(slice, measured(held, applied))
                .invoke(() -> held.applied(slice.stream().map(Pending::record).toList()));
    }

    /** Tells {@code applied} of each change, and times commit to visible for those that changed a view. */
    private static BiConsumer<Projected, WriteOutcome> measured(ProjectionLag.Held held, BiConsumer<Projected, WriteOutcome> applied) {
        return (projected, outcome) -> {
            if (outcome == WriteOutcome.APPLIED) {
                held.visible(projected.envelope());
            }
            applied.accept(projected, outcome);
        };
    }

    /** The record's span, in the trace its header names: ended once its change is applied, or it is dead-lettered. */
    private Span processing(KafkaRecord<String, String> record) {
        Header parent = record.getHeaders().lastHeader(TraceParent.HEADER);
        return tracing.start(record.getTopic() + " process", SpanKind.CONSUMER,
                parent == null ? null : new String(parent.value(), StandardCharsets.UTF_8));
    }

    private static Uni<Optional<Pending>> read(KafkaRecord<String, String> record, Function<String, Uni<Projected>> projection,
            Span span) {
        String trace = TraceParent.of(span.getSpanContext());
        return Uni.createFrom().deferred(() -> projection.apply(record.getPayload()))
                .map(projected -> Optional.of(new Pending(record, traced(projected, trace), span)))
                .onFailure().call(failure -> Uni.createFrom().completionStage(() -> record.nack(failure))
                        .invoke(() -> ended(span, failure)))
                .onFailure().recoverWithItem(Optional.empty());
    }

    private static Projected traced(Projected projected, String trace) {
        return new Projected(projected.envelope(), projected.change().traced(trace));
    }

    private Uni<Void> apply(List<Pending> slice, BiConsumer<Projected, WriteOutcome> applied) {
        Span write = tracing.startLinked("views apply", SpanKind.INTERNAL,
                slice.stream().map(p -> TraceParent.of(p.span().getSpanContext())).toList());
        write.setAttribute(CHANGES, slice.size());
        return waitingOutOutages(views.applyAll(slice.stream().map(p -> p.projected().change()).toList()))
                .invoke(outcomes -> {
                    for (int i = 0; i < slice.size(); i++) {
                        done(slice.get(i), outcomes.get(i), applied);
                    }
                })
                .onTermination().invoke((outcomes, failure, cancelled) -> ended(write, failure))
                .replaceWithVoid()
                .onFailure().recoverWithUni(refused -> oneByOne(slice, applied));
    }

    /** Tells of the record's change applied, with the record's ids on what that logs, and ends its span. */
    private static void done(Pending record, WriteOutcome outcome, BiConsumer<Projected, WriteOutcome> applied) {
        Tracing.logging(record.span(), record.projected().envelope().correlationId(),
                () -> applied.accept(record.projected(), outcome));
        ended(record.span(), outcome);
    }

    private static void ended(Span span, WriteOutcome outcome) {
        span.setAttribute(OUTCOME, outcome.name().toLowerCase());
        span.end();
    }

    private static void ended(Span span, Throwable failure) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.toString());
        }
        span.end();
    }

    /** What Redis refused as a slice, change by change: only what it still refuses goes to the dead-letter topic. */
    private Uni<Void> oneByOne(List<Pending> slice, BiConsumer<Projected, WriteOutcome> applied) {
        LOG.warnf("Redis refused a slice of %d view changes; applying them one by one", slice.size());
        return Multi.createFrom().iterable(slice)
                .onItem().transformToUniAndConcatenate(p -> waitingOutOutages(views.applyAll(List.of(p.projected().change())))
                        .onFailure().retry().withBackOff(Duration.ofMillis(50)).atMost(3)
                        .invoke(outcomes -> {
                            done(p, outcomes.get(0), applied);
                        })
                        .replaceWithVoid()
                        .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(() -> p.record().nack(failure))
                                .invoke(() -> ended(p.span(), failure))))
                .collect().last().replaceWithVoid();
    }

    /**
     * Tries a write again for as long as Redis is out, at least once a second: a Redis that comes
     * back after a long outage is written to within a second, not after a backoff grown to many
     * (a try at a Redis that is down is a refused connection, cheap).
     */
    private static <T> Uni<T> waitingOutOutages(Uni<T> write) {
        return write.onFailure(ViewStore::isOutage).retry().withBackOff(Duration.ofMillis(100), OUTAGE_RETRY_CAP)
                .indefinitely();
    }

    private static final Duration OUTAGE_RETRY_CAP = Duration.ofSeconds(1);

    private static final AttributeKey<Long> CHANGES = AttributeKey.longKey("ordersvc.views.changes");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("ordersvc.views.outcome");

    private record Pending(KafkaRecord<String, String> record, Projected projected, Span span) {
    }
}
