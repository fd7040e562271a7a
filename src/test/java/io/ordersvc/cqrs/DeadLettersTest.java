package io.ordersvc.cqrs;

import static io.ordersvc.support.Callers.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.ordersvc.support.KafkaSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Dead letters of every consumer, counted and re-driven per dead-letter topic. Other tests leave
 * dead letters too, so counts are asserted as increases and lower bounds. An operator (admin) asks;
 * the metrics endpoint is open, as a scraper reads it.
 */
@QuarkusTest
class DeadLettersTest {

    private static final String PRODUCTS_DLQ = "products.events.dlq";
    private static final String ORDERS_DLQ = "orders.events.dlq";

    @Test
    void every_dead_letter_topic_of_the_service_is_counted_under_its_name_and_in_the_total() {
        JsonPath report = asAdmin().get("/admin/dead-letters").then().statusCode(200).extract().jsonPath();

        List<String> topics = report.getList("topics.topic", String.class);
        assertThat(topics).contains(ORDERS_DLQ, PRODUCTS_DLQ);
        assertThat(report.getLong("waiting")).isEqualTo(report.getList("topics.waiting", Long.class).stream()
                .mapToLong(Long::longValue).sum());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("ordersvc_dead_letters{topic=\"" + ORDERS_DLQ + "\"",
                        "ordersvc_dead_letters{topic=\"" + PRODUCTS_DLQ + "\""));
    }

    @Test
    void a_poison_record_on_products_events_is_counted_under_products_events_dlq_and_redriven_to_products_events() {
        long before = waitingIn(PRODUCTS_DLQ);
        String key = UUID.randomUUID().toString();
        String poison = "{ not a product event " + key;

        KafkaSupport.send("products.events", key, poison);

        await().atMost(Duration.ofSeconds(30)).until(() -> copies(PRODUCTS_DLQ, key, poison) == 1);
        assertThat(waitingIn(PRODUCTS_DLQ)).isGreaterThanOrEqualTo(before + 1);

        JsonPath redrive = asAdmin().post("/admin/dead-letters/redrive?topic=" + PRODUCTS_DLQ).then().statusCode(200)
                .extract().jsonPath();
        assertThat(redrive.getInt("redriven")).isGreaterThanOrEqualTo(1);
        assertThat(redrive.getList("topics.topic", String.class)).containsExactly(PRODUCTS_DLQ);
        assertThat(copies("products.events", key, poison)).isEqualTo(2);
        // still poisonous: the catalog projector sends it back, and it waits again
        await().atMost(Duration.ofSeconds(20)).until(() -> copies(PRODUCTS_DLQ, key, poison) == 2);
    }

    @Test
    void the_topic_parameter_limits_the_count_and_the_redrive_to_that_topic() {
        String orderKey = UUID.randomUUID().toString();
        String orderPoison = "{ not an order event " + orderKey;
        String productKey = UUID.randomUUID().toString();
        String productPoison = "{ not a product event " + productKey;
        KafkaSupport.send("orders.events", orderKey, orderPoison);
        KafkaSupport.send("products.events", productKey, productPoison);
        await().atMost(Duration.ofSeconds(30)).until(() -> copies(ORDERS_DLQ, orderKey, orderPoison) == 1
                && copies(PRODUCTS_DLQ, productKey, productPoison) == 1);

        JsonPath count = asAdmin().get("/admin/dead-letters?topic=" + ORDERS_DLQ).then().statusCode(200).extract().jsonPath();
        assertThat(count.getList("topics.topic", String.class)).containsExactly(ORDERS_DLQ);
        assertThat(count.getLong("waiting")).isEqualTo(count.getLong("topics[0].waiting")).isGreaterThanOrEqualTo(1);

        JsonPath redrive = asAdmin().post("/admin/dead-letters/redrive?topic=" + ORDERS_DLQ).then().statusCode(200)
                .extract().jsonPath();
        assertThat(redrive.getList("topics.topic", String.class)).containsExactly(ORDERS_DLQ);
        assertThat(redrive.getInt("redriven")).isEqualTo(redrive.getInt("topics[0].redriven")).isGreaterThanOrEqualTo(1);
        assertThat(copies("orders.events", orderKey, orderPoison)).isEqualTo(2);
        assertThat(copies("products.events", productKey, productPoison)).isEqualTo(1);
        assertThat(waitingIn(PRODUCTS_DLQ)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void an_unknown_topic_is_a_404_problem_naming_the_topic_parameter() {
        asAdmin().get("/admin/dead-letters?topic=products.events").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("errors.field", hasItem("topic"));
        asAdmin().post("/admin/dead-letters/redrive?topic=nowhere.dlq").then().statusCode(404)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("topic"));
    }

    private static long waitingIn(String topic) {
        return asAdmin().get("/admin/dead-letters").then().statusCode(200).extract().jsonPath()
                .getLong("topics.find { it.topic == '" + topic + "' }.waiting");
    }

    private static long copies(String topic, String key, String value) {
        return KafkaSupport.readAll(topic).stream().filter(r -> key.equals(r.key()) && value.equals(r.value())).count();
    }
}
