package io.ordersvc.orders;

import static io.ordersvc.support.Callers.asCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEventReader;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.KafkaSupport;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events carry their schema version. Older payloads are upcast to the current record when read, and
 * those stored before events carried the customer, the status left and the total are completed from
 * the order's earlier events: in the history, in a view built on a miss, and in the projector.
 */
@QuarkusTest
class EventVersioningTest {

    private static final String PLACED_V1 = """
            {"orderId":"%1$s","customer":{"customerId":"%2$s","name":"Grace Hopper","email":"grace@example.com"},
             "shippingAddress":{"line1":"1 Navy Yard","city":"Arlington","postalCode":"22202","country":"US"},
             "lines":[{"productId":"%3$s","sku":"COBOL-1","productName":"COBOL manual","unitPrice":12.50,"quantity":2,
                       "lineTotal":25.00}],
             "total":25.00,"placedAt":"2025-01-30T09:00:00Z"}""";
    private static final String ADDRESS_V1 = """
            {"orderId":"%s","shippingAddress":{"line1":"2 Pier","city":"Boston","postalCode":"02110","country":"US"},
             "changedAt":"2025-01-30T10:00:00Z"}""";
    private static final String CONFIRMED_V1 = "{\"orderId\":\"%s\",\"confirmedAt\":\"2025-01-31T08:00:00Z\"}";
    private static final String CANCELLED_V1 = "{\"orderId\":\"%s\",\"cancelledAt\":\"2025-01-31T09:00:00Z\"}";

    @Inject
    OrderEventReader orderEvents;

    @Inject
    Pool primary;

    @Inject
    RedisDataSource redis;

    @Test
    void a_schema_1_history_reads_as_current_events_completed_from_the_earlier_ones() {
        UUID orderId = UUID.randomUUID();
        UUID customerId = UUID.randomUUID();
        List<OrderEvent> history = orderEvents.history(List.of(
                envelope(orderId, 1, "OrderPlaced", PLACED_V1.formatted(orderId, customerId, UUID.randomUUID())),
                envelope(orderId, 2, "OrderConfirmed", CONFIRMED_V1.formatted(orderId)),
                envelope(orderId, 3, "OrderCancelled", CANCELLED_V1.formatted(orderId))));

        assertThat(history.get(2)).isEqualTo(new OrderCancelled(orderId, customerId, OrderStatus.CONFIRMED,
                new BigDecimal("25.00"), "no reason recorded", Instant.parse("2025-01-31T09:00:00Z")));
    }

    @Test
    void stored_schema_1_events_appear_in_the_history_in_the_current_shape_and_fold_into_the_view() {
        UUID orderId = UUID.randomUUID();
        UUID customerId = Fixtures.customer("Grace Hopper");
        storeRow(orderId, customerId, "CANCELLED", 3);
        store(envelope(orderId, 1, "OrderPlaced", PLACED_V1.formatted(orderId, customerId, UUID.randomUUID())),
                envelope(orderId, 2, "ShippingAddressChanged", ADDRESS_V1.formatted(orderId)),
                envelope(orderId, 3, "OrderCancelled", CANCELLED_V1.formatted(orderId)));

        JsonPath history = await().atMost(Duration.ofSeconds(10)).until(
                () -> asCustomer(customerId).get("/orders/" + orderId + "/history"), r -> r.statusCode() == 200).jsonPath();
        assertThat(history.getString("[1].payload.customerId")).isEqualTo(customerId.toString());
        assertThat(history.getString("[1].payload.status")).isEqualTo("PLACED");
        assertThat(history.getString("[2].type")).isEqualTo("OrderCancelled");
        assertThat(history.getString("[2].payload.reason")).isEqualTo("no reason recorded");
        assertThat(history.getString("[2].payload.previousStatus")).isEqualTo("PLACED");
        assertThat(history.getDouble("[2].payload.total")).isEqualTo(25.00);

        asCustomer(customerId).get("/orders/" + orderId).then().statusCode(200)
                .header("X-Read-Source", "replica")
                .body("status", equalTo("CANCELLED"))
                .body("version", equalTo(3))
                .body("shippingAddress.city", equalTo("Boston"))
                .body("customer.name", equalTo("Grace Hopper"));
    }

