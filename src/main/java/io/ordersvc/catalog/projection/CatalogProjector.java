package io.ordersvc.catalog.projection;

import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductEvents;
import io.ordersvc.cqrs.eventlog.EventCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventHistory;
import io.ordersvc.cqrs.eventlog.Received;
import io.ordersvc.cqrs.view.Projection;
import io.ordersvc.cqrs.view.ViewChange;
import io.ordersvc.cqrs.view.ViewStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Projects catalog events from Kafka into product views and the catalog index, announcing each change. */
@ApplicationScoped
class CatalogProjector implements Projection {

    private final EventCodec codec;
    private final ProductEvents events;
    private final EventHistory history;
    private final ViewStore views;

    CatalogProjector(EventCodec codec, ProductEvents events, EventHistory history, ViewStore views) {
        this.codec = codec;
        this.events = events;
        this.history = history;
        this.views = views;
    }

    @Incoming("product-events")
    Uni<Void> project(String record) {
        Received<ProductEvent> received = codec.decode(record, events);
        return history.completed(received.envelope(), received.event(), events)
                .map(event -> ProductViewProjection.change(event, received.envelope().version()))
                .flatMap(this::apply)
                .replaceWithVoid();
    }

    private Uni<?> apply(ViewChange change) {
        return views.apply(change)
                .onFailure(ViewStore::isOutage).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(50)).atMost(3);
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
