package io.ordersvc.cqrs.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What one caller (one token subject) may use of one instance (see {@link CallerLimits}). */
@ConfigMapping(prefix = "ordersvc.limits")
public interface CallerLimitsConfig {

    /** Commands a second, sustained; beyond the burst, a 429 with {@code Retry-After}. */
    @WithDefault("20")
    double commandsPerSecond();

    /** Commands at once above the sustained rate, after a caller was idle long enough. */
    @WithDefault("40")
    int commandBurst();

    /** Change streams open at once; one more is a 429. */
    @WithDefault("16")
    int streamsPerCaller();
}
