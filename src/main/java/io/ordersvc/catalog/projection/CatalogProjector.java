package io.ordersvc.catalog.projection;

import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductEvents;
import io.ordersvc.cqrs.eventlog.EventCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventHistory;
import io.ordersvc.cqrs.eventlog.Received;
import io.ordersvc.cqrs.view.Projection;
import io.ordersvc.cqrs.view.ViewChange;
import io.ordersvc.cqrs.view.ProjectionBatches;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Projects catalog events from Kafka, a poll at a time, into product views and the catalog index, announcing each change. */
@ApplicationScoped
class CatalogProjector implements Projection {

    private final EventCodec codec;
    private final ProductEvents events;
    private final EventHistory history;
    private final ProjectionBatches batches;

    CatalogProjector(EventCodec codec, ProductEvents events, EventHistory history, ProjectionBatches batches) {
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
        return history.completed(received.envelope(), received.event(), events)
                .map(event -> new ProjectionBatches.Projected(received.envelope(),
                        ProductViewProjection.change(event, received.envelope().version())));
    }

    @Override
    public Set<String> aggregateTypes() {
        return Set.of(ProductEvent.AGGREGATE_TYPE);
    }

    @Override
    public Uni<ViewChange> viewChange(EventEnvelope envelope) {
        return history.completed(envelope, events.read(envelope), events)
                .map(event -> ProductViewProjection.change(event, envelope.version()));
    }
}
