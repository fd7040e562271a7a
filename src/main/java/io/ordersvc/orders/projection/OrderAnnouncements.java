package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.viewstore.Announcement;
import io.ordersvc.cqrs.viewstore.ViewJson;
import io.ordersvc.orders.event.OrderEvent;
import java.util.List;
import java.util.UUID;

/**
 * What an order's change streams say of each event: on the order's own stream (positioned by its
 * version), on its customer's, and on staff's queue awaiting shipment when the event moves the
 * order into or out of it, the event's name and {@link OrderChanged}.
 */
public final class OrderAnnouncements {

    /** The data of an order's change event, as SSE clients receive it. */
    public record OrderChanged(UUID orderId, UUID customerId, long version, String status, String type) {
    }

    private OrderAnnouncements() {
    }

    public static Announcement announcement(OrderEvent event, long version) {
        OrderChanged data = new OrderChanged(event.orderId(), event.customerId(), version, event.status().name(),
                event.eventType());
        String customers = CustomerOrdersProjection.changesStream(event.customerId());
        return new Announcement(event.eventType(), ViewJson.write(data), OrderView.changesStream(event.orderId()), version,
                AwaitingShipmentProjection.moves(event) ? List.of(customers, AwaitingShipmentProjection.CHANGES) : List.of(customers));
    }
}
