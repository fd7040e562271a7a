package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.viewstore.IndexEntry;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderShipped;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.OrderStatusChanged;
import java.util.List;

/**
 * Staff's queue of orders awaiting shipment: an order enters it when confirmed and leaves it when
 * shipped or cancelled, the longest waiting first (scored by when it was confirmed). Each move is
 * guarded by the order's version, so that a late or re-driven confirmation cannot put back an order
 * that has left. One list for the shop, in a hash slot of its own.
 */
public final class AwaitingShipmentProjection {

    public static final String KEY = "orders:awaiting-shipment:{shipping}";

    private AwaitingShipmentProjection() {
    }

    /** What the event at {@code version} does to the queue. */
    public static List<IndexEntry> entries(OrderEvent event, long version) {
        String member = event.orderId().toString();
        if (event instanceof OrderConfirmed confirmed) {
            return List.of(IndexEntry.added(KEY, confirmed.at().toEpochMilli(), member, version));
        }
        if (event instanceof OrderStatusChanged left && (left instanceof OrderShipped || left instanceof OrderCancelled)
                && left.previousStatus() == OrderStatus.CONFIRMED) {
            return List.of(IndexEntry.removed(KEY, member, version));
        }
        return List.of();
    }
}
