package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.viewstore.Announcement;
import io.ordersvc.cqrs.viewstore.ViewJson;
import io.ordersvc.orders.event.OrderEvent;
import java.util.List;
import java.util.UUID;

/**
 * What an order's change streams say of each event: on the order's own stream (positioned by its
 * version) and on its customer's, the event's name and {@link OrderChanged}.
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
        return new Announcement(event.eventType(), ViewJson.write(data), OrderView.changesStream(event.orderId()), version,
                List.of(CustomerOrdersProjection.changesStream(event.customerId())));
    }
}
