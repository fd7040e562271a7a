package io.ordersvc.cqrs.rebuild;

import io.ordersvc.cqrs.changes.ChangeFeed;
import io.ordersvc.cqrs.process.Periodic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventsTable;
import io.ordersvc.cqrs.process.Roles;
import io.ordersvc.cqrs.projector.Projector;
import io.ordersvc.cqrs.viewstore.ViewChange;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Rebuilds every read model from the event log into the next generation of keys while the active
 * one keeps serving, then switches to it in one step. Live projectors write to both generations
 * meanwhile (see the view script), so events that arrive during the rebuild are not lost. The log
 * is read from the primary, in sequence order; one aggregate's events are applied in order, many
 * aggregates at once.
 */
@ApplicationScoped
public class ViewRebuild {

    private static final Logger LOG = Logger.getLogger(ViewRebuild.class);
    /**
     * The claim on the next generation is a lease, renewed while the rebuild runs: an instance that
     * dies mid-rebuild stops renewing it, and within this the live projectors stop writing to the
     * abandoned generation and a new rebuild may start (dropping what the old one left first).
     */
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Held by the one rebuild that runs, under the same lease. */
    private static final String LEASE_KEY = "{views}:rebuild-lease";
    /**
     * How long the rebuild waits, once it has named the generation it builds, before it reads the
     * log: every writer learns of it within a second (see {@link ViewStore}) and from then on writes
     * each event to both generations, so that an event the replay's reads of the log miss (committed
     * after the last one) is in the new generation all the same.
     */
    private static final Duration WRITERS_LEARN = Duration.ofMillis(2500);
    private static final int BATCH = 2000;
    /** Changes applied in one script call: large enough to save round trips, small enough not to hold Redis long. */
    private static final int SLICE = 200;
    private static final String EVENTS = """
            SELECT %s
              FROM events WHERE seq > $1 AND aggregate_type = ANY($2) ORDER BY seq LIMIT $3""".formatted(EventsTable.COLUMNS);

    public record Status(@Schema(enumeration = {"IDLE", "RUNNING", "DONE", "FAILED"}) String state, long generation,
            long processed, long total, double eventsPerSecond,
            @Schema(nullable = true, description = "null before the first rebuild") Instant startedAt,
            @Schema(nullable = true, description = "null until it is done") Instant finishedAt,
            @Schema(nullable = true, description = "why it failed; null unless FAILED") String error) {

        static Status idle(long generation) {
            return new Status("IDLE", generation, 0, 0, 0, null, null, null);
        }
    }

    private final ViewStore views;
    private final RedisNodes nodes;
    private final ReactiveRedisDataSource redis;
    private final Pool primary;
    private final Vertx vertx;
    private final Map<String, Projector> projections = new LinkedHashMap<>();
    private final AtomicReference<Status> status = new AtomicReference<>(Status.idle(1));
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final Periodic periodic;
    /** The lease's renewal while a rebuild runs. */
    private final AtomicReference<Periodic.Repeating> renewal = new AtomicReference<>();

    private final Roles roles;

    ViewRebuild(ViewStore views, RedisNodes nodes, ReactiveRedisDataSource redis, Pool primary, Vertx vertx, Periodic periodic,
            Roles roles, Instance<Projector> all, MeterRegistry meters) {
        this.views = views;
        this.nodes = nodes;
        this.redis = redis;
        this.primary = primary;
        this.vertx = vertx;
        this.periodic = periodic;
        this.roles = roles;
        all.forEach(p -> p.aggregateTypes().forEach(type -> projections.put(type, p)));
        Gauge.builder("ordersvc.rebuild.running", status, s -> "RUNNING".equals(s.get().state()) ? 1 : 0)
                .description("1 while this instance rebuilds the read models from the event log").register(meters);
        Gauge.builder("ordersvc.rebuild.processed", processed, AtomicLong::get)
                .description("Events the last rebuild on this instance has applied").register(meters);
        Gauge.builder("ordersvc.rebuild.total", total, AtomicLong::get)
                .description("Events the last rebuild on this instance has to apply").register(meters);
    }

