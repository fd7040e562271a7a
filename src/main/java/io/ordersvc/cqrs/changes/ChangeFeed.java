package io.ordersvc.cqrs.changes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.ordersvc.cqrs.process.Roles;
import io.ordersvc.cqrs.tracing.Tracing;
import io.ordersvc.cqrs.viewstore.ChangeStreamConfig;
import io.ordersvc.cqrs.viewstore.LuaScript;
import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Change streams, as the view writes keep them in Redis: each stream is a Redis stream of its last
 * announcements (for clients that resume) and a pub/sub channel of the same name (for live ones).
 * An instance subscribes to the channels of the streams its own clients follow, one subscription
 * per stream however many follow it here, fanned out in memory (see {@link ChangeSubscriptions}):
 * a change projected by any instance reaches the clients of all of them, and an instance receives
 * no announcement that none of its clients follows.
 *
 * <p>A follower never misses a change and never gets one twice: it listens live before it reads
 * what it missed, drops what it has already sent, and reads the stream again whenever the live
 * positions skip one (a message lost while the subscription was down, say).
 */
@ApplicationScoped
public class ChangeFeed {

    /**
     * Published when a rebuild of read models that Redis had lost is done: every follower is told to
     * refetch, since what it read while they were missing came from the replica or was incomplete.
     */
    public static final String REBUILT = ChangeStreamConfig.PREFIX + "#rebuilt";
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    private static final AttributeKey<String> STREAM = AttributeKey.stringKey("ordersvc.changes.stream");
    private static final AttributeKey<Long> FOLLOWERS = AttributeKey.longKey("ordersvc.changes.followers");

    private static final LuaScript READ_AFTER = LuaScript.of("change-stream-read.lua");
    /** How often a follower ahead of its stream reads it again while it waits for the projector. */
    private static final Duration AHEAD_RECHECK = Duration.ofMillis(200);

    private final ReadModelRedis redis;
    private final ViewStore views;
    private final Roles roles;
    private final ChangeStreamConfig config;
    private final Tracing tracing;
    private final Map<String, Set<Consumer<Change>>> listeners = new ConcurrentHashMap<>();
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final ChangeSubscriptions subscriptions;
    private final Counter received;
    private volatile boolean running;

    ChangeFeed(ReactiveRedisDataSource pooled, ReadModelRedis redis, ViewStore views, Vertx vertx, Roles roles, ChangeStreamConfig config,
            Tracing tracing, MeterRegistry meters) {
        this.redis = redis;
        this.tracing = tracing;
        this.views = views;
        this.roles = roles;
        this.config = config;
        this.subscriptions = new ChangeSubscriptions(pooled, vertx, config.unsubscribeAfter(), this::dispatch,
                () -> followers.forEach(Follower::catchUp));
        this.received = Counter.builder("ordersvc.changes.received")
                .description("Announcements this instance received from Redis, for the streams its clients follow")
                .register(meters);
        Gauge.builder("ordersvc.changes.subscribed", subscriptions, ChangeSubscriptions::subscribed)
                .description("Change streams this instance is subscribed to in Redis").register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (roles.query()) {
            running = true;
            subscriptions.start(List.of(REBUILT));
        }
    }

    /**
     * Ends every stream cleanly as soon as the instance is asked to stop, while its HTTP server
     * still runs: clients see the end of their stream and resume on another instance.
     */
    void stopping(@Observes ShutdownDelayInitiatedEvent event) {
        stop();
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
        subscriptions.stop();
    }

    private void stop() {
        if (running) {
            LOG.infof("ending %d change streams: the instance is stopping", followers.size());
        }
        running = false;
        followers.forEach(Follower::complete);
    }

    public boolean running() {
        return running;
    }

    /**
     * The changes announced on one stream from now on, as they arrive, with no history: those
     * announced once {@link #listening} answers for the stream are all there.
     */
    public Multi<Change> live(String stream) {
        return Multi.createFrom().emitter(emitter -> {
            Consumer<Change> listener = emitter::emit;
            listen(stream, listener);
            emitter.onTermination(() -> unlisten(stream, listener));
        }, BackPressureStrategy.BUFFER);
    }

