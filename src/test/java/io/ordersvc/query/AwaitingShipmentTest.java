package io.ordersvc.query;

import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.staffBearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.ordersvc.cqrs.viewstore.ChangeStreamConfig;
import io.ordersvc.orders.projection.AwaitingShipmentProjection;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.SseClient;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Staff's queue of orders awaiting shipment, end to end: a confirmed order enters it with its
 * customer, total and confirmation time, a shipped or cancelled one leaves it, the oldest
 * confirmation first, a page at a time; it is followed over SSE, read from the replica while Redis
 * has no read models, and put back the same by the online rebuild. The queue is the shop's, shared by
 * every test: each test reads it from just before its own first confirmation, and looks at its own
 * orders.
 */
@QuarkusTest
class AwaitingShipmentTest {

    private static final String QUEUE = "/staff/orders/awaiting-shipment";

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    ChangeStreamConfig streams;

    @Test
    void a_confirmed_order_enters_the_queue_with_its_customer_its_total_and_when_it_was_confirmed() {
        UUID buyer = customer("Mary Jackson");
        UUID order = Fixtures.order(buyer, product("Wind tunnel model", "12.50"), 2);
        Instant since = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> asStaff().get("/orders/" + order).statusCode() == 200);
        assertThat(ids(queuedSince(since))).doesNotContain(order.toString());

        confirm(order);

