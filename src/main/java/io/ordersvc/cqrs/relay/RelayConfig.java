package io.ordersvc.cqrs.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "ordersvc.relay")
public interface RelayConfig {

    /** Most events read, sent and marked as one batch. */
    @WithDefault("2000")
    int batchSize();

    /** The poll behind LISTEN/NOTIFY, for notifications lost while disconnected; a relay that does not lead tries to at each wake-up. */
    @WithDefault("2s")
    Duration safetyPoll();

    /** How long a batch may wait for Kafka's acknowledgements before it is retried. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Kafka topic per aggregate type; others go to {@code <type>.events}. */
    Map<String, String> topics();

    /** The relay's Kafka producer (acks=all and idempotence are fixed: per-aggregate order rests on them). */
    Producer producer();

    interface Producer {

        /** How long a record may wait for others to fill its batch (Kafka's linger.ms): none, a lone event leaves at once. */
        @WithDefault("0ms")
        Duration linger();

        /** Most bytes of one batch to one partition (Kafka's batch.size). */
        @WithDefault("262144")
        int batchBytes();

        /** How long Kafka may take to answer one request before the client retries it. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** How long a record may take, retries included, before its send fails (at least linger + request timeout). */
        @WithDefault("20s")
        Duration deliveryTimeout();
    }
}