    /**
     * Answers once this instance receives the stream's announcements (at once when it already did),
     * within the views' read timeout: what is announced after the answer reaches this instance's
     * followers of the stream. On a timeout it answers all the same: with Redis out, followers catch
     * up when it is back.
     */
    public Uni<Void> listening(String stream) {
        return views.timely(Uni.createFrom().deferred(() -> subscriptions.want(stream)))
                .onTermination().invoke(() -> subscriptions.unwant(stream))
                .onFailure().recoverWithNull();
    }

    /**
     * Every change on a stream after position {@code after}, in order, then the live ones; from
     * the current position when {@code after} is null. When what was missed is no longer kept, or
     * the stream is behind the given position (it started anew), a {@link Change#reset} comes first.
     */
    public Multi<Change> follow(String stream, Long after) {
        return Multi.createFrom().emitter(emitter -> {
            Follower follower = new Follower(stream, emitter);
            followers.add(follower);
            Uni<Void> listening = listen(stream, follower);
            emitter.onTermination(() -> {
                unlisten(stream, follower);
                followers.remove(follower);
            });
            if (!running) {
                // the instance began to stop between admitting this client and subscribing it
                follower.complete();
                return;
            }
            // from the subscription on: a change announced after it is either live or in what is read
            listening.subscribe().with(ok -> follower.start(after), failure -> follower.start(after));
        }, BackPressureStrategy.BUFFER);
    }

    /**
     * The stream's position now: a client that reads a list and then follows its stream from the
     * position it read first misses nothing.
     */
    public Uni<Long> position(String stream) {
        return readOnce(stream, Long.MAX_VALUE - 1).map(History::position);
    }

