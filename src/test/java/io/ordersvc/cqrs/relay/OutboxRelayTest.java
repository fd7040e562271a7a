package io.ordersvc.cqrs.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersvc.cqrs.eventlog.EnvelopeCodec;
import io.ordersvc.cqrs.process.Roles;
import io.ordersvc.cqrs.tracing.Tracing;
import io.ordersvc.stack.LocalStack;
import io.ordersvc.support.KafkaSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxRelayTest {

    private static final String TYPE = "relaycheck";
    private static final String TOPIC = "relaycheck.events";
    private static final String INSERT = """
            INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version,
                                payload, occurred_at, correlation_id)
            VALUES ($1, '%s', $2, $3, 'Checked', 1, '{}'::jsonb, now(), 'relay-test')""".formatted(TYPE);
    /** The aggregate's events that Kafka acknowledged: in the log, and out of the outbox. */
    private static final String PUBLISHED = """
            SELECT count(*) FROM events e
             WHERE aggregate_id = $1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = e.seq)""";

    @Inject
    Pool primary;

    @Inject
    OutboxRelay relay;

    @Inject
    EnvelopeCodec codec;

    @Inject
    Vertx vertx;

    @Inject
    RelayConfig config;

    @Inject
    Roles roles;

    @Inject
    Tracing tracing;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

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
        Uni.join().all(IntStream.range(0, 4).mapToObj(i -> relay.publishPending()).toList()).andCollectFailures()
                .await().atMost(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(20)).until(() -> versionsOnKafka(aggregate).size() >= 120);
        assertThat(versionsOnKafka(aggregate)).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 120).mapToObj(Long::valueOf).toList());
    }

    @Test
    void a_batch_waiting_for_kafka_holds_no_transaction_open_on_the_primary() {
        UUID aggregate = UUID.randomUUID();
        publishOneEvent();
        LocalStack stack = LocalStack.forTests();
        stack.stop(LocalStack.KAFKA);
        try {
            append(aggregate, 1, 3);
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.inFlight() >= 3);

            // the relay read the batch and waits for Kafka: its lead is an idle session, and nothing holds a transaction
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> transactionsHeldOpen() == 0);
            assertThat(leaderSessionState()).isEqualTo("idle");
            assertThat(publishedCount(aggregate)).isZero();
        } finally {
            stack.start(LocalStack.KAFKA);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> publishedCount(aggregate) == 3);
        assertThat(firstDeliveries(aggregate)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void a_relay_that_takes_over_from_a_leader_lost_mid_batch_publishes_each_aggregates_events_in_order() {
        UUID aggregate = UUID.randomUUID();
        publishOneEvent();
        LocalStack stack = LocalStack.forTests();
        OutboxRelay successor = new OutboxRelay(primary, codec, vertx, config, roles, url, user, password,
                KafkaSupport.bootstrap(), new SimpleMeterRegistry(), tracing);
        try {
            stack.stop(LocalStack.KAFKA);
            try {
                append(aggregate, 1, 60);
                await().atMost(Duration.ofSeconds(15)).until(() -> relay.inFlight() >= 60);

                // the leader's session ends while its batch waits for Kafka, and another relay leads
                await().atMost(Duration.ofSeconds(15)).until(() -> takesOver(successor));
                append(aggregate, 61, 120);
            } finally {
                stack.start(LocalStack.KAFKA);
            }
            // the successor sends 1..120, the old leader's 1..60 are still on their way
            await().atMost(Duration.ofSeconds(120)).until(() -> drained(successor, aggregate, 120));
        } finally {
            successor.close();
        }

        // either relay's records may arrive, interleaved: each version's first arrival is what counts
        assertThat(firstDeliveries(aggregate)).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 120).boxed().toList());
    }

    @Test
    void the_leader_gauge_is_1_on_the_relay_that_holds_the_outbox_lock_and_0_on_one_that_does_not() {
        await().atMost(Duration.ofSeconds(15)).until(() -> relay.lead().await().atMost(Duration.ofSeconds(5)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay other = new OutboxRelay(primary, codec, vertx, config, roles, url, user, password,
                KafkaSupport.bootstrap(), meters, tracing);
        try {
            assertThat(other.lead().await().atMost(Duration.ofSeconds(5))).isFalse();
            assertThat(meters.get("ordersvc.relay.leader").gauge().value()).isZero();
            assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString().lines())
                    .contains("ordersvc_relay_leader 1.0");
        } finally {
            other.close();
        }
    }

    /** Kafka's client then knows the topic, so that what the relay sends while Kafka is away waits in flight. */
    private void publishOneEvent() {
        UUID aggregate = UUID.randomUUID();
        append(aggregate, 1, 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> published(aggregate));
    }

    private void append(UUID aggregate, long fromVersion, long toVersion) {
        primary.withTransaction(conn -> Uni.join().all(LongStream.rangeClosed(fromVersion, toVersion)
                        .mapToObj(v -> conn.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), aggregate, v)))
                        .toList()).andFailFast())
                .await().atMost(Duration.ofSeconds(10));
    }

    /** Sessions on the primary idle inside a transaction for more than half a second: waiting on something. */
    private long transactionsHeldOpen() {
        return primary.query("""
                        SELECT count(*) FROM pg_stat_activity
                         WHERE state LIKE 'idle in transaction%' AND now() - state_change > interval '500 ms'""")
                .execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private String leaderSessionState() {
        return primary.preparedQuery("""
                        SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                         WHERE l.locktype = 'advisory' AND l.granted AND (l.classid::bigint << 32 | l.objid::bigint) = $1""")
                .execute(Tuple.of(Leadership.LOCK)).await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
    }

    /** The successor leads, or else the session holding the lock is ended so that its next try takes it. */
    private boolean takesOver(OutboxRelay successor) {
        if (successor.lead().await().atMost(Duration.ofSeconds(5))) {
            return true;
        }
        primary.preparedQuery("""
                        SELECT pg_terminate_backend(pid) FROM pg_locks
                         WHERE locktype = 'advisory' AND granted AND (classid::bigint << 32 | objid::bigint) = $1""")
                .execute(Tuple.of(Leadership.LOCK)).await().atMost(Duration.ofSeconds(5));
        return false;
    }

    /** Runs the successor's passes (it has no poll of its own) until the aggregate's events are all marked. */
    private boolean drained(OutboxRelay successor, UUID aggregate, long events) {
        successor.publishPending().onFailure().recoverWithItem(0).await().atMost(Duration.ofSeconds(45));
        return publishedCount(aggregate) == events;
    }

    private long publishedCount(UUID aggregate) {
        return primary.preparedQuery(PUBLISHED)
                .execute(Tuple.of(aggregate)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    /** The aggregate's versions in the order Kafka holds them, each at its first arrival. */
    private static List<Long> firstDeliveries(UUID aggregate) {
        return versionsOnKafka(aggregate).stream().distinct().toList();
    }

    private boolean published(UUID aggregate) {
        return primary.preparedQuery(PUBLISHED)
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
