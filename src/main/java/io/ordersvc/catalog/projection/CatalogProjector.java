package io.ordersvc.catalog.projection;

import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductEventReader;
import io.ordersvc.cqrs.eventlog.EnvelopeCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.AggregateHistory;
import io.ordersvc.cqrs.eventlog.Received;
import io.ordersvc.cqrs.projector.Projector;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.cqrs.projector.ProjectionBatches;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Projects catalog events from Kafka, a poll at a time, into product views and the catalog index, announcing each change. */
@ApplicationScoped
class CatalogProjector implements Projector {

    private final EnvelopeCodec codec;
    private final ProductEventReader events;
    private final AggregateHistory history;
    private final ProjectionBatches batches;

    CatalogProjector(EnvelopeCodec codec, ProductEventReader events, AggregateHistory history, ProjectionBatches batches) {
        this.codec = codec;
        this.events = events;
        this.history = history;
        this.batches = batches;
    }

    @Incoming("product-events")
    Uni<Void> project(KafkaRecordBatch<String, String> batch) {
        return batches.project(batch, this::projected, (projected, outcome) -> { });
    }

    private Uni<ProjectionBatches.Projected> projected(String record) {
        Received<ProductEvent> received = codec.decode(record, events);
        return viewChange(received.envelope(), received.event())
                .map(change -> new ProjectionBatches.Projected(received.envelope(), change));
    }

    @Override
    public Set<String> aggregateTypes() {
        return Set.of(ProductEvent.AGGREGATE_TYPE);
    }

    @Override
    public Uni<ViewChange> viewChange(EventEnvelope envelope) {
        return viewChange(envelope, events.read(envelope));
    }

    /** The event completed from its product's history if it needs to be, then what it changes. */
    private Uni<ViewChange> viewChange(EventEnvelope envelope, ProductEvent event) {
        return history.completed(envelope, event, events).map(completed -> ProductViewProjection.change(completed, envelope.version()));
    }
}
