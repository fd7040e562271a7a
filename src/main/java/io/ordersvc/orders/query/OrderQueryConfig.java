package io.ordersvc.orders.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "ordersvc.orders.query")
public interface OrderQueryConfig {

    /** How long a read with X-Min-Version waits for Redis to catch up before asking the replica, then the primary. */
    @WithDefault("2s")
    Duration readYourWritesWait();

    /**
     * How long a read with X-Min-Version waits for the primary to say which version the order has
     * reached (a version beyond it is refused at once); without an answer, the read waits as above.
     */
    @WithDefault("500ms")
    Duration versionCheckTimeout();
}
