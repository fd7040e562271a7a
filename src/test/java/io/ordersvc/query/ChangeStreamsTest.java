package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.placeOrder;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.catalog.projection.ProductView;
import io.ordersvc.cqrs.changes.Change;
import io.ordersvc.cqrs.viewstore.ChangeStreamConfig;
import io.ordersvc.orders.projection.CustomerOrdersProjection;
import io.ordersvc.orders.projection.OrderView;
import io.ordersvc.cqrs.changes.SseChanges;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Http;
import io.ordersvc.support.Metrics;
import io.ordersvc.support.SseClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Change streams as SSE clients see them: resumed without gap or duplicate, a reset when the gap is
 * older than what is kept, heartbeats, a bounded buffer per client and a bounded number of clients.
 * (Across instances and on shutdown: ChangeStreamsAcrossInstancesIT.)
 */
@QuarkusTest
class ChangeStreamsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    SseChanges sse;

    @Inject
    RedisDataSource redis;

    @Inject
    ChangeStreamConfig config;

    @Test
    void a_client_that_resumes_with_last_event_id_gets_what_it_missed_once_and_in_order() {
        UUID buyer = customer("Emmy Noether");
        UUID ring = product("Ring", "7.00");
        URI changes = base.resolve("/customers/" + buyer + "/orders/changes");
        UUID first;
        try (SseClient client = SseClient.connect(bearer(buyer), URI.create(changes + "?lastEventId=0"))) {
            first = Fixtures.order(buyer, ring, 1);
            await().atMost(SseClient.timeout()).until(() -> client.events("OrderPlaced").size() == 1);
            assertThat(client.events().get(0).id()).isEqualTo("1");
        }
        // while the client is away: its first order is confirmed and a second one is placed
        asStaff().post("/orders/" + first + "/confirm").then().statusCode(202);
        UUID second = Fixtures.order(buyer, ring, 2);

        try (SseClient client = SseClient.connect(bearer(buyer), changes, "1")) {
            asStaff().post("/orders/" + first + "/ship").then().statusCode(202);
            await().atMost(SseClient.timeout()).until(() -> client.events().size() >= 3);
            List<SseClient.Event> events = client.events();
            assertThat(events).extracting(SseClient.Event::id).containsExactly("2", "3", "4");
            assertThat(events).extracting(SseClient.Event::name).containsExactly("OrderConfirmed", "OrderPlaced", "OrderShipped");
            assertThat(events).extracting(e -> JsonPath.from(e.data()).getString("orderId"))
                    .containsExactly(first.toString(), second.toString(), first.toString());
            assertThat(JsonPath.from(events.get(2).data()).getString("status")).isEqualTo("SHIPPED");
            assertThat(JsonPath.from(events.get(2).data()).getString("customerId")).isEqualTo(buyer.toString());
        }
    }

    @Test
    void a_client_that_loads_an_order_then_follows_from_its_version_misses_nothing() {
        UUID buyer = customer("Sofia Kovalevskaya");
        UUID top = product("Spinning top", "4.00");
        UUID orderId = Fixtures.order(buyer, top, 1);
        long loaded = asCustomer(buyer).header("X-Min-Version", "1").get("/orders/" + orderId).then().statusCode(200)
                .extract().jsonPath().getLong("version");
        // a change lands between loading the view and subscribing: the race that loses updates
        asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("line1", "2 Dock Road", "city", "Kiel", "postalCode", "24103",
                "country", "DE")).put("/orders/" + orderId + "/shipping-address").then().statusCode(202);

        try (SseClient client = SseClient.connect(bearer(buyer),
                base.resolve("/orders/" + orderId + "/changes?lastEventId=" + loaded))) {
            asStaff().post("/orders/" + orderId + "/confirm").then().statusCode(202);
            await().atMost(SseClient.timeout()).until(() -> client.events().size() >= 2);
            assertThat(client.events()).extracting(SseClient.Event::id).containsExactly("2", "3");
            assertThat(client.events()).extracting(SseClient.Event::name).containsExactly("ShippingAddressChanged", "OrderConfirmed");
            // an address change keeps the status, which the announcement reads from the view
            assertThat(JsonPath.from(client.events().get(0).data()).getString("status")).isEqualTo("PLACED");
        }
    }

    @Test
    void a_client_that_follows_from_a_version_not_yet_announced_gets_no_reset_and_then_what_comes_after() {
        UUID buyer = customer("Mary Somerville");
        UUID globe = product("Globe", "12.00");
        UUID orderId = Fixtures.order(buyer, globe, 1);
        await().atMost(SseClient.timeout()).until(() -> asCustomer(buyer).header("X-Min-Version", "1").get("/orders/" + orderId)
                .then().extract().statusCode() == 200);

        // as a client does that follows from the version its command answered, before the projector
        // announced it: the stream is at 1, the client at 2
        try (SseClient client = SseClient.connect(bearer(buyer), base.resolve("/orders/" + orderId + "/changes?lastEventId=2"))) {
            asStaff().post("/orders/" + orderId + "/confirm").then().statusCode(202);
            asStaff().post("/orders/" + orderId + "/ship").then().statusCode(202);
            await().atMost(SseClient.timeout()).until(() -> !client.events().isEmpty());
            assertThat(client.events()).extracting(SseClient.Event::name).first().isEqualTo("OrderShipped");
            assertThat(client.events()).extracting(SseClient.Event::id).containsExactly("3");
        }
    }

    @Test
    void a_client_that_loads_a_list_then_follows_from_its_position_misses_nothing() {
        UUID buyer = customer("Hypatia");
        UUID astrolabe = product("Astrolabe", "90.00");
        Fixtures.order(buyer, astrolabe, 1);
        await().atMost(SseClient.timeout()).until(() -> asCustomer(buyer).get("/customers/" + buyer + "/orders").then()
                .extract().jsonPath().getList("items").size() == 1);
        long position = asCustomer(buyer).get("/customers/" + buyer + "/orders").then().statusCode(200)
                .extract().jsonPath().getLong("changesPosition");
        UUID missedMeanwhile = Fixtures.order(buyer, astrolabe, 2);

        try (SseClient client = SseClient.connect(bearer(buyer),
                base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=" + position))) {
            await().atMost(SseClient.timeout()).until(() -> !client.events().isEmpty());
            assertThat(JsonPath.from(client.events().get(0).data()).getString("orderId")).isEqualTo(missedMeanwhile.toString());
        }

        long catalogAt = asCustomer(buyer).get("/products?limit=1").then().statusCode(200).extract().jsonPath().getLong("changesPosition");
        UUID lens = product("Lens", "12.00");
        try (SseClient client = SseClient.connect(bearer(buyer), base.resolve("/products/changes?lastEventId=" + catalogAt))) {
            await().atMost(SseClient.timeout()).until(() -> client.events().stream()
                    .anyMatch(e -> e.data().contains(lens.toString())));
            SseClient.Event added = client.events().stream().filter(e -> e.data().contains(lens.toString())).findFirst().orElseThrow();
            assertThat(added.name()).isEqualTo("ProductAdded");
            assertThat(JsonPath.from(added.data()).getString("status")).isEqualTo("ACTIVE");
            assertThat(JsonPath.from(added.data()).getString("unitPrice")).isEqualTo("12.00");
            assertThat(client.events()).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates()
                    .allMatch(id -> id > catalogAt);
        }
    }

    @Test
    void a_resume_older_than_what_the_stream_keeps_gets_a_reset_and_then_the_live_changes() {
        UUID buyer = customer("Ada Lovelace");
        UUID loom = product("Loom card", "1.00");
        // the tests keep 20 announcements per stream: 11 orders placed and confirmed make 22
        for (int i = 0; i < 11; i++) {
            UUID order = Fixtures.order(buyer, loom, 1);
            asStaff().post("/orders/" + order + "/confirm").then().statusCode(202);
        }
        URI changes = base.resolve("/customers/" + buyer + "/orders/changes");
        await().atMost(SseClient.timeout()).until(() -> asCustomer(buyer).get("/customers/" + buyer + "/orders").then()
                .extract().jsonPath().getLong("changesPosition") == 22);

        try (SseClient client = SseClient.connect(bearer(buyer), changes, "1")) {
            await().atMost(SseClient.timeout()).until(() -> !client.events().isEmpty());
            SseClient.Event reset = client.events().get(0);
            assertThat(reset.name()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo("22");
            assertThat(JsonPath.from(reset.data()).getLong("position")).isEqualTo(22);

            Fixtures.order(buyer, loom, 1);
            await().atMost(SseClient.timeout()).until(() -> client.events().size() == 2);
            assertThat(client.events().get(1).id()).isEqualTo("23");
        }
        // a client ahead of the stream (it started anew) is told to refetch as well
        try (SseClient client = SseClient.connect(bearer(buyer), changes, "999")) {
            await().atMost(SseClient.timeout()).until(() -> !client.events().isEmpty());
            assertThat(client.events().get(0).name()).isEqualTo("reset");
            assertThat(client.events().get(0).id()).isEqualTo("23");
        }
    }

    @Test
    void each_kind_of_stream_is_kept_for_its_own_time_after_its_last_announcement() {
        UUID buyer = customer("Frances Allen");
        UUID order = Fixtures.order(buyer, product("Lamp", "9.00"), 1);
        String own = OrderView.changesStream(order);
        String list = CustomerOrdersProjection.changesStream(buyer);
        // one key at a time: on a Redis Cluster they lie in different slots
        await().atMost(SseClient.timeout()).until(() -> Stream.of(own, list, ProductView.CHANGES).allMatch(redis.key()::exists));

        assertKeptFor(own, config.ttlByKind().get("order"));
        assertKeptFor(list, config.ttlByKind().get("customer"));
        assertKeptFor(ProductView.CHANGES, config.ttl());
        assertThat(config.ttlByKind().get("order")).isLessThan(config.ttlByKind().get("customer"))
                .isLessThan(config.ttl());
    }

    private void assertKeptFor(String key, Duration ttl) {
        assertThat(redis.key().pttl(key)).as(key).isBetween(ttl.minusMinutes(1).toMillis(), ttl.toMillis());
    }

    @Test
    void an_idle_stream_gets_heartbeat_comments() {
        UUID idle = UUID.randomUUID();
        try (SseClient client = SseClient.connect(bearer(idle), base.resolve("/customers/" + idle + "/orders/changes"))) {
            // the tests beat every second; the service's default is every 15 s
            await().atMost(Duration.ofSeconds(5)).until(() -> client.comments() >= 2);
            assertThat(client.events()).isEmpty();
        }
    }

    @Test
    void a_slow_client_is_disconnected_without_slowing_the_others() {
        UUID buyer = customer("Grace Hopper");
        UUID bug = product("Moth", "0.50");
        String stream = "changes:customer:{" + buyer + "}:orders";
        // a client that reads nothing, and one that reads everything
        AssertSubscriber<Change> slow = sse.changes(stream, 0L).subscribe().withSubscriber(AssertSubscriber.create(0));
        List<Change> fast = new ArrayList<>();
        AssertSubscriber<Change> quick = sse.changes(stream, 0L).filter(c -> !SseChanges.isHeartbeat(c))
                .invoke(fast::add).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        // the tests buffer 256 events per client: 300 orders are more than the slow one holds
        int orders = 300;
        String order = placeOrderJson(buyer, bug);
        for (int sent = 0; sent < orders; sent += 50) {
            assertThat(Http.concurrently(50, () -> Http.post(base.resolve("/orders"), order, "Authorization", bearer(buyer))))
                    .allMatch(answer -> answer.statusCode() == 202);
        }
        slow.awaitCompletion(Duration.ofSeconds(10));
        assertThat(slow.getItems()).isEmpty();
        await().atMost(SseClient.timeout()).until(() -> fast.size() == orders);
        assertThat(fast).extracting(Change::position).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, orders).boxed().toList());
        quick.cancel();
        assertThat(given().get("/q/metrics").then().extract().asString()).contains("ordersvc_changes_slow_clients_total");
    }

    @Test
    void over_the_maximum_of_streams_a_client_gets_a_503_with_retry_after_and_then_a_place_when_one_leaves() {
        List<SseClient> open = new ArrayList<>();
        try {
            URI products = base.resolve("/products/changes");
            // shoppers following the catalog, each with its own token
            SseClient refused = null;
            // the tests allow 40 streams per instance
            for (int i = 0; i <= 40 && refused == null; i++) {
                SseClient client = SseClient.connect(bearer(UUID.randomUUID()), products);
                if (client.status() == 503) {
                    refused = client;
                } else {
                    assertThat(client.status()).isEqualTo(200);
                    open.add(client);
                }
            }
            assertThat(refused).as("a client over the maximum").isNotNull();
            assertThat(refused.answer().headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.answer().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));

            open.remove(0).close();
            await().atMost(SseClient.timeout()).until(() -> {
                SseClient again = SseClient.connect(bearer(UUID.randomUUID()), products);
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                return false;
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void a_last_event_id_that_is_not_a_position_is_a_400() {
        asCustomer(UUID.randomUUID()).header("Last-Event-ID", "yesterday").get("/products/changes").then()
                .statusCode(400).contentType("application/problem+json");
        // staff, who may follow any order: the position, not the order, is what is refused
        asStaff().get("/orders/" + UUID.randomUUID() + "/changes?lastEventId=-3").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void an_http_client_that_stops_reading_is_disconnected_while_a_reading_one_gets_every_change() throws Exception {
        UUID buyer = customer("Margaret Hamilton");
        UUID tape = product("Core rope", "3.00");
        URI changes = base.resolve("/customers/" + buyer + "/orders/changes?lastEventId=0");
        double droppedBefore = slowClientsDropped();
        try (Socket stalled = new Socket(); SseClient reading = SseClient.connect(bearer(buyer), changes)) {
            // a small window, and nothing read: the service's socket buffer fills, then the client's 256 events
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            stalled.getOutputStream().write(("GET " + changes.getRawPath() + "?" + changes.getRawQuery() + " HTTP/1.1\r\nHost: "
                    + base.getHost() + "\r\nAccept: text/event-stream\r\nAuthorization: " + bearer(buyer) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            String order = new ObjectMapper().writeValueAsString(placeOrder(buyer, List.of(line(tape, 1))));
            int orders = 600;
            for (int sent = 0; sent < orders; sent += 50) {
                assertThat(Http.concurrently(50, () -> Http.post(base.resolve("/orders"), order, "Authorization", bearer(buyer))))
                        .allMatch(answer -> answer.statusCode() == 202);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> reading.events().size() == orders);
            await().atMost(SseClient.timeout()).until(() -> slowClientsDropped() > droppedBefore);

            // the service ended that response (the connection itself stays open for HTTP keep-alive):
            // what the stalled client reads now stops short of the last event, at the chunked body's end
            String received = readUntilBodyEnds(stalled);
            assertThat(received).startsWith("HTTP/1.1 200").endsWith("\r\n0\r\n\r\n");
            assertThat(Pattern.compile("event: ?OrderPlaced").matcher(received).results().count()).isLessThan(orders);
            assertThat(reading.end()).isEqualTo(SseClient.End.OPEN);
        }
    }

    private static String placeOrderJson(UUID buyer, UUID product) {
        try {
            return new ObjectMapper().writeValueAsString(placeOrder(buyer, List.of(line(product, 1))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readUntilBodyEnds(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; !received.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n") && (n = in.read(buffer)) >= 0; ) {
            received.write(buffer, 0, n);
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    private double slowClientsDropped() {
        return Metrics.sum(Metrics.scrape(), "ordersvc_changes_slow_clients_total", series -> true);
    }
}
