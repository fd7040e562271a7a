package io.ordersvc.cqrs.relay;

import io.ordersvc.cqrs.eventlog.EventCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventRows;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.roles.Roles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes committed events from the outbox to Kafka, keyed by aggregate id. Woken by
 * LISTEN/NOTIFY on every commit that appended events, with a slow poll behind it.
 *
 * <p>Each batch runs in one transaction that first takes a transaction-scoped advisory lock:
 * of several relays, one publishes at a time, always in sequence order, so per-aggregate order
 * holds. Unpublished events are found by their missing mark, not by a high-water mark, so an
 * event whose transaction committed after a later-numbered one is never skipped. An event is
 * marked only after Kafka acknowledged it; a crash in between publishes it again, which the
 * version-guarded projector ignores.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Any constant shared by all relays; it spells "outbox". */
    private static final long LEADER_LOCK = 0x6f7574626f78L;
    private static final String PENDING = """
            SELECT %s
              FROM events WHERE published_at IS NULL ORDER BY seq LIMIT $1""".formatted(EventRows.COLUMNS);

    private final Pool primary;
    private final MutinyEmitter<String> kafka;
    private final EventCodec codec;
    private final Vertx vertx;
    private final RelayConfig config;
    private final Roles roles;
    private final PgConnectOptions listenOptions;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wokenWhileDraining = new AtomicBoolean();
    private PgSubscriber subscriber;
    private long pollTimer = -1;
    private long backlogTimer = -1;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    OutboxRelay(Pool primary, @Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> kafka, EventCodec codec, Vertx vertx, RelayConfig config, Roles roles,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password, MeterRegistry meters) {
        this.primary = primary;
        this.kafka = kafka;
        this.codec = codec;
        this.vertx = vertx;
        this.config = config;
        this.roles = roles;
        this.listenOptions = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        Gauge.builder("ordersvc.outbox.backlog", backlog, AtomicLong::get)
                .description("Committed events not yet acknowledged by Kafka").register(meters);
        Gauge.builder("ordersvc.outbox.oldest.age.seconds", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("Age of the oldest unpublished event").register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (!roles.relay()) {
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, listenOptions).reconnectPolicy(attempt -> 500L);
        subscriber.channel("outbox").handler(payload -> wake());
        subscriber.connect().subscribe().with(ok -> wake(), failure -> LOG.warnf("LISTEN failed, polling: %s", failure));
        pollTimer = vertx.setPeriodic(config.safetyPoll().toMillis(), id -> wake());
        backlogTimer = vertx.setPeriodic(5000, id -> measureBacklog());
    }

    private void measureBacklog() {
        primary.query("""
                        SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(occurred_at)) * 1000, 0) AS age_ms
                          FROM events WHERE published_at IS NULL""")
                .execute()
                .subscribe().with(rows -> {
                    Row r = rows.iterator().next();
                    backlog.set(r.getLong("n"));
                    oldestAgeMillis.set(r.getNumeric("age_ms").longValue());
                }, failure -> LOG.debugf("backlog not measured: %s", failure));
    }

    void stop(@Observes ShutdownEvent event) {
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            vertx.cancelTimer(backlogTimer);
        }
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Coalesces wake-ups: one drain at a time, and one more pass when woken during it. */
    void wake() {
        wokenWhileDraining.set(true);
        if (draining.compareAndSet(false, true)) {
            wokenWhileDraining.set(false);
            publishBatch().subscribe().with(this::drained, this::failed);
        }
    }

    private void drained(int published) {
        draining.set(false);
        if (published == config.batchSize() || wokenWhileDraining.get()) {
            wake();
        }
    }

    private void failed(Throwable failure) {
        draining.set(false);
        LOG.warnf("publishing the outbox failed; the next poll retries: %s", failure.toString());
    }

    /** One batch: lead, read pending events in order, publish them, mark them; answers how many. */
    Uni<Integer> publishBatch() {
        return primary.withTransaction(conn -> lead(conn)
                .flatMap(leading -> leading ? publishPending(conn) : Uni.createFrom().item(0)));
    }

    private Uni<Boolean> lead(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1)").execute(Tuple.of(LEADER_LOCK))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private Uni<Integer> publishPending(SqlConnection conn) {
        return conn.preparedQuery(PENDING).execute(Tuple.of(config.batchSize()))
                .map(rows -> rows.stream().map(Pending::of).toList())
                .flatMap(pending -> pending.isEmpty() ? Uni.createFrom().item(0)
                        : send(pending).flatMap(sent -> markPublished(conn, pending)));
    }

    /** Sends in sequence order; the idempotent producer keeps that order per partition. */
    private Uni<Void> send(List<Pending> pending) {
        List<Uni<Void>> acks = pending.stream().map(p -> kafka.sendMessage(message(p.event()))).toList();
        return Uni.join().all(acks).andFailFast()
                .ifNoItem().after(config.publishTimeout()).fail()
                .replaceWithVoid();
    }

    private Uni<Integer> markPublished(SqlConnection conn, List<Pending> pending) {
        Long[] seqs = pending.stream().map(Pending::seq).toArray(Long[]::new);
        return conn.preparedQuery("UPDATE events SET published_at = now() WHERE seq = ANY($1)")
                .execute(Tuple.of(seqs))
                .replaceWith(pending.size());
    }

    private Message<String> message(EventEnvelope e) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", bytes(e.eventId().toString()));
        headers.add("event-type", bytes(e.eventType()));
        headers.add("event-version", bytes(Long.toString(e.version())));
        headers.add("schema-version", bytes(Integer.toString(e.schemaVersion())));
        headers.add("aggregate-type", bytes(e.aggregateType()));
        headers.add("correlation-id", bytes(e.correlationId()));
        return Message.of(codec.encode(e)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(e.aggregateId().toString())
                .withTopic(config.topics().getOrDefault(e.aggregateType(), e.aggregateType() + ".events"))
                .withHeaders(headers)
                .build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Pending(long seq, EventEnvelope event) {

        static Pending of(Row r) {
            return new Pending(r.getLong("seq"), EventRows.envelope(r));
        }
    }
}
