package io.ordersvc.cqrs.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** Which dead-letter topics the service handles follows from the messaging configuration alone. */
class DeadLetterTopicsTest {

    @Test
    void every_channel_that_sends_failures_to_a_named_dead_letter_topic_contributes_it_once_in_name_order() {
        Config config = config(Map.of(
                "mp.messaging.incoming.shipment-events.failure-strategy", "dead-letter-queue",
                "mp.messaging.incoming.shipment-events.dead-letter-queue.topic", "shipments.events.dlq",
                "mp.messaging.incoming.order-events.failure-strategy", "dead-letter-queue",
                "mp.messaging.incoming.order-events.dead-letter-queue.topic", "orders.events.dlq",
                "mp.messaging.incoming.order-audit.failure-strategy", "dead-letter-queue",
                "mp.messaging.incoming.order-audit.dead-letter-queue.topic", "orders.events.dlq"));

        assertThat(DeadLetterTopics.in(config)).containsExactly("orders.events.dlq", "shipments.events.dlq");
    }

    @Test
    void a_channel_that_fails_or_ignores_failures_has_no_dead_letter_topic_even_if_one_is_named() {
        Config config = config(Map.of(
                "mp.messaging.incoming.order-events.failure-strategy", "fail",
                "mp.messaging.incoming.order-events.dead-letter-queue.topic", "orders.events.dlq",
                "mp.messaging.incoming.product-events.dead-letter-queue.topic", "products.events.dlq",
                "mp.messaging.outgoing.outbox.failure-strategy", "dead-letter-queue"));

        assertThat(DeadLetterTopics.in(config)).isEmpty();
    }

    @Test
    void a_dead_letter_topic_set_for_another_profile_only_is_not_handled() {
        Config config = config(Map.of(
                "mp.messaging.incoming.order-events.failure-strategy", "dead-letter-queue",
                "mp.messaging.incoming.order-events.dead-letter-queue.topic", "orders.events.dlq",
                "%prod.mp.messaging.incoming.audit.failure-strategy", "dead-letter-queue",
                "%prod.mp.messaging.incoming.audit.dead-letter-queue.topic", "audit.dlq",
                "%test.mp.messaging.incoming.fake.failure-strategy", "dead-letter-queue",
                "%test.mp.messaging.incoming.fake.dead-letter-queue.topic", "fake.dlq"));

        assertThat(DeadLetterTopics.in(config)).containsExactly("fake.dlq", "orders.events.dlq");
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile("test").withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
