package io.ordersvc.orders;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.orders.event.OrderCancelled;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events carry their schema version; older payloads are upcast to the current record when read. */
@QuarkusTest
class EventVersioningTest {

    private static final String V1_CANCELLED = "{\"orderId\":\"%s\",\"cancelledAt\":\"2025-01-31T09:00:00Z\"}";

    @Inject
    OrderEvents orderEvents;

    @Inject
    Pool primary;

    @Test
    void a_schema_1_cancellation_without_a_reason_reads_as_the_current_event() {
        UUID orderId = UUID.randomUUID();
        OrderEvent event = orderEvents.read(new EventEnvelope(UUID.randomUUID(), "order", orderId, 2,
                OrderCancelled.TYPE, 1, V1_CANCELLED.formatted(orderId), Instant.parse("2025-01-31T09:00:00Z"), "legacy"));

        assertThat(event).isEqualTo(new OrderCancelled(orderId, "no reason recorded", Instant.parse("2025-01-31T09:00:00Z")));
    }

    @Test
    void a_stored_schema_1_payload_appears_in_the_history_in_the_current_shape() {
        UUID orderId = UUID.randomUUID();
        primary.preparedQuery("""
                        INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version,
                                            payload, occurred_at, correlation_id, published_at)
                        VALUES ($1, 'order', $2, 1, 'OrderCancelled', 1, $3::text::jsonb, now(), 'legacy', now())""")
                .execute(Tuple.of(UUID.randomUUID(), orderId, V1_CANCELLED.formatted(orderId)))
                .await().atMost(Duration.ofSeconds(5));

        JsonPath history = await().atMost(Duration.ofSeconds(10)).until(
                () -> given().get("/orders/" + orderId + "/history"), r -> r.statusCode() == 200).jsonPath();
        assertThat(history.getString("[0].type")).isEqualTo("OrderCancelled");
        assertThat(history.getString("[0].payload.reason")).isEqualTo("no reason recorded");
    }

    @Test
    void new_events_are_stored_with_their_current_schema_version() {
        UUID id = io.ordersvc.support.Fixtures.order(io.ordersvc.support.Fixtures.customer("Jean Bartik"),
                io.ordersvc.support.Fixtures.product("ENIAC manual", "9.00"), 1);
        given().contentType("application/json").body("{\"reason\":\"duplicate\"}").post("/orders/" + id + "/cancel")
                .then().statusCode(202);
        int schema = primary.preparedQuery("SELECT schema_version FROM events WHERE aggregate_id = $1 AND version = 2")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger(0);
        assertThat(schema).isEqualTo(OrderCancelled.SCHEMA);
    }
}
