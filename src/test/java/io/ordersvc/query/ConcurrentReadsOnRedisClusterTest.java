package io.ordersvc.query;

import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.cluster.OnRedisCluster;
import io.ordersvc.support.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On a Redis Cluster the client takes a connection of every node for each command it sends: many
 * reads at once, far more than its pool holds, must all be answered, from Redis, and leave the
 * client answering the next ones as fast.
 */
@QuarkusTest
@TestProfile(OnRedisCluster.class)
class ConcurrentReadsOnRedisClusterTest {

    private static final int AT_ONCE = 300;

    @TestHTTPResource("/")
    URI base;

    @Test
    void three_hundred_reads_at_once_are_all_answered_from_the_cache_and_the_next_wave_too() throws Exception {
        UUID buyer = customer("Mary Kenneth Keller");
        UUID id = Fixtures.order(buyer, product("Punched card", "0.10"), 1);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest read = HttpRequest.newBuilder(base.resolve("/orders/" + id)).header("Authorization", bearer(buyer))
                .timeout(Duration.ofSeconds(20)).build();
        await().atMost(Duration.ofSeconds(10)).until(
                () -> "cache".equals(http.send(read, HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Read-Source").orElse("")));

        for (int wave = 0; wave < 3; wave++) {
            List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
            for (int i = 0; i < AT_ONCE; i++) {
                answers.add(http.sendAsync(read, HttpResponse.BodyHandlers.discarding()));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.join().statusCode()).isEqualTo(200);
                assertThat(a.join().headers().firstValue("X-Read-Source")).hasValue("cache");
            });
        }
    }
}
