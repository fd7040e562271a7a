package io.ordersvc.query;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.line;
import static io.ordersvc.support.Fixtures.placeOrder;
import static io.ordersvc.support.Fixtures.product;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.asStaff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.support.Fixtures;
import io.quarkus.redis.datasource.RedisDataSource;
import io.ordersvc.support.Views;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A client that passes the version a command returned never reads anything older. */
@QuarkusTest
class ReadYourWritesTest {

    @Inject
    RedisDataSource redis;

    @Test
    void two_hundred_orders_each_read_at_once_with_its_token_are_never_older_than_it() throws Exception {
        UUID buyer = customer("Radia Perlman");
        UUID bridge = product("Spanning tree", "8.00");
        Map<String, AtomicInteger> sources = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> stale = IntStream.range(0, 200).mapToObj(i -> clients.submit(() -> {
                Response placed = asCustomer(buyer).contentType(ContentType.JSON).body(placeOrder(buyer, List.of(line(bridge, 1 + i % 5))))
                        .post("/orders");
                long token = placed.jsonPath().getLong("version");
                String id = placed.jsonPath().getString("orderId");
                Response read = asCustomer(buyer).header("X-Min-Version", token).get("/orders/" + id);
                sources.computeIfAbsent(read.header("X-Read-Source"), s -> new AtomicInteger()).incrementAndGet();
                return read.statusCode() == 200 && read.jsonPath().getLong("version") >= token ? 0L : 1L;
            })).toList();
            long older = 0;
            for (Future<Long> f : stale) {
                older += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(older).isZero();
        } finally {
            clients.shutdownNow();
        }
        assertThat(sources.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(200);
    }

    @Test
    void a_read_right_after_a_lifecycle_command_shows_that_command() {
        UUID id = Fixtures.order(customer("Sally Floyd"), product("Random early detection", "2.00"), 1);
        // the member of staff who confirmed reads the order it changed
        long token = asStaff().post("/orders/" + id + "/confirm").then().statusCode(202).extract().jsonPath().getLong("version");
        asStaff().header("X-Min-Version", token).get("/orders/" + id).then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("CONFIRMED"));
    }

    @Test
    void when_redis_and_the_replica_cannot_answer_the_primary_does() {
        UUID van = customer("Van Jacobson");
        UUID id = Fixtures.order(van, product("Congestion window", "1.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(van).get("/orders/" + id).statusCode() == 200);
        LocalStack stack = LocalStack.forTests();
        try {
            stack.stop(LocalStack.REPLICA);
            redis.key().del(Views.order(redis, id));
            asCustomer(van).header("X-Min-Version", "1").get("/orders/" + id).then()
                    .statusCode(200)
                    .header("X-Read-Source", "primary")
                    .body("version", org.hamcrest.Matchers.equalTo(1));
        } finally {
            stack.start(LocalStack.REPLICA);
        }
    }

    @Test
    void an_unchanged_view_answers_304_to_its_etag() {
        UUID mary = customer("Mary Shaw");
        UUID id = Fixtures.order(mary, product("Software architecture", "30.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(mary).get("/orders/" + id).statusCode() == 200);
        asCustomer(mary).header("If-None-Match", "\"1\"").get("/orders/" + id).then().statusCode(304).header("ETag", "\"1\"");
        asCustomer(mary).header("If-None-Match", "\"7\"").get("/orders/" + id).then().statusCode(200);
    }

    @Test
    void a_malformed_token_is_a_400() {
        asCustomer(UUID.randomUUID()).header("X-Min-Version", "soon").get("/orders/" + UUID.randomUUID()).then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("X-Min-Version"));
    }
}
