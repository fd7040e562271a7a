package io.ordersvc.stack;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics the service uses on a new Kafka, the way a platform provides them (on
 * Kubernetes, as KafkaTopic resources): so that no client of the service meets a topic that is not
 * there yet. Run in a JVM of its own, on Kafka's class path: {@code KafkaTopics <bootstrap>}.
 */
public final class KafkaTopics {

    /** The service's topics: events per aggregate type, and the projectors' dead letters. */
    static final List<String> TOPICS = List.of("orders.events", "customers.events", "products.events",
            "orders.events.dlq", "products.events.dlq");
    static final int PARTITIONS = 4;

    private KafkaTopics() {
    }

    public static void main(String[] args) throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            for (String topic : TOPICS) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("topic " + topic + " not created", e.getCause());
                    }
                }
            }
        }
    }
}