    /**
     * A Redis that lost its data (restarted empty, flushed, replaced) has no active generation: a
     * projector that finds it so rebuilds every read model from the event log at once, while it
     * goes on projecting new events (clients of the change streams, whose positions start anew,
     * are told to refetch). A new Redis of a new installation is rebuilt the same way, from a log
     * that may be empty. Checked every second; the lease makes one instance do it.
     */
    void watch(@Observes StartupEvent event) {
        if (roles.projector()) {
            periodic.every(Duration.ofSeconds(1), () -> redis.execute("EXISTS", ViewStore.ACTIVE_GENERATION)
                    .subscribe().with(exists -> {
                        if (exists.toLong() == 0 && !"RUNNING".equals(status.get().state())) {
                            start().subscribe().with(started -> { }, f -> LOG.debugf("no rebuild started: %s", f));
                        }
                    }, f -> { }));
        }
    }

    public Status status() {
        Status s = status.get();
        if (!"RUNNING".equals(s.state())) {
            return s;
        }
        double seconds = Math.max(0.001, Duration.between(s.startedAt(), Instant.now()).toMillis() / 1000.0);
        return new Status(s.state(), s.generation(), processed.get(), total.get(), processed.get() / seconds,
                s.startedAt(), null, null);
    }

    /**
     * Starts a rebuild into the next generation; answers at once, while it runs. The next one follows
     * the active generation of the version before too, whose keys named no slot: a Redis it left is
     * rebuilt in a generation of its own, and its keys are dropped after the switch like any old one.
     */
    public Uni<Status> start() {
        return views.refreshGeneration()
                .flatMap(active -> redis.execute("GET", ViewStore.ACTIVE_GENERATION_BEFORE)
                        .map(before -> before == null ? active : Math.max(active, before.toLong())))
                .flatMap(active -> claim(active + 1))
                .flatMap(next -> prepare(next).onFailure().invoke(failure -> failed(next, failure)))
                .map(n -> status());
    }

    /**
     * Drops what an earlier, abandoned rebuild left in the generation, and only then names it as the
     * one being built, so that the live projectors' writes to it are never dropped; then starts.
     */
    private Uni<Long> prepare(long next) {
        return drop(next)
                .flatMap(dropped -> redis.execute("SET", ViewStore.BUILDING_GENERATION, Long.toString(next), "PX",
                        Long.toString(LEASE.toMillis())))
                .onItem().delayIt().by(WRITERS_LEARN)
                .flatMap(building -> countEvents())
                .invoke(events -> begin(next, events));
    }

    /** Takes the lease on the next generation and keeps renewing it until the rebuild ends. */
    private Uni<Long> claim(long next) {
        return redis.execute("SET", LEASE_KEY, Long.toString(next), "NX", "PX", Long.toString(LEASE.toMillis()))
                .map(reply -> {
                    if (reply == null) {
                        throw new AlreadyRunning();
                    }
                    renewal.set(periodic.every(LEASE.dividedBy(3), this::renew));
                    return next;
                });
    }

    private void renew() {
        String millis = Long.toString(LEASE.toMillis());
        redis.execute("PEXPIRE", LEASE_KEY, millis)
                .flatMap(ok -> redis.execute("PEXPIRE", ViewStore.BUILDING_GENERATION, millis))
                .subscribe().with(ok -> { }, f -> LOG.warnf("rebuild lease not renewed: %s", f));
    }

    /** Ends the lease: no renewal, and the lock is free for the next rebuild. */
    private void release() {
        stopRenewing();
        redis.execute("DEL", LEASE_KEY).subscribe().with(ok -> { }, f -> LOG.warnf("rebuild lease not released: %s", f));
    }

    private void stopRenewing() {
        Periodic.Repeating renewing = renewal.getAndSet(null);
        if (renewing != null) {
            renewing.cancel();
        }
    }

    private Uni<Long> countEvents() {
        return primary.preparedQuery("SELECT count(*) FROM events WHERE aggregate_type = ANY($1)")
                .execute(Tuple.of(types())).map(rows -> rows.iterator().next().getLong(0));
    }

    private void begin(long next, long events) {
        boolean lost = !views.hasReadModels();
        processed.set(0);
        total.set(events);
        status.set(new Status("RUNNING", next, 0, events, 0, Instant.now(), null, null));
        if (lost && events > 0) {
            // a new installation starts from an empty log, and loses nothing: that is no warning
            LOG.warnf("Redis holds no read models (restarted empty?): rebuilding them into generation %d from %d events",
                    next, events);
        } else {
            LOG.infof("rebuilding the read models into generation %d from %d events", next, events);
        }
        replayFrom(0, next)
                .flatMap(done -> switchTo(next))
                .call(ok -> lost ? redis.execute("PUBLISH", ChangeFeed.REBUILT, Long.toString(next)) : Uni.createFrom().voidItem())
                .subscribe().with(ok -> finished(next), failure -> failed(next, failure));
    }

