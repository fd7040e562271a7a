package io.ordersvc.cqrs.process;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How an instance opens its connections before it reports ready (see {@link WarmUp}). */
@ConfigMapping(prefix = "ordersvc.warm-up")
public interface WarmUpConfig {

    /** Connections opened to each server the instance's roles use, each by a request of its own. */
    @WithDefault("8")
    int connections();

    /** How long the warm-up may take: a server that has not answered by then holds readiness no longer. */
    @WithDefault("10s")
    Duration timeout();
}
