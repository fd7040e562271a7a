package io.ordersvc.cqrs.viewstore;

import io.ordersvc.cqrs.process.Periodic;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Read models in Redis, each view hash written atomically and only forward in version, with the
 * index entries, counter moves and announcements of the same change, each under its own guard (see
 * {@code lua/view-slot.lua}). Every key carries a hash tag for what it belongs to, and a change is
 * applied by one script call per hash slot it touches on a Redis Cluster ({@code
 * quarkus.redis.client-type=cluster}), by one call for all on a single Redis (see {@link SlotCalls}).
 *
 * <p>Views live in generations: keys are {@code g<generation>:<name>}. The active generation is in
 * {@link #ACTIVE_GENERATION}; while a rebuild fills the next one, {@link #BUILDING_GENERATION} names it
 * and every live write goes to both, so nothing that happens during a rebuild is lost. This store
 * reads both every second and names them to each write (a script touches one slot, so it cannot
 * read them itself); a rebuild starts reading the log only once every writer has had the time to
 * learn of it. While Redis names no active generation (it lost its data, or is new, and
 * the read models are being rebuilt from the log) there is nothing complete to read: reads fail at
 * once with {@link ReadModelsMissing}, an outage, and readers turn to the replica as they do when
 * Redis is out.
 */
@ApplicationScoped
public class ViewStore {

    /** The control keys share a slot: one read gets both generations. */
    public static final String ACTIVE_GENERATION = "{views}:generation";
    public static final String BUILDING_GENERATION = "{views}:building";
    /** Where the version before 2026-12-07, whose keys named no slot, kept its active generation. */
    public static final String ACTIVE_GENERATION_BEFORE = "views:generation";

    private static final LuaScript WRITE = LuaScript.of("view-slot.lua");

    private final ReadModelRedis redis;
    /**
     * The active generation as last read from Redis; 0 until this instance first read it. Nothing is
     * written before: a projector that took its partitions back at once after a restart (a static
     * member) wrote its first batches to generation 1 while another was active, and committed them.
     */
    private final AtomicLong generation = new AtomicLong();
    /** The generation being built, 0 for none. */
    private final AtomicLong building = new AtomicLong();
    private volatile boolean readModels = true;

    private final ChangeStreamConfig retention;
    private final SlotCalls calls;
    private final ViewStoreConfig config;

    ViewStore(ReadModelRedis redis, ChangeStreamConfig retention, ObjectMapper json, ViewStoreConfig config) {
        this.redis = redis;
        this.retention = retention;
        this.calls = new SlotCalls(json.getFactory(), redis.cluster(), retention);
        this.config = config;
    }

    void start(@Observes StartupEvent event, Periodic periodic) {
        refreshGeneration().subscribe().with(g -> { }, f -> { });
        periodic.every(Duration.ofSeconds(1), () -> refreshGeneration().subscribe().with(g -> { }, f -> { }));
    }

    /** The key of a view in the active generation. */
    public String key(String name) {
        return "g" + generation.get() + ":" + name;
    }

    /** Reads the active generation, and the one being built, from Redis; answers the active one. */
    public Uni<Long> refreshGeneration() {
        return redis.get().execute("MGET", ACTIVE_GENERATION, BUILDING_GENERATION)
                .map(reply -> {
                    Response active = reply.get(0);
                    Response next = reply.get(1);
                    readModels = active != null;
                    building.set(next == null ? 0 : next.toLong());
                    generation.set(active == null ? 1L : active.toLong());
                    return generation.get();
                });
    }

    /** Whether Redis names an active generation: whether there are read models to read. */
    public boolean hasReadModels() {
        return readModels;
    }

    public Uni<Map<String, String>> read(String name) {
        return bounded(redis.get().hash(String.class).hgetall(key(name)));
    }

    /**
     * {@code read} of Redis, failing when Redis has not answered it within the read timeout, or at
     * once when there are no read models to read.
     */
    public <T> Uni<T> bounded(Uni<T> read) {
        return readModels && generation.get() > 0 ? timely(read) : Uni.createFrom().failure(new ReadModelsMissing());
    }

    /**
     * A read of Redis that belongs to no generation (a change stream's history), failing when Redis
     * has not answered it within the read timeout.
     */
    public <T> Uni<T> timely(Uni<T> read) {
        return read.ifNoItem().after(config.readTimeout()).fail();
    }

    /** Some fields of a view, in the order asked for; null for each one it lacks (all, when it is not there). */
    public Uni<List<String>> read(String name, List<String> fields) {
        String[] args = new String[fields.size() + 1];
        args[0] = key(name);
        for (int i = 0; i < fields.size(); i++) {
            args[i + 1] = fields.get(i);
        }
        return bounded(redis.get().execute("HMGET", args)).map(reply -> {
            List<String> values = new ArrayList<>(reply.size());
            reply.forEach(v -> values.add(v == null ? null : v.toString()));
            return values;
        });
    }

    /** Applies a change to the active generation, and to the one being built if a rebuild runs. */
    public Uni<WriteOutcome> apply(ViewChange change) {
        return applyAll(List.of(change)).map(outcomes -> outcomes.get(0));
    }

    /**
     * Puts back a view that a read missed and rebuilt: the reader waits for it no longer than for a
     * read, so that a Redis that does not answer delays no answer; a view not put back is built
     * again on the next miss.
     */
    public Uni<Void> putBack(ViewChange change) {
        return bounded(apply(change)).replaceWithVoid().onFailure().recoverWithNull();
    }

    /** Applies changes in order, each slot's parts in one atomic step; answers what became of each one's view. */
    public Uni<List<WriteOutcome>> applyAll(List<ViewChange> changes) {
        return known().flatMap(active -> {
            long next = building.get();
            return execute(next > active ? List.of(active, next) : List.of(active), true, changes);
        });
    }

    /** The active generation; read from Redis first when this instance has not learnt it yet (a failure there is an outage). */
    private Uni<Long> known() {
        long active = generation.get();
        return active > 0 ? Uni.createFrom().item(active) : refreshGeneration();
    }

    /** Applies changes to one given generation only: what a rebuild does. */
    public Uni<List<WriteOutcome>> applyTo(long targetGeneration, List<ViewChange> changes) {
        return execute(List.of(targetGeneration), false, changes);
    }

    /**
     * One script call per slot the changes touch (one in all on a single Redis), at once: each slot's
     * parts keep the changes' order, and slots depend on none but their own. On a cluster they go on
     * the one shared connection (see {@link ReadModelRedis}).
     */
    private Uni<List<WriteOutcome>> execute(List<Long> generations, boolean live, List<ViewChange> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String prefixes = generations.stream().map(g -> "\"g" + g + ":\"").collect(Collectors.joining(",", "[", "]"));
        List<SlotCalls.Call> slots = calls.of(changes);
        ReactiveRedisDataSource connection = redis.get();
        List<Uni<Response>> runs = new ArrayList<>(slots.size());
        for (SlotCalls.Call call : slots) {
            runs.add(WRITE.run(connection, List.of("1", call.routingKey(), call.parts(), prefixes,
                    Integer.toString(retention.retained()), Long.toString(config.countedTtl().toMillis()), live ? "1" : "0")));
        }
        Uni<List<Response>> replies = runs.size() == 1 ? runs.get(0).map(List::of) : Uni.join().all(runs).andFailFast();
        return replies.ifNoItem().after(config.writeTimeout()).fail()
                .map(all -> outcomes(changes.size(), slots, all));
    }

    private static List<WriteOutcome> outcomes(int changes, List<SlotCalls.Call> slots, List<Response> replies) {
        WriteOutcome[] outcomes = new WriteOutcome[changes];
        for (int c = 0; c < slots.size(); c++) {
            List<Integer> viewsOf = slots.get(c).viewsOf();
            Response reply = replies.get(c);
            for (int i = 0; i < viewsOf.size(); i++) {
                outcomes[viewsOf.get(i)] = WriteOutcome.of(reply.get(i).toLong());
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Whether a failed write may succeed once Redis is back, or once it is itself again: no answer at
     * all (refused, closed, timed out), or an answer that says Redis cannot take writes for now
     * (loading its data, a replica, a script still running, out of memory, no primary, a failover),
     * whether Redis says so itself or, before Redis 7, as the error of a script whose command it
     * refused ({@code ERR Error running script … -OOM command not allowed …}). Only other errors, those
     * of a script or a command, which retrying cannot mend, are final.
     */
    public static boolean isOutage(Throwable t) {
        if (!(t instanceof ErrorType error)) {
            return true;
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        return TRANSIENT_REPLIES.stream().anyMatch(reply -> error.is(reply)
                || error.is("ERR") && message.contains("Error running script") && message.contains("-" + reply + " "));
    }

    /** Redis names no active generation: the read models are being rebuilt from the log. */
    public static final class ReadModelsMissing extends RuntimeException {

        public ReadModelsMissing() {
            super("Redis holds no read models now; they are being rebuilt from the event log", null, false, false);
        }
    }

    /** Replies of a Redis that is starting, failing over, busy or full: they pass. */
    private static final List<String> TRANSIENT_REPLIES = List.of(
            "LOADING", "READONLY", "BUSY", "OOM", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS");
}
