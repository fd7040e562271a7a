package io.ordersvc.orders.query;

import java.util.UUID;

/** A change notification as SSE clients receive it: which order, at which version, in which status. */
public record Change(UUID orderId, long version, String status, String type) {
}
