package io.ordersvc.orders.projection;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "ordersvc.orders.view")
public interface OrderViewConfig {

    /**
     * How long the view of an open order stays in Redis after its last change; a later read builds it
     * again from the replica, and puts it back.
     */
    @WithDefault("1d")
    Duration openOrderTtl();

    /** How long the view of a shipped or cancelled order stays in Redis; a later read builds it again from the replica. */
    @WithDefault("1h")
    Duration finishedOrderTtl();
}
