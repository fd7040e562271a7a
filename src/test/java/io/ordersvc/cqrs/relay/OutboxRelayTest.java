package io.ordersvc.cqrs.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordersvc.support.KafkaSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxRelayTest {

    private static final String TYPE = "relaycheck";
    private static final String TOPIC = "relaycheck.events";
    private static final String INSERT = """
            INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version,
                                payload, occurred_at, correlation_id)
            VALUES ($1, '%s', $2, $3, 'Checked', 1, '{}'::jsonb, now(), 'relay-test')""".formatted(TYPE);

    @Inject
    Pool primary;

    @Inject
    OutboxRelay relay;

    @Test
    void an_event_whose_transaction_commits_after_a_later_numbered_one_is_still_published() {
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        SqlConnection slow = primary.getConnection().await().atMost(Duration.ofSeconds(5));
        Transaction open = slow.begin().await().atMost(Duration.ofSeconds(5));
        boolean committed = false;
        try {
            slow.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), early, 1L)).await().atMost(Duration.ofSeconds(5));

            primary.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), late, 1L)).await().atMost(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(15)).until(() -> published(late));
            assertThat(published(early)).isFalse();

            open.commit().await().atMost(Duration.ofSeconds(5));
            committed = true;
        } finally {
            if (!committed) {
                open.rollback().await().atMost(Duration.ofSeconds(5));
            }
            slow.closeAndAwait();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> published(early));
        assertThat(keysOnKafka()).containsOnlyOnce(early.toString(), late.toString());
    }

    @Test
    void relays_running_at_once_keep_each_aggregates_events_in_version_order() {
        UUID aggregate = UUID.randomUUID();
        primary.withTransaction(conn -> Uni.join().all(IntStream.rangeClosed(1, 120)
                        .mapToObj(v -> conn.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), aggregate, (long) v)))
                        .toList()).andFailFast())
                .await().atMost(Duration.ofSeconds(10));

        // four more relays race the running one for the same events
        Uni.join().all(IntStream.range(0, 4).mapToObj(i -> relay.publishBatch()).toList()).andCollectFailures()
                .await().atMost(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(20)).until(() -> versionsOnKafka(aggregate).size() >= 120);
        assertThat(versionsOnKafka(aggregate)).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 120).mapToObj(Long::valueOf).toList());
    }

    private boolean published(UUID aggregate) {
        return primary.preparedQuery("SELECT count(*) FROM events WHERE aggregate_id = $1 AND published_at IS NOT NULL")
                .execute(Tuple.of(aggregate)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 1;
    }

    private static List<String> keysOnKafka() {
        return KafkaSupport.readAll(TOPIC).stream().map(ConsumerRecord::key).toList();
    }

    private static List<Long> versionsOnKafka(UUID aggregate) {
        return KafkaSupport.readAll(TOPIC).stream()
                .filter(r -> aggregate.toString().equals(r.key()))
                .map(r -> Long.parseLong(new String(r.headers().lastHeader("event-version").value())))
                .toList();
    }
}
