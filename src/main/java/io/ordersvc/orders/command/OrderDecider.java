package io.ordersvc.orders.command;

import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderShipped;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddressChanged;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The order lifecycle, pure: {@code decide} turns a command and the current state into events or
 * a refusal; {@code evolve} folds an event into the state. PLACED → CONFIRMED → SHIPPED, and
 * PLACED or CONFIRMED → CANCELLED; the address may change until the order ships.
 */
public final class OrderDecider {

    private OrderDecider() {
    }

    public static List<OrderEvent> decide(OrderCommand command, OrderState state, Instant now) {
        if (command instanceof OrderCommand.ChangeShippingAddress change) {
            require(state, "change the shipping address of", Set.of(OrderStatus.PLACED, OrderStatus.CONFIRMED));
            return state.shippingAddress().equals(change.shippingAddress()) ? List.of()
                    : List.of(new ShippingAddressChanged(state.id(), state.customerId(), state.status(),
                            change.shippingAddress(), now));
        }
        if (command instanceof OrderCommand.ConfirmOrder) {
            require(state, "confirm", Set.of(OrderStatus.PLACED));
            return List.of(new OrderConfirmed(state.id(), state.customerId(), state.status(), state.total(), now));
        }
        if (command instanceof OrderCommand.ShipOrder) {
            require(state, "ship", Set.of(OrderStatus.CONFIRMED));
            return List.of(new OrderShipped(state.id(), state.customerId(), state.status(), state.total(), now));
        }
        if (command instanceof OrderCommand.CancelOrder cancel) {
            require(state, "cancel", Set.of(OrderStatus.PLACED, OrderStatus.CONFIRMED));
            return List.of(new OrderCancelled(state.id(), state.customerId(), state.status(), state.total(),
                    cancel.reason().strip(), now));
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    public static OrderState evolve(OrderState state, OrderEvent event) {
        if (event instanceof OrderPlaced p) {
            return new OrderState(p.orderId(), p.customerId(), p.status(), p.shippingAddress(), p.lines(), p.total(),
                    state.version() + 1, p.placedAt(), p.placedAt());
        }
        if (event instanceof ShippingAddressChanged c) {
            return state.with(state.status(), c.shippingAddress(), c.changedAt());
        }
        return state.with(event.status(), state.shippingAddress(), event.at());
    }

    public static OrderState fold(List<? extends OrderEvent> events) {
        OrderState state = OrderState.NONE;
        for (OrderEvent e : events) {
            state = evolve(state, e);
        }
        return state;
    }

    private static void require(OrderState state, String action, Set<OrderStatus> allowed) {
        if (!allowed.contains(state.status())) {
            throw Rejected.conflict("cannot " + action + " an order that is " + state.status())
                    .with("currentStatus", state.status().name())
                    .with("currentVersion", state.version());
        }
    }
}
