package io.ordersvc.orders;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.cqrs.eventlog.EventRows;
import io.ordersvc.orders.command.OrderDecider;
import io.ordersvc.orders.command.OrderState;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderEvents;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.ShippingAddress;
import io.ordersvc.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The event log is the truth: folding an order's events gives exactly what the state tables hold. */
@QuarkusTest
class EventSourcingCheckTest {

    @Inject
    Pool primary;

    @Inject
    OrderEvents orderEvents;

    @Test
    void orders_through_every_transition_fold_to_what_the_state_tables_hold() {
        UUID shipped = newOrder();
        send(shipped, "address");
        send(shipped, "confirm");
        send(shipped, "ship");
        UUID cancelledAfterConfirm = newOrder();
        send(cancelledAfterConfirm, "confirm");
        send(cancelledAfterConfirm, "cancel");
        UUID cancelledAtOnce = newOrder();
        send(cancelledAtOnce, "cancel");
        UUID justPlaced = newOrder();

        for (UUID id : List.of(shipped, cancelledAfterConfirm, cancelledAtOnce, justPlaced)) {
            assertFoldEqualsTables(id);
        }
        assertThat(fold(shipped).status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(fold(cancelledAfterConfirm).status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void random_command_sequences_always_leave_the_tables_equal_to_the_fold_of_the_log() {
        Random random = new Random(20261123L);
        List<String> actions = List.of("confirm", "ship", "cancel", "address");
        for (int order = 0; order < 12; order++) {
            UUID id = newOrder();
            int steps = 1 + random.nextInt(6);
            for (int s = 0; s < steps; s++) {
                int status = send(id, actions.get(random.nextInt(actions.size())));
                assertThat(status).isIn(202, 409);
                assertFoldEqualsTables(id);
            }
        }
    }

    private UUID newOrder() {
        return Fixtures.order(customer("Frances Allen"), product("Optimizing compiler", "64.00"), 2);
    }

    private static int send(UUID id, String action) {
        return switch (action) {
            case "address" -> given().contentType(ContentType.JSON)
                    .body(Map.of("line1", UUID.randomUUID().toString().substring(0, 8) + " Street", "city", "Utrecht",
                            "postalCode", "3511", "country", "NL"))
                    .put("/orders/" + id + "/shipping-address").statusCode();
            case "cancel" -> given().contentType(ContentType.JSON).body(Map.of("reason", "checking"))
                    .post("/orders/" + id + "/cancel").statusCode();
            default -> given().post("/orders/" + id + "/" + action).statusCode();
        };
    }

    private void assertFoldEqualsTables(UUID id) {
        OrderState folded = fold(id);
        Row row = primary.preparedQuery("""
                        SELECT status, ship_line1, ship_city, ship_postal_code, ship_country, total, version,
                               customer_id, placed_at, updated_at
                          FROM orders WHERE id = $1""")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(folded.status().name()).isEqualTo(row.getString("status"));
        assertThat(folded.shippingAddress()).isEqualTo(new ShippingAddress(row.getString("ship_line1"),
                row.getString("ship_city"), row.getString("ship_postal_code"), row.getString("ship_country")));
        assertThat(folded.total()).isEqualByComparingTo(row.getBigDecimal("total"));
        assertThat(folded.version()).isEqualTo(row.getLong("version"));
        assertThat(folded.customerId()).isEqualTo(row.getUUID("customer_id"));
        assertThat(folded.placedAt()).isEqualTo(row.getOffsetDateTime("placed_at").toInstant());
        assertThat(folded.updatedAt()).isEqualTo(row.getOffsetDateTime("updated_at").toInstant());
        assertThat(folded.lines()).hasSize(lineCount(id));
    }

    private OrderState fold(UUID id) {
        List<OrderEvent> events = new ArrayList<>();
        primary.preparedQuery("""
                        SELECT %s FROM events WHERE aggregate_id = $1 ORDER BY version""".formatted(EventRows.COLUMNS))
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5))
                .forEach(r -> events.add(orderEvents.read(EventRows.envelope(r))));
        return OrderDecider.fold(events);
    }

    private int lineCount(UUID id) {
        return primary.preparedQuery("SELECT count(*) FROM order_lines WHERE order_id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger(0);
    }
}
