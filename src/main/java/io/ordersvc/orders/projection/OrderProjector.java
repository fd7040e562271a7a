package io.ordersvc.orders.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.eventlog.EventCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.view.Projection;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.cqrs.view.ViewWrite;
import io.ordersvc.cqrs.view.WriteOutcome;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEvents;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderShipped;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddressChanged;
import io.ordersvc.orders.query.OrderQueryConfig;
import io.ordersvc.orders.query.OrderView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Projects order events from Kafka into the order view and the customer's order index, and
 * announces each applied change. OrderPlaced writes the whole view; later events patch it, and
 * only on top of the version before theirs. Redis outages are waited out (the record is not
 * acknowledged until applied); a record that cannot be read, or whose write Redis still refuses
 * after three tries, goes to the dead-letter topic and the projector goes on.
 */
@ApplicationScoped
public class OrderProjector implements Projection {

    private static final Logger LOG = Logger.getLogger(OrderProjector.class);

    private final EventCodec codec;
    private final OrderEvents events;
    private final ViewStore views;
    private final ObjectMapper json;
    private final OrderQueryConfig config;
    private final Timer commitToVisible;

    OrderProjector(EventCodec codec, OrderEvents events, ViewStore views, ObjectMapper json, OrderQueryConfig config,
            MeterRegistry meters) {
        this.codec = codec;
        this.events = events;
        this.views = views;
        this.json = json;
        this.config = config;
        this.commitToVisible = Timer.builder("ordersvc.commit.to.visible")
                .description("From the event's commit to its change applied in the Redis view (the projection lag)")
                .publishPercentileHistogram()
                .register(meters);
    }

    @Override
    public Set<String> aggregateTypes() {
        return Set.of(OrderEvent.AGGREGATE_TYPE);
    }

    @Override
    public ViewWrite viewWrite(EventEnvelope envelope) {
        return viewWrite(envelope, events.read(envelope));
    }

    @Incoming("order-events")
    public Uni<Void> project(String record) {
        EventEnvelope envelope = codec.decode(record);
        OrderEvent event = events.read(envelope);
        return views.write(viewWrite(envelope, event))
                .onFailure(ViewStore::isOutage).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(50)).atMost(3)
                .invoke(outcome -> recorded(envelope, outcome))
                .replaceWithVoid();
    }

    ViewWrite viewWrite(EventEnvelope envelope, OrderEvent event) {
        String key = OrderView.key(event.orderId());
        ViewWrite write;
        // the status the order is in after the event; an address change keeps the one the view has
        OrderStatus to = null;
        if (event instanceof OrderPlaced placed) {
            to = OrderStatus.PLACED;
            LocalDate day = LocalDate.ofInstant(placed.placedAt(), ZoneOffset.UTC);
            write = ViewWrite.snapshot(key, envelope.version(), placedView(placed, envelope.version()).toHash(json))
                    .indexedIn(new ViewWrite.IndexEntry(OrderView.customerOrdersKey(placed.customer().customerId()),
                            placed.placedAt().toEpochMilli(), placed.orderId().toString()))
                    .indexedIn(new ViewWrite.IndexEntry(OrderView.STATS_DAYS, day.toEpochDay(), day.toString()))
                    .counting(
                            new ViewWrite.Counter(OrderView.STATS_BY_STATUS, "version", "1"),
                            new ViewWrite.Counter(OrderView.STATS_BY_STATUS, "PLACED.orders", "1"),
                            new ViewWrite.Counter(OrderView.STATS_BY_STATUS, "PLACED.revenueCents", "${new.totalCents}"),
                            new ViewWrite.Counter(OrderView.statsDayKey(day.toString()), "orders", "1"),
                            new ViewWrite.Counter(OrderView.statsDayKey(day.toString()), "revenueCents", "${new.totalCents}"));
        } else if (event instanceof ShippingAddressChanged changed) {
            write = patch(key, envelope.version(), event, Map.of("shippingAddress", OrderView.json(json, changed.shippingAddress())));
        } else if (event instanceof OrderConfirmed) {
            to = OrderStatus.CONFIRMED;
            write = statusChange(key, envelope.version(), event, to);
        } else if (event instanceof OrderShipped) {
            to = OrderStatus.SHIPPED;
            write = statusChange(key, envelope.version(), event, to).expiringAfter(config.finishedOrderTtl());
        } else if (event instanceof OrderCancelled) {
            to = OrderStatus.CANCELLED;
            write = statusChange(key, envelope.version(), event, to).expiringAfter(config.finishedOrderTtl());
        } else {
            throw new IllegalStateException("no projection for " + event.eventType());
        }
        String customer = event instanceof OrderPlaced placed ? placed.customer().customerId().toString() : "${customerId}";
        String status = to == null ? "${status}" : to.name();
        return write.announced(envelope.eventType(), "{\"orderId\":\"" + event.orderId() + "\",\"customerId\":\"" + customer
                        + "\",\"version\":" + envelope.version() + ",\"status\":\"" + status + "\",\"type\":\"" + envelope.eventType() + "\"}",
                OrderView.changesChannel(event.orderId()), OrderView.customerChangesStream(customer));
    }

    /** The order moves from its old status to a new one, and its count and revenue move with it. */
    private static ViewWrite statusChange(String key, long version, OrderEvent event, OrderStatus to) {
        return patch(key, version, event, Map.of("status", to.name())).counting(
                new ViewWrite.Counter(OrderView.STATS_BY_STATUS, "version", "1"),
                new ViewWrite.Counter(OrderView.STATS_BY_STATUS, "${old.status}.orders", "-1"),
                new ViewWrite.Counter(OrderView.STATS_BY_STATUS, "${old.status}.revenueCents", "-${new.totalCents}"),
                new ViewWrite.Counter(OrderView.STATS_BY_STATUS, to.name() + ".orders", "1"),
                new ViewWrite.Counter(OrderView.STATS_BY_STATUS, to.name() + ".revenueCents", "${new.totalCents}"));
    }

    private static ViewWrite patch(String key, long version, OrderEvent event, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("updatedAt", event.at().toString());
        return ViewWrite.patch(key, version, all);
    }

    private static OrderView placedView(OrderPlaced e, long version) {
        return new OrderView(e.orderId(), OrderStatus.PLACED.name(),
                new OrderView.Customer(e.customer().customerId(), e.customer().name(), e.customer().email()),
                e.shippingAddress(),
                e.lines().stream().map(l -> new OrderView.Line(l.productId(), l.sku(), l.productName(), l.unitPrice(),
                        l.quantity(), l.lineTotal())).toList(),
                e.total(), version, e.placedAt(), e.placedAt());
    }

    private void recorded(EventEnvelope e, WriteOutcome outcome) {
        if (outcome == WriteOutcome.APPLIED) {
            commitToVisible.record(Duration.between(e.occurredAt(), Instant.now()));
        } else {
            LOG.debugf("%s %s v%d: %s", e.eventType(), e.aggregateId(), e.version(), outcome);
        }
    }
}
