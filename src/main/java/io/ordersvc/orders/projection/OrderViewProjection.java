package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.viewstore.ViewJson;
import io.ordersvc.cqrs.viewstore.ViewWrite;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddressChanged;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The order view, projected: what each event writes to it. The projector writes it to Redis, and a
 * read that misses the cache folds the order's events through the same function, so the two can
 * never disagree. Views expire a while after their last change, those of finished orders sooner; a
 * later read builds them again.
 */
public final class OrderViewProjection {

    private static final Set<OrderStatus> FINISHED = Set.of(OrderStatus.SHIPPED, OrderStatus.CANCELLED);

    private OrderViewProjection() {
    }

    /** The write the event at {@code version} makes to its order's view. */
    public static ViewWrite write(OrderEvent event, long version, OrderViewTtl ttl) {
        String key = OrderView.key(event.orderId());
        ViewWrite write;
        if (event instanceof OrderPlaced placed) {
            write = ViewWrite.replace(key, version, OrderView.placed(placed, version).toHash());
        } else if (event instanceof ShippingAddressChanged changed) {
            write = ViewWrite.patch(key, version, Map.of(
                    OrderView.SHIPPING_ADDRESS, ViewJson.write(changed.shippingAddress()),
                    OrderView.UPDATED_AT, changed.changedAt().toString()));
        } else {
            write = ViewWrite.patch(key, version, Map.of(
                    OrderView.STATUS, event.status().name(),
                    OrderView.UPDATED_AT, event.at().toString()));
        }
        return expiring(write, event.status(), ttl);
    }

    /** The view an order's events (in version order, from version 1) fold into; empty before it was placed. */
    public static Optional<OrderView> fold(List<OrderEvent> history) {
        Map<String, String> hash = ViewWrite.fold(IntStream.range(0, history.size())
                .mapToObj(i -> write(history.get(i), i + 1, OrderViewTtl.NONE)).toList());
        return hash.isEmpty() ? Optional.empty() : Optional.of(OrderView.fromHash(hash));
    }

    /** A view put back whole, as a read that missed the cache found it; it expires like a projected one. */
    public static ViewWrite snapshot(OrderView view, OrderViewTtl ttl) {
        ViewWrite write = ViewWrite.replace(OrderView.key(view.orderId()), view.version(), view.toHash());
        return expiring(write, OrderStatus.valueOf(view.status()), ttl);
    }

    private static ViewWrite expiring(ViewWrite write, OrderStatus status, OrderViewTtl ttl) {
        Duration after = FINISHED.contains(status) ? ttl.finished() : ttl.open();
        return after.isZero() ? write : write.expiringAfter(after);
    }
}
