package io.ordersvc.orders;

import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.Fixtures;
import io.ordersvc.support.KafkaSupport;
import io.quarkus.redis.datasource.RedisDataSource;
import io.ordersvc.support.Views;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProjectorReplayTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Pool primary;

    @Test
    void replaying_the_same_record_twice_even_with_altered_content_leaves_the_view_unchanged() {
        UUID orderId = Fixtures.order(customer("Emmy Noether"), product("Ring theory notes", "15.00"), 2);
        String key = Views.order(redis, orderId);
        await().atMost(Duration.ofSeconds(10)).until(() -> !redis.hash(String.class).hgetall(key).isEmpty());
        Map<String, String> before = redis.hash(String.class).hgetall(key);

        String record = KafkaSupport.lastRecordOf("orders.events", orderId.toString());
        String altered = record.replaceAll("\"total\": ?30\\.00", "\"total\":0.01");
        assertThat(altered).isNotEqualTo(record);
        long lastOffset = KafkaSupport.send("orders.events", orderId.toString(), record, altered, record);

        KafkaSupport.awaitConsumed("order-projector", "orders.events", orderId.toString(), lastOffset);
        assertThat(redis.hash(String.class).hgetall(key)).isEqualTo(before);
        long events = primary.preparedQuery("SELECT count(*) FROM events WHERE aggregate_id = $1").execute(Tuple.of(orderId))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertThat(events).isEqualTo(1);
    }
}