    @Test
    void an_old_event_received_alone_is_completed_from_the_log_and_announced_on_its_customers_stream() {
        UUID orderId = UUID.randomUUID();
        UUID customerId = Fixtures.customer("Grace Hopper");
        storeRow(orderId, customerId, "CONFIRMED", 2);
        EventEnvelope placed = envelope(orderId, 1, "OrderPlaced", PLACED_V1.formatted(orderId, customerId, UUID.randomUUID()));
        EventEnvelope confirmed = envelope(orderId, 2, "OrderConfirmed", CONFIRMED_V1.formatted(orderId));
        store(placed, confirmed);

        long offset = KafkaSupport.send("orders.events", orderId.toString(), wire(placed), wire(confirmed));
        KafkaSupport.awaitConsumed("order-projector", "orders.events", orderId.toString(), offset);

        assertThat(redis.hash(String.class).hget(Views.order(redis, orderId), "status")).isEqualTo("CONFIRMED");
        List<String> announced = new ArrayList<>();
        redis.stream(String.class).xrange("changes:customer:{" + customerId + "}:orders",
                io.quarkus.redis.datasource.stream.StreamRange.of("-", "+")).forEach(m -> announced.add(m.payload().get("m")));
        assertThat(announced).hasSize(2);
        assertThat(announced.get(1)).startsWith("OrderConfirmed\n").contains("\"status\":\"CONFIRMED\"",
                "\"customerId\":\"" + customerId + "\"");
        assertThat(Views.counted(redis, orderId)).isEqualTo("2");
    }

    @Test
    void new_events_are_stored_with_their_current_schema_version() {
        UUID jean = Fixtures.customer("Jean Bartik");
        UUID id = Fixtures.order(jean, Fixtures.product("ENIAC manual", "9.00"), 1);
        asCustomer(jean).contentType("application/json").body("{\"reason\":\"duplicate\"}").post("/orders/" + id + "/cancel")
                .then().statusCode(202);
        int schema = primary.preparedQuery("SELECT schema_version FROM events WHERE aggregate_id = $1 AND version = 2")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger(0);
        assertThat(schema).isEqualTo(OrderCancelled.SCHEMA);
    }

    private static EventEnvelope envelope(UUID orderId, long version, String type, String payload) {
        return new EventEnvelope(UUID.randomUUID(), "order", orderId, version, type, 1, payload.replace("\n", ""),
                Instant.parse("2025-01-31T09:00:00Z"), "legacy", null);
    }

    /** The order's row as the service of that time left it: the write model and the log agree. */
    private void storeRow(UUID orderId, UUID customerId, String status, long version) {
        primary.preparedQuery("""
                        INSERT INTO orders (id, customer_id, status, ship_line1, ship_city, ship_postal_code, ship_country,
                                            total, version, placed_at, updated_at)
                        VALUES ($1, $2, $3, '2 Pier', 'Boston', '02110', 'US', 25.00, $4, now(), now())""")
                .execute(Tuple.of(orderId, customerId, status, version)).await().atMost(Duration.ofSeconds(5));
    }

    /** Written as the service of that time wrote them, and as already published. */
    private void store(EventEnvelope... events) {
        for (EventEnvelope e : events) {
            primary.preparedQuery("""
                            INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version,
                                                payload, occurred_at, correlation_id, published_at)
                            VALUES ($1, 'order', $2, $3, $4, 1, $5::text::jsonb, now(), 'legacy', now())""")
                    .execute(Tuple.of(e.eventId(), e.aggregateId(), e.version(), e.eventType(), e.payload()))
                    .await().atMost(Duration.ofSeconds(5));
        }
    }

    private static String wire(EventEnvelope e) {
        return "{\"eventId\":\"" + e.eventId() + "\",\"aggregateType\":\"order\",\"aggregateId\":\"" + e.aggregateId()
                + "\",\"version\":" + e.version() + ",\"eventType\":\"" + e.eventType()
                + "\",\"schemaVersion\":1,\"occurredAt\":\"" + e.occurredAt() + "\",\"correlationId\":\"legacy\",\"payload\":"
                + e.payload() + "}";
    }
}
