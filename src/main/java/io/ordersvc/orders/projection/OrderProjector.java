package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.eventlog.EnvelopeCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.AggregateHistory;
import io.ordersvc.cqrs.eventlog.Received;
import io.ordersvc.cqrs.projector.Projector;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.cqrs.projector.ProjectionBatches;
import io.ordersvc.cqrs.viewstore.WriteOutcome;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEventReader;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Projects order events from Kafka into every order read model, each event's change in one atomic
 * step: the order view, the customer's orders, the sales dashboard and the change streams. Records
 * come a poll at a time and their changes go to Redis together (see {@link ProjectionBatches}):
 * outages are waited out, and a record that cannot be read, or whose change Redis still refuses
 * after three tries, goes to the dead-letter topic while the projector goes on.
 */
@ApplicationScoped
class OrderProjector implements Projector {

    private static final Logger LOG = Logger.getLogger(OrderProjector.class);

    private final EnvelopeCodec codec;
    private final OrderEventReader events;
    private final AggregateHistory history;
    private final ProjectionBatches batches;
    private final OrderViewTtl ttl;

    // commit to visible and the projector's lag are measured by ProjectionBatches, per topic
    OrderProjector(EnvelopeCodec codec, OrderEventReader events, AggregateHistory history, ProjectionBatches batches,
            OrderViewConfig config) {
        this.codec = codec;
        this.events = events;
        this.history = history;
        this.batches = batches;
        this.ttl = OrderViewTtl.of(config);
    }

    @Override
    public Set<String> aggregateTypes() {
        return Set.of(OrderEvent.AGGREGATE_TYPE);
    }

    @Override
    public Uni<ViewChange> viewChange(EventEnvelope envelope) {
        return viewChange(envelope, events.read(envelope));
    }

    @Incoming("order-events")
    Uni<Void> project(KafkaRecordBatch<String, String> batch) {
        return batches.project(batch, this::projected, this::recorded);
    }

    private Uni<ProjectionBatches.Projected> projected(String record) {
        Received<OrderEvent> received = codec.decode(record, events);
        return viewChange(received.envelope(), received.event())
                .map(change -> new ProjectionBatches.Projected(received.envelope(), change));
    }

    /** The event completed from its order's history if it needs to be, then what it changes. */
    private Uni<ViewChange> viewChange(EventEnvelope envelope, OrderEvent event) {
        return history.completed(envelope, event, events).map(completed -> change(completed, envelope.version(), ttl));
    }

    /** What the event at {@code version} changes in each order read model. */
    static ViewChange change(OrderEvent event, long version, OrderViewTtl ttl) {
        return ViewChange.of(OrderViewProjection.write(event, version, ttl))
                .indexedIn(CustomerOrdersProjection.entries(event))
                .indexedIn(AwaitingShipmentProjection.entries(event, version))
                .counting(SalesProjection.counting(event, version))
                .announced(OrderAnnouncements.announcement(event, version));
    }

    private void recorded(ProjectionBatches.Projected projected, WriteOutcome outcome) {
        EventEnvelope e = projected.envelope();
        if (outcome != WriteOutcome.APPLIED) {
            LOG.debugf("%s %s v%d: %s", e.eventType(), e.aggregateId(), e.version(), outcome);
        }
    }
}