        Map<String, Object> queued = await().atMost(Duration.ofSeconds(10)).until(() -> itemOf(queuedSince(since), order),
                item -> item != null);
        assertThat(queued.get("customerId")).isEqualTo(buyer.toString());
        assertThat(new BigDecimal(queued.get("total").toString())).isEqualByComparingTo("25.00");
        assertThat(Instant.parse(queued.get("confirmedAt").toString())).isEqualTo(confirmedAt(order));
    }

    @Test
    void an_order_leaves_the_queue_when_it_is_shipped_or_cancelled() {
        Confirmed confirmed = confirmedOrders("Annie Easley", "Battery", 3);
        UUID shipped = confirmed.orders().get(0);
        UUID cancelled = confirmed.orders().get(1);
        UUID waiting = confirmed.orders().get(2);
        Instant since = confirmed.since();
        await().atMost(Duration.ofSeconds(10)).until(() -> ids(queuedSince(since)).containsAll(strings(confirmed.orders())));

        ship(shipped);
        cancel(cancelled);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids(queuedSince(since)))
                .contains(waiting.toString()).doesNotContain(shipped.toString(), cancelled.toString()));
    }

    @Test
    void the_queue_comes_oldest_confirmation_first_a_page_at_a_time() {
        UUID buyer = customer("Christine Darden");
        UUID slideRule = product("Slide rule", "3.00");
        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(Fixtures.order(buyer, slideRule, i + 1));
        }
        Instant since = Instant.now();
        // confirmed the other way round from how they were placed: the queue follows the confirmations
        List<UUID> confirmed = new ArrayList<>(placed);
        Collections.reverse(confirmed);
        confirmed.forEach(AwaitingShipmentTest::confirm);
        await().atMost(Duration.ofSeconds(10)).until(() -> ids(queuedSince(since)).containsAll(strings(placed)));
        List<String> expected = confirmed.stream()
                .sorted(Comparator.comparing(AwaitingShipmentTest::confirmedAt).thenComparing(UUID::toString))
                .map(UUID::toString).toList();

        List<JsonPath> pages = pagesSince(since, 2);

        List<Map<String, Object>> items = items(pages);
        assertThat(ids(items).stream().filter(strings(placed)::contains).toList()).isEqualTo(expected);
        assertThat(items).extracting(item -> Instant.parse(item.get("confirmedAt").toString())).isSorted();
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
        assertThat(pages).allSatisfy(page -> assertThat(page.getList("items")).hasSizeLessThanOrEqualTo(2));
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(page -> assertThat(page.getList("items")).hasSize(2));
    }

    @Test
    void a_cursor_or_a_limit_the_service_did_not_hand_out_is_a_400_naming_it() {
        asStaff().queryParam("cursor", "not-a-cursor").get(QUEUE).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
        asStaff().queryParam("limit", 101).get(QUEUE).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
    }

    @Test
    void a_follower_of_the_queue_hears_each_order_enter_and_leave_and_resumes_after_the_last_event_it_got() {
        UUID buyer = customer("Katherine Johnson");
        UUID globe = product("Globe", "60.00");
        UUID first = Fixtures.order(buyer, globe, 1);
        UUID second = Fixtures.order(buyer, globe, 1);
        long position = asStaff().queryParam("limit", 1).get(QUEUE).then().statusCode(200).extract().jsonPath()
                .getLong("changesPosition");
        String lastSeen;
        try (SseClient client = SseClient.connect(staffBearer(), base.resolve(QUEUE + "/changes?lastEventId=" + position))) {
            confirm(first);
            // a new address changes nothing the queue shows: its followers are not told
            asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("line1", "2 Dock Road", "city", "Kiel",
                    "postalCode", "24103", "country", "DE")).put("/orders/" + first + "/shipping-address").then().statusCode(202);
            ship(first);
            await().atMost(SseClient.timeout()).until(() -> eventsOf(client, first).size() >= 2);

            List<SseClient.Event> heard = eventsOf(client, first);
            assertThat(heard).extracting(SseClient.Event::name).containsExactly("OrderConfirmed", "OrderShipped");
            assertThat(heard).extracting(e -> JsonPath.from(e.data()).getString("status")).containsExactly("CONFIRMED", "SHIPPED");
            assertThat(heard).extracting(e -> JsonPath.from(e.data()).getString("customerId")).containsOnly(buyer.toString());
            assertThat(client.events()).extracting(e -> Long.parseLong(e.id())).isSorted().allMatch(id -> id > position);
            lastSeen = client.events().get(client.events().size() - 1).id();
        }
        // while the follower is away
        confirm(second);
        cancel(second);

        try (SseClient client = SseClient.connect(staffBearer(), base.resolve(QUEUE + "/changes"), lastSeen)) {
            await().atMost(SseClient.timeout()).until(() -> eventsOf(client, second).size() >= 2);
            assertThat(eventsOf(client, second)).extracting(SseClient.Event::name).containsExactly("OrderConfirmed", "OrderCancelled");
            assertThat(eventsOf(client, first)).isEmpty();
            assertThat(client.events()).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates()
                    .allMatch(id -> id > Long.parseLong(lastSeen));
        }
    }

    @Test
    void the_queues_stream_is_kept_a_day_after_its_last_announcement_as_a_customers_list_is() {
        confirmedOrders("Frances Northcutt", "Trajectory chart", 1);
        await().atMost(SseClient.timeout()).until(() -> redis.key().exists(AwaitingShipmentProjection.CHANGES));

        Duration kept = streams.ttlByKind().get("orders");
        assertThat(kept).isEqualTo(Duration.ofDays(1)).isEqualTo(streams.ttlByKind().get("customer"));
        assertThat(redis.key().pttl(AwaitingShipmentProjection.CHANGES)).isBetween(kept.minusMinutes(1).toMillis(), kept.toMillis());
    }

    @Test
    void while_redis_names_no_read_models_the_queue_is_read_from_the_replica_alike() {
        Confirmed confirmed = confirmedOrders("Evelyn Boyd Granville", "Abacus", 3);
        Instant since = confirmed.since();
        ship(confirmed.orders().get(2));
        List<String> mine = strings(confirmed.orders());
        List<Map<String, Object>> fromRedis = await().atMost(Duration.ofSeconds(10))
                .until(() -> only(mine, queuedSince(since)), items -> items.size() == 2);
        assertThat(ids(fromRedis)).containsExactlyInAnyOrderElementsOf(mine.subList(0, 2));
        // holding the rebuild lease keeps the projector from rebuilding at once; taken once no rebuild runs
        await().atMost(Duration.ofSeconds(60)).until(() -> redis.key().exists("{views}:generation")
                && redis.execute("SET", "{views}:rebuild-lease", "test", "NX", "PX", "30000") != null);
        String generation = redis.value(String.class).get("{views}:generation");
        try {
            redis.key().del("{views}:generation");
            // the service notices within a second; the replica answers once it has replayed the shipment
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<JsonPath> pages = pagesSince(since, 1);
                assertThat(pages).allSatisfy(page -> assertThat(page.getLong("changesPosition")).isZero());
                assertThat(only(mine, items(pages))).isEqualTo(fromRedis);
            });
        } finally {
            redis.value(String.class).set("{views}:generation", generation);
            redis.key().del("{views}:rebuild-lease");
        }
        // back on the read models, and writing to them again, before the next specification
        await().atMost(Duration.ofSeconds(5)).until(() -> asStaff().queryParam("limit", 1).get(QUEUE).then().statusCode(200)
                .extract().jsonPath().getLong("changesPosition") > 0);
    }

    @Test
    void an_online_rebuild_puts_back_the_same_queue() {
        List<String> orders = strings(confirmedOrders("Melba Roy Mouton", "Punched tape", 3).orders());
        ship(UUID.fromString(orders.get(1)));
        cancel(UUID.fromString(orders.get(2)));
        // the first waits; the second and third came and went
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queueInRedis())
                .containsKey(orders.get(0)).doesNotContainKeys(orders.get(1), orders.get(2)));
        Map<String, Double> before = queueInRedis();
        long generation = Views.generation(redis);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin().post("/admin/rebuild").then().statusCode(202));
        await().atMost(Duration.ofSeconds(60)).until(() -> asAdmin().get("/admin/rebuild").then().extract().jsonPath(),
                s -> "DONE".equals(s.getString("state")) && s.getLong("generation") == generation + 1);

        assertThat(Views.generation(redis)).isEqualTo(generation + 1);
        assertThat(queueInRedis()).isEqualTo(before);
    }

    // --- making and moving orders, reading the queue

    /** A new customer's orders, placed, then confirmed by staff from {@code since} on, in the order of the list. */
    private record Confirmed(List<UUID> orders, Instant since) {
    }

    private static Confirmed confirmedOrders(String buyerName, String productName, int count) {
        UUID buyer = customer(buyerName);
        UUID item = product(productName, "4.00");
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(Fixtures.order(buyer, item, 1));
        }
        Instant since = Instant.now();
        orders.forEach(AwaitingShipmentTest::confirm);
        return new Confirmed(orders, since);
    }

    private static void confirm(UUID order) {
        asStaff().post("/orders/" + order + "/confirm").then().statusCode(202);
    }

    private static void ship(UUID order) {
        asStaff().post("/orders/" + order + "/ship").then().statusCode(202);
    }

    private static void cancel(UUID order) {
        asStaff().contentType(ContentType.JSON).body(Map.of("reason", "out of stock")).post("/orders/" + order + "/cancel")
                .then().statusCode(202);
    }

    /** The queue's pages from just before {@code since} on, {@code limit} at a time, as staff read them. */
    private static List<JsonPath> pagesSince(Instant since, int limit) {
        List<JsonPath> pages = new ArrayList<>();
        String cursor = cursorBefore(since);
        while (cursor != null && pages.size() < 100) {
            JsonPath page = asStaff().queryParam("limit", limit).queryParam("cursor", cursor).get(QUEUE).then().statusCode(200)
                    .extract().jsonPath();
            pages.add(page);
            cursor = page.getString("nextCursor");
        }
        return pages;
    }

    /**
     * A cursor as the service hands them out (the last entry's score and id), naming a place just
     * before {@code t}: the service runs in this JVM, on the same clock.
     */
    private static String cursorBefore(Instant t) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(((t.toEpochMilli() - 1) + ":" + new UUID(0, 0)).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> queuedSince(Instant since) {
        return items(pagesSince(since, 100));
    }

    private static List<Map<String, Object>> items(List<JsonPath> pages) {
        return pages.stream().flatMap(page -> page.<Map<String, Object>>getList("items").stream()).toList();
    }

    private static List<Map<String, Object>> only(List<String> orderIds, List<Map<String, Object>> items) {
        return items.stream().filter(item -> orderIds.contains(item.get("orderId").toString())).toList();
    }

    private static Map<String, Object> itemOf(List<Map<String, Object>> items, UUID order) {
        return items.stream().filter(item -> order.toString().equals(item.get("orderId"))).findFirst().orElse(null);
    }

    private static List<String> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> item.get("orderId").toString()).toList();
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }

    /** When the order was confirmed, as its history tells (read from the replica, which may lag a moment). */
    private static Instant confirmedAt(UUID order) {
        String at = await().atMost(Duration.ofSeconds(10)).until(() -> asStaff().get("/orders/" + order + "/history").then()
                .extract().jsonPath().getString("find { it.type == 'OrderConfirmed' }.occurredAt"), value -> value != null);
        return Instant.parse(at);
    }

    private static List<SseClient.Event> eventsOf(SseClient client, UUID order) {
        return client.events().stream().filter(e -> e.data().contains(order.toString())).toList();
    }

    /** The queue as the active generation holds it in Redis: each order's id and score. */
    private Map<String, Double> queueInRedis() {
        return redis.sortedSet(String.class).zrangeWithScores(Views.key(redis, AwaitingShipmentProjection.KEY), 0, -1)
                .stream().collect(Collectors.toMap(ScoredValue::value, ScoredValue::score));
    }
}