    /**
     * Replays batch after batch until a read of the log finds nothing new. Not until the first short
     * batch: an event committed after its batch was read may have reached the live projector before
     * the replay had written its order's earlier events into the new generation, and been skipped
     * there (a change to a view that is not there yet); only a later read of the log applies it. Once
     * a read finds nothing, every later event finds its order's earlier ones in place.
     */
    private Uni<Void> replayFrom(long afterSeq, long generation) {
        return read(afterSeq)
                .flatMap(batch -> batch.isEmpty() ? Uni.createFrom().voidItem()
                        : apply(batch, generation).flatMap(ignored -> replayFrom(batch.get(batch.size() - 1).seq(), generation)));
    }

    private Uni<List<Pending>> read(long afterSeq) {
        return primary.preparedQuery(EVENTS).execute(Tuple.of(afterSeq, types(), BATCH))
                .map(rows -> {
                    List<Pending> batch = new ArrayList<>();
                    rows.forEach(r -> batch.add(Pending.of(r)));
                    return batch;
                });
    }

    /**
     * The batch's changes, made in log order, applied a slice at a time in one script call each:
     * log order keeps each aggregate's events in version order.
     */
    private Uni<Void> apply(List<Pending> batch, long generation) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(p -> projections.get(p.event().aggregateType()).viewChange(p.event()))
                .map(ViewChange::unannounced)
                .group().intoLists().of(SLICE)
                .onItem().transformToUniAndConcatenate(slice -> views.applyTo(generation, slice).invoke(outcomes -> progress(outcomes.size())))
                .collect().last().replaceWithVoid();
    }

    private void progress(int applied) {
        long n = processed.addAndGet(applied);
        if (n / 10_000 != (n - applied) / 10_000) {
            LOG.infof("rebuild: %d of %d events, %.0f events/s", n, total.get(), status().eventsPerSecond());
        }
    }

    /** The switch: one SET makes the new generation active; the old one is dropped a little later. */
    private Uni<Void> switchTo(long next) {
        return redis.value(String.class).set(ViewStore.ACTIVE_GENERATION, Long.toString(next))
                .flatMap(ok -> redis.key().del(ViewStore.BUILDING_GENERATION))
                .flatMap(ok -> views.refreshGeneration())
                .invoke(active -> release())
                .invoke(active -> vertx.setTimer(5000, id -> dropLater(next - 1)))
                .replaceWithVoid();
    }

    private void finished(long next) {
        Status running = status();
        // events appended while the log was read count too: the total was the log's size at the start
        total.accumulateAndGet(processed.get(), Math::max);
        status.set(new Status("DONE", next, processed.get(), total.get(), running.eventsPerSecond(),
                running.startedAt(), Instant.now(), null));
        LOG.infof("rebuild done: generation %d is active, %d events at %.0f events/s", next, processed.get(),
                running.eventsPerSecond());
    }

    /** The generation is abandoned: no longer named, its keys dropped, and only then the lease ended. */
    private void failed(long next, Throwable failure) {
        LOG.errorf(failure, "rebuild into generation %d failed; generation %d stays active", next, next - 1);
        Status running = status();
        status.set(new Status("FAILED", next, running.processed(), running.total(), running.eventsPerSecond(),
                running.startedAt(), Instant.now(), failure.toString()));
        redis.key().del(ViewStore.BUILDING_GENERATION)
                .flatMap(ok -> drop(next))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(20)
                .subscribe().with(ok -> release(), f -> {
                    // the lease is left to expire, and the next rebuild drops what is left
                    stopRenewing();
                    LOG.warn("could not clear the abandoned generation", f);
                });
    }

    private void dropLater(long generation) {
        drop(generation).subscribe().with(ok -> { },
                failure -> LOG.warnf("generation %d not fully dropped: %s", generation, failure));
    }

    /** Unlinks a generation's keys, on every primary. */
    private Uni<Void> drop(long generation) {
        return nodes.unlinkAll("g" + generation + ":*");
    }

    private String[] types() {
        Set<String> types = projections.keySet();
        return types.toArray(String[]::new);
    }

    /** A rebuild was asked for while one runs. */
    public static final class AlreadyRunning extends RuntimeException {

        AlreadyRunning() {
            super("a rebuild is running", null, false, false);
        }
    }

    private record Pending(long seq, EventEnvelope event) {

        static Pending of(Row r) {
            return new Pending(r.getLong("seq"), EventsTable.envelope(r));
        }
    }
}
