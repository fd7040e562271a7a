package io.ordersvc.orders.command;

import io.ordersvc.orders.event.ShippingAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The commands that change a placed order. Placing one is {@link PlaceOrder}, decided by {@link OrderPlacement}. */
public sealed interface OrderCommand {

    record ChangeShippingAddress(@NotNull @Valid ShippingAddress shippingAddress) implements OrderCommand {
    }

    record ConfirmOrder() implements OrderCommand {
    }

    record ShipOrder() implements OrderCommand {
    }

    record CancelOrder(@NotBlank @Size(max = 500) String reason) implements OrderCommand {
    }
}
