package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.viewstore.IndexEntry;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import java.util.List;
import java.util.UUID;

/**
 * A customer's orders: an index of order ids scored by the time they were placed, newest last. An
 * order enters it when placed; its entries carry no state, which lives in the order's view. It keeps
 * the customer's {@link #KEPT} most recent orders, so that no customer's list grows for ever: a page
 * past them is read from the replica.
 */
public final class CustomerOrdersProjection {

    /** How many of a customer's orders, the most recent, the index keeps. */
    public static final int KEPT = 1000;

    private CustomerOrdersProjection() {
    }

    /** The customer's orders; the customer's keys are tagged with its id, so that they share a hash slot. */
    public static String key(UUID customerId) {
        return "customer:{" + customerId + "}:orders";
    }

    /** The change stream of all the customer's orders, positioned by a sequence of its own, in the customer's slot. */
    public static String changesStream(UUID customerId) {
        return "changes:customer:{" + customerId + "}:orders";
    }

    public static List<IndexEntry> entries(OrderEvent event) {
        if (event instanceof OrderPlaced placed) {
            return List.of(new IndexEntry(key(placed.customerId()), placed.placedAt().toEpochMilli(),
                    placed.orderId().toString()).keepingAtMost(KEPT));
        }
        return List.of();
    }
}
