package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.Views;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read models are rebuilt from the event log while writes and reads go on, and switched to at once. */
@QuarkusTest
class OnlineRebuildTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Pool primary;

    @Test
    void a_rebuild_during_writes_ends_equal_to_the_event_log_and_no_query_fails_during_the_switch() throws Exception {
        UUID buyer = customer("Grace Murray");
        UUID item = product("Nanosecond wire", "0.30");
        List<UUID> orders = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID id = Fixtures.order(buyer, item, 1 + i % 3);
            orders.add(id);
            if (i % 3 == 0) {
                asStaff().post("/orders/" + id + "/confirm").then().statusCode(202);
            }
        }
        long before = generation();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failedReads = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(2);
        load.submit(() -> {
            int i = 0;
            while (running.get()) {
                UUID id = Fixtures.order(buyer, item, 1);
                orders.add(id);
                if (i++ % 2 == 0) {
                    asStaff().post("/orders/" + id + "/confirm").then().statusCode(202);
                }
            }
            return null;
        });
        load.submit(() -> {
            int i = 0;
            while (running.get()) {
                int status = asCustomer(buyer).get("/orders/" + orders.get(i++ % 20)).statusCode();
                reads.incrementAndGet();
                if (status != 200) {
                    failedReads.incrementAndGet();
                }
            }
            return null;
        });

        asAdmin().post("/admin/rebuild").then().statusCode(202);
        asAdmin().post("/admin/rebuild").then().statusCode(409);
        JsonPath done = await().atMost(Duration.ofSeconds(60)).until(
                () -> asAdmin().get("/admin/rebuild").then().extract().jsonPath(), s -> "DONE".equals(s.getString("state")));
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(done.getLong("generation")).isEqualTo(before + 1);
        assertThat(done.getLong("processed")).isEqualTo(done.getLong("total")).isPositive();
        assertThat(generation()).isEqualTo(before + 1);
        assertThat(reads.get()).isPositive();
        assertThat(failedReads.get()).isZero();
        for (UUID id : orders) {
            Row truth = primary.preparedQuery("SELECT status, version FROM orders WHERE id = $1").execute(Tuple.of(id))
                    .await().atMost(Duration.ofSeconds(5)).iterator().next();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, String> view = redis.hash(String.class).hgetall(Views.order(redis, id));
                assertThat(view).containsEntry("version", Long.toString(truth.getLong("version")))
                        .containsEntry("status", truth.getString("status"));
            });
        }
        // the old generation is dropped shortly after the switch, once no reader can still be on it
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.key().keys("g" + before + ":*").isEmpty());
    }

    @Test
    void a_rebuild_abandoned_by_an_instance_that_died_holds_nothing_up_once_its_lease_runs_out_and_what_it_left_is_dropped() {
        long next = generation() + 1;
        String leftover = "g" + next + ":order:{" + UUID.randomUUID() + "}";
        // what an instance that died while rebuilding leaves behind: its lease and the name of the
        // generation it was filling, both expiring as no one renews them, and part of that generation
        redis.execute("SET", "{views}:rebuild-lease", Long.toString(next), "PX", "2000");
        redis.execute("SET", "{views}:building", Long.toString(next), "PX", "2000");
        redis.hash(String.class).hset(leftover, Map.of("version", "7", "status", "HALF-WRITTEN"));

        asAdmin().post("/admin/rebuild").then().statusCode(409);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asAdmin().post("/admin/rebuild").then().statusCode(202));
        await().atMost(Duration.ofSeconds(60)).until(
                () -> asAdmin().get("/admin/rebuild").then().extract().jsonPath(), s -> "DONE".equals(s.getString("state")));

        assertThat(generation()).isEqualTo(next);
        assertThat(redis.key().exists(leftover)).isFalse();
        assertThat(redis.key().exists("{views}:building")).isFalse();
        assertThat(redis.key().exists("{views}:rebuild-lease")).isFalse();
    }

    private long generation() {
        String g = redis.value(String.class).get("{views}:generation");
        return g == null ? 1 : Long.parseLong(g);
    }
}
