package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.cqrs.viewstore.ViewWrite;
import io.ordersvc.cqrs.viewstore.WriteOutcome;
import io.ordersvc.orders.event.OrderConfirmed;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.projection.AwaitingShipmentProjection;
import io.ordersvc.orders.projection.OrderView;
import io.ordersvc.orders.projection.SalesProjection;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each read model keeps its own books: a customer's list and the sales counters follow every event
 * whether or not the order's view was cached when the projector got there; an order's counted version
 * is kept for {@code ordersvc.views.counted-ttl} (30 days) after its last move, then goes.
 */
@QuarkusTest
class ReadModelsKeepTheirOwnBooksTest {

    @jakarta.inject.Inject
    RedisDataSource redis;

    @jakarta.inject.Inject
    ViewStore views;

    @Test
    void an_order_whose_view_a_read_put_back_before_the_projector_got_there_is_still_listed_and_counted() {
        UUID buyer = customer("Radia Perlman");
        UUID item = product("Spanning tree", "12.00");
        UUID orderId = UUID.randomUUID();
        // what a read that missed the cache leaves: the view at version 1, written before the projector's
        redis.hash(String.class).hset(Views.order(redis, orderId), Map.of("version", "1", "orderId",
                orderId.toString(), "status", "PLACED"));
        long placedBefore = figure("PLACED", "orders");

        asCustomer(buyer).contentType(ContentType.JSON)
                .body(Map.of("orderId", orderId.toString(), "customerId", buyer.toString(), "shippingAddress",
                        Fixtures.address(), "lines", List.of(Fixtures.line(item, 2))))
                .post("/orders").then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> counted(orderId) == 1);
        assertThat(figure("PLACED", "orders")).isEqualTo(placedBefore + 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(asCustomer(buyer).get("/customers/" + buyer + "/orders")
                .then().statusCode(200).extract().jsonPath().getList("items.orderId")).containsExactly(orderId.toString()));
        // and its change was announced, once, although the view already stood at its version
        assertThat(redis.stream(String.class).xlen("changes:customer:{" + buyer + "}:orders")).isEqualTo(1);
    }

    @Test
    void a_status_change_of_an_order_whose_view_was_evicted_still_moves_the_counters_and_is_announced() {
        UUID buyer = customer("Barbara Liskov");
        UUID orderId = Fixtures.order(buyer, product("CLU reference", "30.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> counted(orderId) == 1);
        redis.key().del(Views.order(redis, orderId));
        long placedBefore = figure("PLACED", "orders");
        long confirmedBefore = figure("CONFIRMED", "orders");
        long confirmedRevenueBefore = figure("CONFIRMED", "revenueCents");

        asStaff().post("/orders/" + orderId + "/confirm").then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> counted(orderId) == 2);
        assertThat(figure("PLACED", "orders")).isEqualTo(placedBefore - 1);
        assertThat(figure("CONFIRMED", "orders")).isEqualTo(confirmedBefore + 1);
        assertThat(figure("CONFIRMED", "revenueCents")).isEqualTo(confirmedRevenueBefore + 3000);
        assertThat(redis.stream(String.class).xlen("changes:customer:{" + buyer + "}:orders")).isEqualTo(2);
        assertThat(redis.key().exists(Views.order(redis, orderId))).isFalse();
    }

    @Test
    void an_orders_counted_version_is_kept_for_a_while_after_its_last_move_and_not_for_ever() {
        UUID orderId = Fixtures.order(customer("Leslie Lamport"), product("Clock", "5.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> counted(orderId) == 1);
        Duration kept = Duration.ofDays(30);
        long ttl = redis.key().pttl(Views.countedKey(redis, orderId));

        assertThat(ttl).isBetween(kept.minusMinutes(1).toMillis(), kept.toMillis());
    }

    @Test
    void a_shipped_order_leaves_the_queue_awaiting_shipment_and_its_confirmation_replayed_later_does_not_put_it_back() {
        UUID buyer = customer("Dorothy Hodgkin");
        UUID orderId = Fixtures.order(buyer, product("Crystal", "3.00"), 1);
        String queue = Views.key(redis, AwaitingShipmentProjection.KEY);
        asStaff().post("/orders/" + orderId + "/confirm").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zscore(queue, orderId.toString()).isPresent());

        asStaff().post("/orders/" + orderId + "/ship").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zscore(queue, orderId.toString()).isEmpty());
        // the confirmation again, as a redelivery or a re-driven dead letter would bring it
        OrderConfirmed late = new OrderConfirmed(orderId, buyer, OrderStatus.PLACED, new BigDecimal("3.00"), Instant.now());
        ViewChange change = ViewChange.of(ViewWrite.patch(OrderView.key(orderId), 2, Map.of("status", "CONFIRMED")))
                .indexedIn(AwaitingShipmentProjection.entries(late, 2));
        assertThat(views.applyAll(List.of(change)).await().atMost(Duration.ofSeconds(5))).containsExactly(WriteOutcome.ALREADY_SEEN);

        assertThat(redis.sortedSet(String.class).zscore(queue, orderId.toString())).isEmpty();
    }

    private long counted(UUID orderId) {
        String version = Views.counted(redis, orderId);
        return version == null ? 0 : Long.parseLong(version);
    }

    /** A figure of the dashboard, summed over its stripes. */
    private long figure(String status, String what) {
        long sum = 0;
        for (int stripe = 0; stripe < SalesProjection.STRIPES; stripe++) {
            String value = redis.hash(String.class).hget(Views.key(redis, SalesProjection.stripe(stripe)), status + "." + what);
            sum += value == null ? 0 : Long.parseLong(value);
        }
        return sum;
    }
}
