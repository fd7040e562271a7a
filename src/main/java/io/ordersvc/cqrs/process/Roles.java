package io.ordersvc.cqrs.process;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The four roles of the service. One artifact runs any mix of them, so that each can run as its
 * own scaled process; by default one process runs them all.
 */
@ConfigMapping(prefix = "ordersvc.roles")
public interface Roles {

    /** Command endpoints: they write state and events to the primary. */
    @WithDefault("true")
    boolean command();

    /** The outbox relay: publishes committed events to Kafka. */
    @WithDefault("true")
    boolean relay();

    /** The projector: turns events from Kafka into read models in Redis. */
    @WithDefault("true")
    boolean projector();

    /** Query and change-stream endpoints: they read Redis, then the replica. */
    @WithDefault("true")
    boolean query();
}
