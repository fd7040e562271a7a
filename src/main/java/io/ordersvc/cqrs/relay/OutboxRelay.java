package io.ordersvc.cqrs.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.eventlog.EnvelopeCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventsTable;
import io.ordersvc.cqrs.process.Periodic;
import io.ordersvc.cqrs.process.Roles;
import io.ordersvc.cqrs.tracing.Tracing;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed events from the outbox to Kafka, keyed by aggregate id. Woken by
 * LISTEN/NOTIFY on every commit that appended events, with a slow poll behind it.
 *
 * <p>Of several relays, one publishes at a time: the leader, whose own session holds an advisory
 * lock (see {@link Leadership}); the others try to take it at each wake-up. The leader holds no
 * transaction: it reads a batch of unpublished events in sequence order with a plain query, sends
 * it, and marks it (deletes its events from the outbox, in one statement) once Kafka acknowledged
 * every record, so the primary never waits on Kafka. Unpublished events are found by their place
 * in the outbox, not by a high-water mark, so an event whose transaction committed after a
 * later-numbered one is never skipped.
 *
 * <p>Per-aggregate order: one aggregate's events commit in version order (each command locks its
 * aggregate), so a read finds, of each aggregate, the events after its last marked one, in order;
 * the idempotent producer keeps that order per partition (key = aggregate id). An event is marked
 * only after Kafka acknowledged it: a crash in between publishes it again, which the
 * version-guarded projectors ignore. A leader that loses its session mid-batch still has its
 * records in flight, and the next leader reads the same unmarked events again; each sends in
 * order, from a point where everything before was already acknowledged, so consumers may see an
 * event twice but never one before its predecessor.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    // the unpublished events in sequence order, first by number only: those in flight are left out here, in a
    // hash set, since SQL would compare each row with every number in flight
    private static final String NEXT = "SELECT seq FROM outbox ORDER BY seq LIMIT $1";
    // with nothing in flight, the same in one round trip: the queue's first numbers and their events
    private static final String FIRST = """
            SELECT %s
              FROM outbox JOIN events e USING (seq)
             ORDER BY seq LIMIT $1""".formatted(EventsTable.COLUMNS);
    private static final String EVENTS = """
            SELECT %s
              FROM events e WHERE seq = ANY($1) AND EXISTS (SELECT 1 FROM outbox o WHERE o.seq = e.seq)
             ORDER BY seq""".formatted(EventsTable.COLUMNS);
    // the event log is never updated: a published event leaves the outbox (twice is harmless, for a relay
    // that lost its lead and marks what the next leader marked first)
    private static final String MARK = "DELETE FROM outbox WHERE seq = ANY($1)";
    private static final Duration BACKLOG_MEASURED = Duration.ofSeconds(5);

    private final Pool primary;
    private final Vertx vertx;
    private final RelayConfig config;
    private final Roles roles;
    private final PgConnectOptions listenOptions;
    private final Leadership leadership;
    private final OutboxProducer kafka;
    private final Context context;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wokenWhileDraining = new AtomicBoolean();
    /** The end of this instance's last pass: passes run one after another, else two would send the same events. */
    private final AtomicReference<CompletableFuture<Integer>> lastPass =
            new AtomicReference<>(CompletableFuture.completedFuture(0));
    private PgSubscriber subscriber;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    /** Events this instance sent and has not marked yet: the next read leaves them out. */
    private final Set<Long> unmarked = ConcurrentHashMap.newKeySet();

    OutboxRelay(Pool primary, EnvelopeCodec codec, Vertx vertx, RelayConfig config, Roles roles,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, MeterRegistry meters, Tracing tracing) {
        this.primary = primary;
        this.vertx = vertx;
        this.config = config;
        this.roles = roles;
        this.listenOptions = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        this.leadership = new Leadership(vertx, listenOptions);
        this.kafka = new OutboxProducer(bootstrap, config, codec, tracing);
        this.context = vertx.getDelegate().getOrCreateContext();
        if (roles.relay()) {
            register(meters);
        }
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        if (!roles.relay()) {
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, listenOptions).reconnectPolicy(attempt -> 500L);
        subscriber.channel("outbox").handler(payload -> wake());
        subscriber.connect().subscribe().with(ok -> wake(), failure -> LOG.warnf("LISTEN failed, polling: %s", failure));
        periodic.every(config.safetyPoll(), this::wake);
        periodic.every(BACKLOG_MEASURED, this::measureBacklog);
    }

    /**
     * Only on instances that run the relay, which all measure the backlog, leader or not: with no
     * leader the backlog still shows, growing. An instance without the relay would show a backlog of 0.
     */
    private void register(MeterRegistry meters) {
        Gauge.builder("ordersvc.outbox.backlog", backlog, AtomicLong::get)
                .description("Committed events not yet acknowledged by Kafka").register(meters);
        Gauge.builder("ordersvc.outbox.oldest.age.seconds", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("Age of the oldest unpublished event").register(meters);
        Gauge.builder("ordersvc.outbox.in.flight", inFlight, AtomicLong::get)
                .description("Events this relay sent to Kafka and is waiting for Kafka to acknowledge").register(meters);
        Gauge.builder("ordersvc.relay.leader", leadership, l -> l.held() ? 1 : 0)
                .description("1 on the relay whose session holds the outbox lock, the one that publishes").register(meters);
    }

    private void measureBacklog() {
        primary.query("""
                        SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(e.occurred_at)) * 1000, 0) AS age_ms
                          FROM outbox o JOIN events e ON e.seq = o.seq""")
                .execute()
                .subscribe().with(rows -> {
                    Row r = rows.iterator().next();
                    backlog.set(r.getLong("n"));
                    oldestAgeMillis.set(r.getNumeric("age_ms").longValue());
                }, failure -> LOG.debugf("backlog not measured: %s", failure));
    }

    /** After {@link Periodic} stopped the polls and the backlog's measure. */
    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
        close();
    }

    /** Gives up the lead and lets Kafka deliver what it holds; what it delivers unmarked, the next leader sends again. */
    void close() {
        leadership.close();
        kafka.close(Duration.ofSeconds(5));
    }

    /** Coalesces wake-ups: one pass at a time, and one more when woken during it. */
    void wake() {
        wokenWhileDraining.set(true);
        if (draining.compareAndSet(false, true)) {
            wokenWhileDraining.set(false);
            publishPending().subscribe().with(published -> drained(), this::failed);
        }
    }

    /**
     * A pass ends at a short batch, and looks no further: an event committed after that batch was read
     * wakes the relay with its own NOTIFY (sent once its commit is visible), so a wake-up during the
     * pass is kept and runs one more; with the LISTEN session down, the safety poll does it.
     */
    private void drained() {
        draining.set(false);
        if (wokenWhileDraining.get()) {
            wake();
        }
    }

    private void failed(Throwable failure) {
        draining.set(false);
        LOG.warnf("publishing the outbox failed; the next poll retries: %s", failure.toString());
    }

    /** Whether this instance leads, trying to take the lead when it does not. */
    Uni<Boolean> lead() {
        return leadership.acquire();
    }

    /** Events sent to Kafka and not yet acknowledged, as the gauge shows them. */
    long inFlight() {
        return inFlight.get();
    }

    /**
     * One pass, once this instance's pass before it ended: lead, then publish batches in sequence
     * order until one comes back short; answers how many events were published. Starts at once.
     */
    Uni<Integer> publishPending() {
        CompletableFuture<Integer> pass = new CompletableFuture<>();
        lastPass.getAndSet(pass).whenComplete((before, failure) -> leadAndPublish()
                .subscribe().with(pass::complete, pass::completeExceptionally));
        return Uni.createFrom().completionStage(pass);
    }

    private Uni<Integer> leadAndPublish() {
        return lead().flatMap(leading -> leading ? read() : Uni.createFrom().item(Pending.NONE))
                .flatMap(first -> new Pass(first).run());
    }

    /**
     * The next unpublished events in sequence order, but those this instance sent and has not marked
     * yet: in one query when none is in flight (every pass's first read), else their numbers first.
     */
    private Uni<Pending> read() {
        if (unmarked.isEmpty()) {
            return Uni.createFrom().deferred(() -> primary.preparedQuery(FIRST).execute(Tuple.of(config.batchSize())))
                    .map(OutboxRelay::pending);
        }
        return Uni.createFrom().deferred(() -> primary.preparedQuery(NEXT).execute(Tuple.of(config.batchSize() + unmarked.size())))
                .map(this::notInFlight)
                .flatMap(seqs -> seqs.length == 0 ? Uni.createFrom().item(Pending.NONE)
                        : primary.preparedQuery(EVENTS).execute(Tuple.of(seqs)).map(OutboxRelay::pending));
    }

    private Long[] notInFlight(RowSet<Row> rows) {
        List<Long> seqs = new ArrayList<>(config.batchSize());
        for (Row r : rows) {
            Long seq = r.getLong(0);
            if (seqs.size() < config.batchSize() && !unmarked.contains(seq)) {
                seqs.add(seq);
            }
        }
        return seqs.toArray(Long[]::new);
    }

    private static Pending pending(RowSet<Row> rows) {
        Long[] seqs = new Long[rows.size()];
        List<EventEnvelope> events = new ArrayList<>(rows.size());
        for (Row r : rows) {
            seqs[events.size()] = r.getLong("seq");
            events.add(EventsTable.envelope(r));
        }
        return new Pending(seqs, events);
    }

    /** Sends in sequence order (the idempotent producer keeps that order per partition); from now on reads leave the batch out. */
    private Uni<Void> send(Pending batch) {
        unmarked.addAll(List.of(batch.seqs()));
        inFlight.addAndGet(batch.size());
        return kafka.send(batch.events())
                .ifNoItem().after(config.publishTimeout()).fail()
                .emitOn(this::onContext)
                .onTermination().invoke(() -> inFlight.addAndGet(-batch.size()));
    }

    /** A batch that will not be marked (it failed, or its step did): later reads take its events again. */
    private void forget(Pending batch) {
        unmarked.removeAll(List.of(batch.seqs()));
    }

    /** Back from Kafka's network thread to the relay's event loop. */
    private void onContext(Runnable step) {
        context.runOnContext(ignored -> step.run());
    }

    private Uni<Void> markPublished(Pending batch) {
        return primary.preparedQuery(MARK).execute(Tuple.of(batch.seqs())).replaceWithVoid()
                .onTermination().invoke(() -> forget(batch));
    }

    /**
     * The batches of one pass. A batch goes to Kafka only once Kafka acknowledged the whole batch
     * before it, so after a failure nothing later is in flight; meanwhile the next batch is read and
     * the one before is marked.
     */
    private final class Pass {

        private Pending next;
        /** The mark of the batch sent last, to run while the next one is sent. */
        private Uni<Void> marking = Uni.createFrom().voidItem();
        private int published;

        Pass(Pending first) {
            this.next = first;
        }

        Uni<Integer> run() {
            return Multi.createBy().repeating().uni(this::step).whilst(more -> more)
                    .collect().last()
                    .flatMap(last -> marking)
                    .map(marked -> published);
        }

        /** Sends one batch, reads the next and marks the one before, all at once; answers whether to go on. */
        private Uni<Boolean> step() {
            Pending batch = next;
            Uni<Void> before = marking;
            marking = Uni.createFrom().voidItem();
            if (batch.isEmpty()) {
                return before.replaceWith(false);
            }
            Uni<Void> sent = send(batch);
            Uni<Pending> following = batch.size() < config.batchSize() ? Uni.createFrom().item(Pending.NONE) : read();
            return Uni.combine().all().unis(sent, following, before).collectFailures()
                    .with((acked, read, marked) -> sent(batch, read))
                    .onFailure().invoke(failure -> forget(batch));
        }

        private boolean sent(Pending batch, Pending read) {
            published += batch.size();
            marking = markPublished(batch);
            next = read;
            return !read.isEmpty() && leadership.held();
        }
    }

    /** A batch: the events' sequence numbers, to mark them, and the events, both in sequence order. */
    private record Pending(Long[] seqs, List<EventEnvelope> events) {

        static final Pending NONE = new Pending(new Long[0], List.of());

        boolean isEmpty() {
            return events.isEmpty();
        }

        int size() {
            return events.size();
        }
    }
}
