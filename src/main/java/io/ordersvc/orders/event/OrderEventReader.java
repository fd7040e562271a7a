package io.ordersvc.orders.event;

import io.ordersvc.cqrs.eventlog.EventFamilyReader;
import io.ordersvc.cqrs.eventlog.Upcasting;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads stored or received order events into their current records: older schema versions are
 * upcast first, and fields added later are ignored. Events stored before they carried the customer,
 * the status the order left and its total are completed from the order's earlier events.
 */
@Singleton
public class OrderEventReader extends EventFamilyReader<OrderEvent> {

    OrderEventReader(Upcasting upcasting) {
        super(upcasting, Map.of(
                OrderPlaced.TYPE, OrderPlaced.class,
                ShippingAddressChanged.TYPE, ShippingAddressChanged.class,
                OrderConfirmed.TYPE, OrderConfirmed.class,
                OrderShipped.TYPE, OrderShipped.class,
                OrderCancelled.TYPE, OrderCancelled.class),
                OrderEventReader::completed);
    }

    @Override
    public boolean complete(OrderEvent event) {
        return event.customerId() != null && event.status() != null
                && (!(event instanceof OrderStatusChanged c) || c.previousStatus() != null && c.total() != null);
    }

    /** An order's events in version order, each completed from those before it. */
    public static List<OrderEvent> completed(List<OrderEvent> events) {
        List<OrderEvent> history = new ArrayList<>(events.size());
        OrderEvent before = null;
        BigDecimal total = null;
        for (OrderEvent event : events) {
            OrderEvent e = before == null ? event : completed(event, before, total);
            total = e instanceof OrderPlaced p ? p.total() : e instanceof OrderStatusChanged c ? c.total() : total;
            history.add(e);
            before = e;
        }
        return history;
    }

    /** The event with what it lacks taken from the one before it and the order's total. */
    private static OrderEvent completed(OrderEvent e, OrderEvent before, BigDecimal total) {
        if (e instanceof ShippingAddressChanged c) {
            return new ShippingAddressChanged(c.orderId(), or(c.customerId(), before.customerId()),
                    or(c.status(), before.status()), c.shippingAddress(), c.changedAt());
        }
        if (e instanceof OrderConfirmed c) {
            return new OrderConfirmed(c.orderId(), or(c.customerId(), before.customerId()),
                    or(c.previousStatus(), before.status()), or(c.total(), total), c.confirmedAt());
        }
        if (e instanceof OrderShipped s) {
            return new OrderShipped(s.orderId(), or(s.customerId(), before.customerId()),
                    or(s.previousStatus(), before.status()), or(s.total(), total), s.shippedAt());
        }
        if (e instanceof OrderCancelled c) {
            return new OrderCancelled(c.orderId(), or(c.customerId(), before.customerId()),
                    or(c.previousStatus(), before.status()), or(c.total(), total), c.reason(), c.cancelledAt());
        }
        return e;
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
