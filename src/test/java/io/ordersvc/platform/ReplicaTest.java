package io.ordersvc.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReplicaTest {

    @Inject
    Pool primary;

    @Inject
    @ReactiveDataSource("replica")
    Pool replica;

    @Test
    void a_row_written_on_the_primary_becomes_visible_on_the_replica() {
        String key = "replication-check-" + UUID.randomUUID();
        primary.preparedQuery("INSERT INTO service_info (key, value) VALUES ($1, 'written on the primary')")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                replica.preparedQuery("SELECT value FROM service_info WHERE key = $1").execute(Tuple.of(key))
                        .await().atMost(Duration.ofSeconds(5)).rowCount())
                .isEqualTo(1));
    }

    @Test
    void the_replica_is_a_hot_standby_that_rejects_writes() {
        boolean inRecovery = replica.query("SELECT pg_is_in_recovery()").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getBoolean(0);
        assertThat(inRecovery).isTrue();

        assertThatThrownBy(() -> replica.preparedQuery("INSERT INTO service_info (key, value) VALUES ($1, 'x')")
                .execute(Tuple.of("replica-write-" + UUID.randomUUID())).await().atMost(Duration.ofSeconds(5)))
                .hasMessageContaining("read-only transaction");
    }
}
