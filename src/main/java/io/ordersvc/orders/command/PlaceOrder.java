package io.ordersvc.orders.command;

import io.ordersvc.orders.event.ShippingAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * Command: a customer orders some products, to be shipped to an address. The client may choose
 * the order's id (an optimistic UI does, to show and follow the order before it exists).
 */
public record PlaceOrder(
        UUID orderId,
        @NotNull UUID customerId,
        @NotNull @Valid ShippingAddress shippingAddress,
        @NotEmpty @Size(max = 100) List<@NotNull @Valid Line> lines) {

    public record Line(@NotNull UUID productId, @NotNull @Min(1) @Max(999) Integer quantity) {
    }
}
