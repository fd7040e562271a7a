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
 * that has left. One list for the shop, in a hash slot of its own; its entries carry no state, which
 * lives in the order's view.
 */
public final class AwaitingShipmentProjection {

    public static final String KEY = "orders:awaiting-shipment:{shipping}";
    /** The queue's change stream: every order that enters or leaves it, positioned by a sequence of its own, in its slot. */
    public static final String CHANGES = "changes:orders:awaiting-shipment:{shipping}";

    private AwaitingShipmentProjection() {
    }

    /** What the event at {@code version} does to the queue. */
    public static List<IndexEntry> entries(OrderEvent event, long version) {
        String member = event.orderId().toString();
        if (event instanceof OrderConfirmed confirmed) {
            return List.of(IndexEntry.added(KEY, confirmed.at().toEpochMilli(), member, version));
        }
        return leaves(event) ? List.of(IndexEntry.removed(KEY, member, version)) : List.of();
    }

    /** Whether the event moves its order into or out of the queue: what the queue's followers are told of. */
    public static boolean moves(OrderEvent event) {
        return event instanceof OrderConfirmed || leaves(event);
    }

    private static boolean leaves(OrderEvent event) {
        return event instanceof OrderStatusChanged left && (left instanceof OrderShipped || left instanceof OrderCancelled)
                && left.previousStatus() == OrderStatus.CONFIRMED;
    }
}
