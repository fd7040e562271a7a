package io.ordersvc.orders.projection;

import java.time.Duration;

/**
 * How long an order's view stays in Redis after its last change: an open order's for a while (a read
 * after it builds the view again from the replica), a shipped or cancelled order's for less. Zero:
 * kept until evicted. A setting, not data: no read model holds it (so not a record, which this
 * package keeps for what Jackson writes).
 */
public final class OrderViewTtl {

    /** No expiry at all: what a fold of the events, which writes no key, uses. */
    public static final OrderViewTtl NONE = new OrderViewTtl(Duration.ZERO, Duration.ZERO);

    private final Duration open;
    private final Duration finished;

    public OrderViewTtl(Duration open, Duration finished) {
        this.open = open;
        this.finished = finished;
    }

    public static OrderViewTtl of(OrderViewConfig config) {
        return new OrderViewTtl(config.openOrderTtl(), config.finishedOrderTtl());
    }

    public Duration open() {
        return open;
    }

    public Duration finished() {
        return finished;
    }
}
