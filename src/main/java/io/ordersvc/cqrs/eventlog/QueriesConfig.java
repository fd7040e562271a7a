package io.ordersvc.cqrs.eventlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a read that missed Redis reads the event log: from the replica, and the primary. */
@ConfigMapping(prefix = "ordersvc.queries")
public interface QueriesConfig {

    /**
     * How long the replica may take to answer; one that has not answered by then (hung, or too far
     * behind to hold a lock) is passed over for the primary.
     */
    @WithDefault("1s")
    Duration replicaTimeout();

    /**
     * How long the primary may take to say which version an aggregate has reached, before a view
     * folded on the replica is answered without being put back in Redis.
     */
    @WithDefault("500ms")
    Duration versionCheckTimeout();
}
