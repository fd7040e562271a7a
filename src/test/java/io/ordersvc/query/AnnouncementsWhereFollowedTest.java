package io.ordersvc.query;

import static io.ordersvc.support.Callers.asStaff;
import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.orders.projection.CustomerOrdersProjection;
import io.ordersvc.orders.projection.OrderView;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.SseClient;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Redis sends an instance the announcements of the streams its own clients follow, and nothing
 * else: one subscription per stream however many clients follow it here, dropped a while after the
 * last one left (2 s in tests), and in place before a client sees its stream's headers.
 */
@QuarkusTest
class AnnouncementsWhereFollowedTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Test
    void an_instance_is_sent_no_announcement_of_an_order_that_none_of_its_clients_follows() {
        UUID buyer = customer("Alan Kay");
        UUID order = Fixtures.order(buyer, product("Slate", "4.00"), 1);
        asStaff().post("/orders/" + order + "/confirm").then().statusCode(202);
        await().atMost(SseClient.timeout()).until(() -> "2".equals(
                redis.hash(String.class).hget(Views.key(redis, OrderView.key(order)), "version")));

        assertThat(subscribers(OrderView.changesStream(order))).isZero();
        assertThat(subscribers(CustomerOrdersProjection.changesStream(buyer))).isZero();
        assertThat(redis.execute("PUBSUB", "NUMPAT").toLong()).as("pattern subscriptions, which get every change").isZero();
    }

    @Test
    void a_stream_followed_by_two_clients_here_is_one_subscription_dropped_after_the_last_client_left() {
        UUID buyer = customer("Adele Goldberg");
        UUID order = Fixtures.order(buyer, product("Tile", "2.00"), 1);
        String stream = OrderView.changesStream(order);
        URI changes = base.resolve("/orders/" + order + "/changes");
        try (SseClient first = SseClient.connect(bearer(buyer), changes);
                SseClient second = SseClient.connect(bearer(buyer), changes)) {
            assertThat(subscribers(stream)).isEqualTo(1);
            asStaff().post("/orders/" + order + "/confirm").then().statusCode(202);
            await().atMost(SseClient.timeout()).until(() -> first.events("OrderConfirmed").size() == 1
                    && second.events("OrderConfirmed").size() == 1);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> subscribers(stream) == 0);
    }

    @Test
    void a_client_that_saw_its_stream_open_hears_of_what_it_did_next_though_no_one_followed_the_stream_before() {
        UUID buyer = customer("Barbara Liskov");
        UUID tile = product("Tile", "2.00");
        for (int i = 0; i < 5; i++) {
            UUID order = Fixtures.order(buyer, tile, 1);
            assertThat(subscribers(OrderView.changesStream(order))).isZero();
            try (SseClient client = SseClient.connect(bearer(buyer), base.resolve("/orders/" + order + "/changes"))) {
                asStaff().post("/orders/" + order + "/confirm").then().statusCode(202);
                await().atMost(SseClient.timeout()).until(() -> client.events("OrderConfirmed").size() == 1);
            }
        }
    }

    /** How many connections Redis sends the stream's announcements to. */
    private long subscribers(String stream) {
        Response reply = redis.execute("PUBSUB", "NUMSUB", stream);
        return reply.get(1).toLong();
    }
}
