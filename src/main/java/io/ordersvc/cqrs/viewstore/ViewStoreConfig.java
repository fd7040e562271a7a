package io.ordersvc.cqrs.viewstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the view store waits for Redis, and keeps what guards its counters (see {@link ViewStore}). */
@ConfigMapping(prefix = "ordersvc.views")
public interface ViewStoreConfig {

    /**
     * A read Redis has not answered by then fails, and the reader turns to the replica: a paused or
     * drowning Redis does not hold a request for long. A view put back after a miss is waited for as long.
     */
    @WithDefault("1s")
    Duration readTimeout();

    /**
     * A write not answered by then fails as an outage and is tried again (writes are version-guarded:
     * one that did land meanwhile is a no-op).
     */
    @WithDefault("5s")
    Duration writeTimeout();

    /**
     * How long a subject's counted version (see {@link Counting}), or an index entry's version, is kept
     * after its last move: longer than any event of it is redelivered or re-driven after (an
     * {@code OrderPlaced} re-driven later than that would be counted again).
     */
    @WithDefault("30d")
    Duration countedTtl();
}
