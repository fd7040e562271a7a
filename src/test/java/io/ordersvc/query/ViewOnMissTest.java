package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Replica;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The view a read builds on a cache miss, by folding the order's events from the replica, is the
 * view the projector wrote: one mapping from events to the order view. The orders are one customer's,
 * who reads them, changes their address and cancels them; staff confirm and ship.
 */
@QuarkusTest
class ViewOnMissTest {

    @Inject
    RedisDataSource redis;

    UUID buyer;

    @BeforeEach
    void aCustomer() {
        buyer = customer("Frances Allen");
    }

    @Test
    void orders_through_every_kind_of_event_read_the_same_from_the_cache_and_from_the_replica() {
        UUID shipped = newOrder();
        send(shipped, "address");
        send(shipped, "confirm");
        assertProjectedEqualsFolded(shipped, send(shipped, "ship"));
        UUID cancelledAfterConfirm = newOrder();
        send(cancelledAfterConfirm, "confirm");
        send(cancelledAfterConfirm, "address");
        assertProjectedEqualsFolded(cancelledAfterConfirm, send(cancelledAfterConfirm, "cancel"));
        assertProjectedEqualsFolded(newOrder(), 1);
    }

    @Test
    void random_command_sequences_always_read_the_same_from_the_cache_and_from_the_replica() {
        Random random = new Random(20261201L);
        List<String> actions = List.of("confirm", "ship", "cancel", "address");
        for (int order = 0; order < 6; order++) {
            UUID id = newOrder();
            long version = 1;
            for (int s = 1 + random.nextInt(5); s > 0; s--) {
                version = Math.max(version, send(id, actions.get(random.nextInt(actions.size()))));
            }
            assertProjectedEqualsFolded(id, version);
        }
    }

    @Test
    void a_miss_while_the_replica_lags_is_answered_and_put_back_from_the_primary_never_older() throws Exception {
        UUID id = newOrder();
        Replica.pause();
        try {
            long confirmed = send(id, "confirm");
            await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(confirmed)
                    .equals(Views.counted(redis, id)));
            // the view is gone (evicted, say) while the replica has not replayed the confirmation
            redis.key().del(Views.order(redis, id));
            asCustomer(buyer).get("/orders/" + id).then().statusCode(200)
                    .header("X-Read-Source", "primary")
                    .body("status", org.hamcrest.Matchers.equalTo("CONFIRMED"))
                    .body("version", org.hamcrest.Matchers.equalTo((int) confirmed));
            assertThat(redis.hash(String.class).hget(Views.order(redis, id), "version"))
                    .isEqualTo(String.valueOf(confirmed));
            // an order the replica has not seen at all is no 404 either
            UUID unseen = newOrder();
            // projected first, so that the projector's own write cannot land after the view is gone
            await().atMost(Duration.ofSeconds(10)).until(() -> "1"
                    .equals(Views.counted(redis, unseen)));
            redis.key().del(Views.order(redis, unseen));
            asCustomer(buyer).get("/orders/" + unseen).then().statusCode(200).header("X-Read-Source", "primary");
        } finally {
            Replica.resume();
        }
    }

    /** No read before the projector is done, so that the cached view is the projected one, not a refill. */
    private void assertProjectedEqualsFolded(UUID id, long version) {
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(version)
                .equals(Views.counted(redis, id)));
        Map<String, Object> projected = await().atMost(Duration.ofSeconds(10)).until(
                () -> read(id, version, "cache"), view -> view != null);
        // each try starts from a miss: a replica that had not replayed the last event yet may have put back an older view
        Map<String, Object> folded = await().atMost(Duration.ofSeconds(10)).until(() -> {
            redis.key().del(Views.order(redis, id));
            return read(id, version, "replica");
        }, view -> view != null);
        assertThat(folded).isEqualTo(projected);
    }

    /** The view at {@code version} from {@code source}, or null while it is not there yet. */
    private Map<String, Object> read(UUID id, long version, String source) {
        Response r = asCustomer(buyer).get("/orders/" + id);
        if (r.statusCode() != 200 || !source.equals(r.header("X-Read-Source")) || r.jsonPath().getLong("version") != version) {
            return null;
        }
        return r.jsonPath().getMap("");
    }

    private UUID newOrder() {
        return Fixtures.order(buyer, product("Optimizing compiler", "64.00"), 2);
    }

    /** Sends a command: the version it answered, or 0 when the order's status refused it. */
    private long send(UUID id, String action) {
        Response answer = switch (action) {
            case "address" -> asCustomer(buyer).contentType(ContentType.JSON)
                    .body(Map.of("line1", UUID.randomUUID().toString().substring(0, 8) + " Street", "city", "Utrecht",
                            "postalCode", "3511", "country", "NL"))
                    .put("/orders/" + id + "/shipping-address");
            case "cancel" -> asCustomer(buyer).contentType(ContentType.JSON).body(Map.of("reason", "checking"))
                    .post("/orders/" + id + "/cancel");
            default -> asStaff().post("/orders/" + id + "/" + action);
        };
        assertThat(answer.statusCode()).as(action).isIn(202, 409);
        return answer.statusCode() == 202 ? answer.jsonPath().getLong("version") : 0;
    }
}
