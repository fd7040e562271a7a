package io.ordersvc.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.support.Http;
import io.ordersvc.support.PackagedService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the packaged service (prod profile, a static member of its consumer groups) stops: SIGTERM to
 * exit in seconds, with what its projector applied committed, and its groups left when the stop is
 * for good but kept for a restart (ProjectorHandOver, StopIntent). Each spec's instances form a
 * consumer group of their own, so that no member another one left behind holds partitions.
 */
class ProjectorHandOverIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOPIC = "orders.events";
    private static LocalStack stack;
    private static RealmUsers users;
    private static Admin kafka;

    @BeforeAll
    static void stack() {
        stack = LocalStack.fresh(Path.of("target/stack-it-handover"), LocalStack.defaultDist());
        stack.up();
        users = stack.users();
        kafka = Admin.create(Map.of("bootstrap.servers", stack.productionEnvironment().get("ORDERS_KAFKA_BOOTSTRAP_SERVERS")));
    }

    @AfterAll
    static void down() {
        if (kafka != null) {
            kafka.close();
        }
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void a_projector_stopped_for_good_commits_what_it_applied_leaves_its_groups_and_exits_within_seconds() throws Exception {
        try (PackagedService service = started("it-leaving", "projector-leaving", "leave")) {
            placeOrders(service, 5);
            awaitMember("it-leaving", "projector-leaving");

            long signalled = System.nanoTime();
            assertThat(service.stop(Duration.ofSeconds(10))).as("exited").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            assertThat(took).as("SIGTERM to exit").isLessThanOrEqualTo(Duration.ofSeconds(5));
            assertThat(service.log()).contains("projectors stopped").contains("left their groups");
            // gone from the group at once, not once its session timed out
            assertThat(members("it-leaving")).extracting(m -> m.groupInstanceId().orElse("")).doesNotContain("projector-leaving");
            assertThat(committed("it-leaving")).as("every record it was given committed").isEqualTo(ends());
        }
    }

    @Test
    void a_projector_stopped_for_a_restart_stays_in_its_groups_to_take_its_partitions_back() throws Exception {
        try (PackagedService service = started("it-restarting", "projector-restarting", "stay")) {
            placeOrders(service, 2);
            awaitMember("it-restarting", "projector-restarting");

            assertThat(service.stop(Duration.ofSeconds(10))).as("exited").isTrue();

            assertThat(service.log()).contains("stayed in their groups as static members");
            assertThat(members("it-restarting")).extracting(m -> m.groupInstanceId().orElse("")).contains("projector-restarting");
            assertThat(committed("it-restarting")).as("every record it was given committed").isEqualTo(ends());
        }
    }

    private static PackagedService started(String group, String instance, String onStop) {
        Map<String, String> env = new HashMap<>(stack.productionEnvironment());
        env.put("ORDERS_INSTANCE_ID", instance);
        env.put("ORDERSVC_PROJECTOR_ON_STOP", onStop);
        env.put("MP_MESSAGING_INCOMING_ORDER_EVENTS_GROUP_ID", group);
        env.put("MP_MESSAGING_INCOMING_PRODUCT_EVENTS_GROUP_ID", group + "-catalog");
        return PackagedService.start("instance-" + instance, env);
    }

    /** Registers a customer and a product, then places {@code count} orders, each acknowledged. */
    private static void placeOrders(PackagedService service, int count) throws Exception {
        RealmUsers.Person grace = users.newCustomer("Grace Hopper");
        UUID customer = grace.id();
        String asCustomer = "Bearer " + users.token(grace);
        send(Http.post(service.resolve("/customers"), "{\"name\":\"Grace Hopper\",\"email\":\"grace-" + customer + "@example.com\"}",
                "Authorization", asCustomer), 201);
        String body = send(Http.post(service.resolve("/products"),
                "{\"sku\":\"SKU-" + UUID.randomUUID() + "\",\"name\":\"Relay\",\"unitPrice\":2.50}",
                "Authorization", "Bearer " + users.staff()), 201);
        String product = body.replaceAll(".*\"productId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        for (int i = 0; i < count; i++) {
            send(Http.post(service.resolve("/orders"), """
                    {"orderId":"%s","customerId":"%s","shippingAddress":{"line1":"1 Dock Road","city":"Bremen",
                     "postalCode":"28195","country":"DE"},"lines":[{"productId":"%s","quantity":1}]}"""
                    .formatted(UUID.randomUUID(), customer, product), "Authorization", asCustomer), 202);
        }
    }

    /** Waits until the instance is a member of the group with partitions, and the group committed every record published. */
    private static void awaitMember(String group, String instance) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> members(group).stream()
                .anyMatch(m -> m.groupInstanceId().equals(Optional.of(instance)) && !m.assignment().topicPartitions().isEmpty())
                && committed(group).equals(ends()));
    }

    private static List<MemberDescription> members(String group) throws Exception {
        ConsumerGroupDescription description = kafka.describeConsumerGroups(List.of(group)).all().get().get(group);
        return List.copyOf(description.members());
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The end offset of every partition of the topic that holds a record. */
    private static Map<TopicPartition, Long> ends() throws Exception {
        List<TopicPartition> partitions = kafka.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        return kafka.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().filter(e -> e.getValue().offset() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static String send(HttpRequest request, int status) throws Exception {
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body();
    }
}
