package io.ordersvc.cqrs.view;

import io.ordersvc.cqrs.roles.Roles;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Change notifications, as the view writes publish them on Redis channels {@code changes:*}.
 * One pattern subscription per instance, fanned out in memory to every follower of a channel,
 * so that a change projected by any instance reaches the clients of all of them.
 */
@ApplicationScoped
public class ChangeFeed {

    public static final String PREFIX = "changes:";
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Roles roles;
    private final Map<String, Set<MultiEmitter<? super String>>> followers = new ConcurrentHashMap<>();
    private volatile boolean running;

    ChangeFeed(ReactiveRedisDataSource redis, Vertx vertx, Roles roles) {
        this.redis = redis;
        this.vertx = vertx;
        this.roles = roles;
    }

    void start(@Observes StartupEvent event) {
        if (roles.query()) {
            running = true;
            subscribe();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        followers.values().forEach(set -> set.forEach(MultiEmitter::complete));
    }

    /** The notifications published on one channel from now on. */
    public Multi<String> follow(String channel) {
        return Multi.createFrom().emitter(emitter -> {
            followers.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(emitter);
            emitter.onTermination(() -> unfollow(channel, emitter));
        }, BackPressureStrategy.BUFFER);
    }

    private void unfollow(String channel, MultiEmitter<? super String> emitter) {
        followers.computeIfPresent(channel, (c, set) -> {
            set.remove(emitter);
            return set.isEmpty() ? null : set;
        });
    }

    private void dispatch(String channel, String message) {
        Set<MultiEmitter<? super String>> set = followers.get(channel);
        if (set != null) {
            set.forEach(emitter -> emitter.emit(message));
        }
    }

    /** Subscribes again whenever Redis drops the subscription, for as long as the instance runs. */
    private void subscribe() {
        redis.pubsub(String.class)
                .subscribeToPattern(PREFIX + "*", this::dispatch, this::resubscribeSoon, failure -> resubscribeSoon())
                .subscribe().with(subscriber -> LOG.debug("following change notifications"),
                        failure -> resubscribeSoon());
    }

    private void resubscribeSoon() {
        if (running) {
            vertx.setTimer(500, id -> subscribe());
        }
    }
}
