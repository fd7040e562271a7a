package io.ordersvc.orders.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.eventlog.EventCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.cqrs.view.ViewWrite;
import io.ordersvc.cqrs.view.WriteOutcome;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEvents;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.query.Change;
import io.ordersvc.orders.query.OrderView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Projects order events from Kafka into the order view and the customer's order index, and
 * announces each applied change. Redis outages are waited out (the record is not acknowledged
 * until it is applied); a record that cannot be read goes to the dead-letter topic.
 */
@ApplicationScoped
public class OrderProjector {

    private static final Logger LOG = Logger.getLogger(OrderProjector.class);

    private final EventCodec codec;
    private final OrderEvents events;
    private final ViewStore views;
    private final ObjectMapper json;

    OrderProjector(EventCodec codec, OrderEvents events, ViewStore views, ObjectMapper json) {
        this.codec = codec;
        this.events = events;
        this.views = views;
        this.json = json;
    }

    @Incoming("order-events")
    public Uni<Void> project(String record) {
        EventEnvelope envelope = codec.decode(record);
        OrderEvent event = events.read(envelope);
        return views.write(viewWrite(envelope, event))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .invoke(outcome -> logOutcome(envelope, outcome))
                .replaceWithVoid();
    }

    ViewWrite viewWrite(EventEnvelope envelope, OrderEvent event) {
        if (event instanceof OrderPlaced placed) {
            OrderView view = placedView(placed, envelope.version());
            return ViewWrite.snapshot(OrderView.key(placed.orderId()), envelope.version(), view.toHash(json))
                    .indexedIn(new ViewWrite.IndexEntry(OrderView.customerOrdersKey(placed.customer().customerId()),
                            placed.placedAt().toEpochMilli(), placed.orderId().toString()))
                    .announcedOn(OrderView.changesChannel(placed.orderId()),
                            notification(placed.orderId(), envelope, view.status()));
        }
        throw new IllegalStateException("no projection for " + event.getClass().getSimpleName());
    }

    private static OrderView placedView(OrderPlaced e, long version) {
        return new OrderView(e.orderId(), OrderStatus.PLACED.name(),
                new OrderView.Customer(e.customer().customerId(), e.customer().name(), e.customer().email()),
                e.shippingAddress(),
                e.lines().stream().map(l -> new OrderView.Line(l.productId(), l.sku(), l.productName(), l.unitPrice(),
                        l.quantity(), l.lineTotal())).toList(),
                e.total(), version, e.placedAt(), e.placedAt());
    }

    private String notification(java.util.UUID orderId, EventEnvelope envelope, String status) {
        try {
            return json.writeValueAsString(new Change(orderId, envelope.version(), status, envelope.eventType()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void logOutcome(EventEnvelope e, WriteOutcome outcome) {
        if (outcome != WriteOutcome.APPLIED) {
            LOG.debugf("%s %s v%d: %s", e.eventType(), e.aggregateId(), e.version(), outcome);
        }
    }
}
