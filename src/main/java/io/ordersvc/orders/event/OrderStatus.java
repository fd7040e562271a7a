package io.ordersvc.orders.event;

public enum OrderStatus {
    PLACED, CONFIRMED, SHIPPED, CANCELLED
}
