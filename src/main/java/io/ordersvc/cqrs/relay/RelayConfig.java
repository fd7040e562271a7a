package io.ordersvc.cqrs.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "ordersvc.relay")
public interface RelayConfig {

    /** Most events published in one transaction. */
    @WithDefault("256")
    int batchSize();

    /** The poll behind LISTEN/NOTIFY, for notifications lost while disconnected. */
    @WithDefault("2s")
    Duration safetyPoll();

    /** How long a batch may wait for Kafka's acknowledgements before it is retried. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Kafka topic per aggregate type; others go to {@code <type>.events}. */
    Map<String, String> topics();
}