    /**
     * The stream's position and what it keeps after {@code after}. A wave of resuming clients (an
     * instance restarted, say) may find every Redis connection busy for a moment: they wait and
     * try again, for up to about ten seconds, rather than fail.
     */
    Uni<History> readAfter(String stream, long after) {
        return readOnce(stream, after)
                .onFailure(ViewStore::isOutage).retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(2)).atMost(10);
    }

    /** The stream's position and what it keeps after {@code after}, in one try: a reader with a fallback does not wait. */
    private Uni<History> readOnce(String stream, long after) {
        // each try bounded by the views' read timeout: a paused Redis is tried again, then given up on
        return views.timely(READ_AFTER.run(redis.get(), List.of("1", stream, (after + 1) + "-0", Integer.toString(config.retained()))))
                .map(reply -> {
                    List<Change> changes = new ArrayList<>();
                    reply.get(1).forEach(entry -> changes.add(
                            Change.at(Long.parseLong(entry.get(0).toString().split("-")[0]), field(entry.get(1), "m"))));
                    return new History(Long.parseLong(reply.get(0).toString()), changes);
                });
    }

    record History(long position, List<Change> changes) {
    }

    private static String field(Response fields, String name) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (name.equals(fields.get(i).toString())) {
                return fields.get(i + 1).toString();
            }
        }
        throw new IllegalStateException("stream entry without field " + name);
    }

    /** Adds the listener, and answers once Redis sends this instance the stream's announcements. */
    private Uni<Void> listen(String stream, Consumer<Change> listener) {
        listeners.computeIfAbsent(stream, c -> ConcurrentHashMap.newKeySet()).add(listener);
        return views.timely(subscriptions.want(stream));
    }

    private void unlisten(String stream, Consumer<Change> listener) {
        listeners.computeIfPresent(stream, (c, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
        subscriptions.unwant(stream);
    }

    private void dispatch(String channel, String message) {
        received.increment();
        if (REBUILT.equals(channel)) {
            // this instance reads the new generation before its clients refetch
            views.refreshGeneration().subscribe().with(g -> followers.forEach(Follower::rebuilt),
                    failure -> followers.forEach(Follower::rebuilt));
            return;
        }
        Set<Consumer<Change>> set = listeners.get(channel);
        if (set != null) {
            deliver(channel, Change.parse(message), set);
        }
    }

    /** Hands the change to each of the stream's followers here; in the change's trace when it was made in one. */
    private void deliver(String channel, Change change, Set<Consumer<Change>> followersOfStream) {
        if (change.trace() == null) {
            followersOfStream.forEach(listener -> listener.accept(change));
            return;
        }
        Span delivery = tracing.start("changes deliver", SpanKind.PRODUCER, change.trace());
        delivery.setAttribute(STREAM, channel.substring(ChangeStreamConfig.PREFIX.length()));
        delivery.setAttribute(FOLLOWERS, followersOfStream.size());
        try {
            followersOfStream.forEach(listener -> listener.accept(change));
        } finally {
            delivery.end();
        }
    }

    /** One client's place in one stream: what it was last sent, and whether it is reading history. */
    private final class Follower implements Consumer<Change> {

        private final String stream;
        private final MultiEmitter<? super Change> out;
        private long last = -1;
        private boolean reading;
        private boolean again;
        /** When this follower first found its stream behind its place, in System.nanoTime; 0 when it is not. */
        private long behindSince;

        Follower(String stream, MultiEmitter<? super Change> out) {
            this.stream = stream;
            this.out = out;
        }

        /**
         * From {@code after}: what was missed is read first. Without a position the client follows
         * from now, which costs Redis nothing (a burst of new clients makes no burst of reads): the
         * first live change sets its place, and a later skip is read from the stream as usual.
         */
        synchronized void start(Long after) {
            if (after != null) {
                last = after;
                read();
            }
        }

        @Override
        public synchronized void accept(Change change) {
            if (reading) {
                again = true;
            } else if (last < 0 || change.position() == last + 1) {
                send(change);
            } else if (change.position() > last) {
                read();
            }
        }

        synchronized void catchUp() {
            if (reading) {
                again = true;
            } else if (last >= 0) {
                read();
            }
        }

        private void read() {
            reading = true;
            again = false;
            readAfter(stream, last).subscribe().with(this::caughtUp, this::failed);
        }

        /**
         * The read models were rebuilt after Redis had lost them: whatever the client read meanwhile
         * is to be read again. Its place in the stream stands.
         */
        synchronized void rebuilt() {
            if (last >= 0) {
                send(Change.reset(last, "the read models were rebuilt"));
            }
        }

        private synchronized void caughtUp(History history) {
            List<Change> missed = history.changes();
            if (last > history.position()) {
                if (waitingForTheProjector()) {
                    return;
                }
                // Redis lost the stream: once the store knows whether the read models went with it,
                // the client's refetch reads the replica rather than a generation being rebuilt
                views.refreshGeneration().subscribe().with(
                        g -> streamStartedAnew(history), failure -> streamStartedAnew(history));
                return;
            }
            behindSince = 0;
            if (history.position() > last && (missed.isEmpty() || missed.get(0).position() > last + 1)) {
                send(Change.reset(history.position(), "missed more than the stream keeps"));
            } else {
                List<Change> toSend = missed.stream().filter(c -> c.position() > last).toList();
                if (toSend.size() > config.clientBuffer()) {
                    // sent at once, they would overflow the client's buffer before it could read one, and
                    // it would be disconnected, resume from the same place, and again, for ever
                    send(Change.reset(history.position(), "missed more than a client's buffer holds"));
                } else {
                    toSend.forEach(this::send);
                }
            }
            done();
        }

        /**
         * A client follows from the version its command answered, often before the projector has
         * announced it: its stream is behind it for a moment, which is no reason to make it refetch.
         * The stream is read again a little later, for up to {@link ChangeStreamConfig#aheadWait}; a
         * live change meanwhile is dropped if the client has it and read from the stream if not.
         * Only a stream still behind after that started anew (Redis lost it, or it expired).
         */
        private boolean waitingForTheProjector() {
            long now = System.nanoTime();
            if (behindSince == 0) {
                behindSince = now;
            }
            if (now - behindSince >= config.aheadWait().toNanos()) {
                behindSince = 0;
                return false;
            }
            reading = false;
            again = false;
            Uni.createFrom().voidItem().onItem().delayIt().by(AHEAD_RECHECK).subscribe().with(ignored -> recheck());
            return true;
        }

        private synchronized void recheck() {
            if (!reading && behindSince != 0) {
                read();
            }
        }

        private synchronized void streamStartedAnew(History history) {
            send(Change.reset(history.position(), "the stream started anew"));
            done();
        }

        private void done() {
            reading = false;
            if (again) {
                read();
            }
        }

        private void send(Change change) {
            last = change.position();
            out.emit(change);
        }

        private synchronized void failed(Throwable failure) {
            LOG.debugf("reading change stream %s failed: %s", stream, failure.getMessage());
            out.fail(failure);
        }

        void complete() {
            out.complete();
        }
    }
}
