package io.ordersvc.orders;

import io.ordersvc.orders.command.OrderCommand;
import io.ordersvc.orders.command.PlaceOrder;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderShipped;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.ordersvc.orders.event.ShippingAddressChanged;
import io.ordersvc.orders.projection.OrderAnnouncements;
import io.ordersvc.orders.projection.OrderView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The order records Jackson reads or writes by reflection where no resource method's signature
 * names them, so that a native executable keeps their constructors and accessors: the events (the
 * event log, Kafka, a history entry's payload), the view's nested JSON parts and change data in
 * Redis, and the commands the idempotency check hashes.
 */
@RegisterForReflection(targets = {
        OrderPlaced.class, OrderPlaced.Customer.class, OrderPlaced.Line.class,
        ShippingAddressChanged.class, OrderConfirmed.class, OrderShipped.class, OrderCancelled.class,
        ShippingAddress.class, OrderStatus.class,
        OrderView.class, OrderView.Customer.class, OrderView.Line.class,
        OrderAnnouncements.OrderChanged.class,
        PlaceOrder.class, PlaceOrder.Line.class,
        OrderCommand.ChangeShippingAddress.class, OrderCommand.ConfirmOrder.class, OrderCommand.ShipOrder.class,
        OrderCommand.CancelOrder.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
