package io.ordersvc.cqrs.changes;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * This instance's subscriptions to change-stream channels, on one Redis connection: a channel is
 * subscribed while a follower here wants it ({@code SUBSCRIBE} when the first one comes) and for a
 * while after the last one left (a client that reconnects finds it still there), then dropped, so
 * that Redis sends an instance only the announcements that its own clients follow. Some channels are
 * always subscribed (the rebuild's). When the connection ends, every channel wanted is subscribed
 * again on a new one, and {@code resubscribed} is told, since what was announced meanwhile was missed.
 */
final class ChangeSubscriptions {

    private static final Logger LOG = Logger.getLogger(ChangeSubscriptions.class);

    /** One channel's state: how many here want it, whether Redis confirmed it, when it is to be dropped. */
    private static final class Channel {
        int wanted;
        boolean always;
        /** Redis acknowledged the subscription on the current connection (its waiters may still be being told). */
        boolean acknowledged;
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        long dropTimer = -1;
    }

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Duration linger;
    private final BiConsumer<String, String> messages;
    private final Runnable resubscribed;
    private final Map<String, Channel> channels = new HashMap<>();
    private RedisConnection connection;
    private boolean running;
    /** A new connection is subscribing again what the one before had: followers catch up once it is done. */
    private boolean resubscribing;

    /**
     * @param linger       how long a channel stays subscribed after its last follower here left
     * @param messages     told of every message, with its channel, on an event loop
     * @param resubscribed told once every channel wanted is subscribed again on a new connection
     */
    ChangeSubscriptions(ReactiveRedisDataSource redis, Vertx vertx, Duration linger, BiConsumer<String, String> messages,
            Runnable resubscribed) {
        this.redis = redis;
        this.vertx = vertx;
        this.linger = linger;
        this.messages = messages;
        this.resubscribed = resubscribed;
    }

    synchronized void start(List<String> always) {
        running = true;
        always.forEach(name -> channels.computeIfAbsent(name, n -> new Channel()).always = true);
        connect();
    }

    synchronized void stop() {
        running = false;
        if (connection != null) {
            connection.closeAndForget();
            connection = null;
        }
    }

    /**
     * One more follower of {@code channel}: answers once Redis has confirmed the subscription (at once
     * when it already had), so that every message published after the answer reaches this instance.
     * Fails when Redis does not confirm it; the subscription is then made when the connection is back.
     */
    synchronized Uni<Void> want(String channel) {
        Channel c = channels.computeIfAbsent(channel, n -> new Channel());
        c.wanted++;
        if (c.dropTimer >= 0) {
            vertx.cancelTimer(c.dropTimer);
            c.dropTimer = -1;
        }
        if (c.wanted == 1 && !c.acknowledged && connection != null) {
            send(Command.SUBSCRIBE, channel);
        }
        CompletableFuture<Void> confirmed = c.confirmed;
        return Uni.createFrom().completionStage(() -> confirmed);
    }

    /** One follower fewer: the channel is dropped {@code linger} after its last one left, unless one came back. */
    synchronized void unwant(String channel) {
        Channel c = channels.get(channel);
        if (c == null || --c.wanted > 0 || c.always) {
            return;
        }
        c.dropTimer = vertx.setTimer(linger.toMillis(), id -> drop(channel, c));
    }

    /** The channels subscribed now, or being subscribed: what a test or an operator can check. */
    synchronized int subscribed() {
        return channels.size();
    }

    private synchronized void drop(String channel, Channel c) {
        if (c.wanted > 0 || channels.get(channel) != c) {
            return;
        }
        channels.remove(channel);
        if (connection != null) {
            send(Command.UNSUBSCRIBE, channel);
        }
    }

    private void send(Command command, String channel) {
        connection.send(Request.cmd(command).arg(channel)).subscribe().with(ok -> { },
                failure -> LOG.debugf("%s %s failed: %s", command, channel, failure));
    }

    private void connect() {
        redis.getRedis().connect().subscribe().with(this::connected, failure -> reconnectSoon());
    }

    private synchronized void connected(RedisConnection fresh) {
        if (!running) {
            fresh.closeAndForget();
            return;
        }
        connection = fresh;
        fresh.handler(this::received);
        fresh.exceptionHandler(failure -> lost(fresh));
        fresh.endHandler(() -> lost(fresh));
        List<String> wanted = new ArrayList<>();
        channels.forEach((name, c) -> {
            if (c.wanted > 0 || c.always) {
                wanted.add(name);
            }
        });
        channels.keySet().retainAll(wanted);
        if (wanted.isEmpty()) {
            return;
        }
        resubscribing = true;
        Request subscribe = Request.cmd(Command.SUBSCRIBE);
        wanted.forEach(subscribe::arg);
        fresh.send(subscribe).subscribe().with(ok -> { }, failure -> lost(fresh));
    }

    /** A message, or Redis's confirmation of a subscription (which answers those waiting for it). */
    private void received(Response push) {
        if (push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        String channel = push.get(1).toString();
        if ("message".equalsIgnoreCase(kind)) {
            messages.accept(channel, push.get(2).toString());
        } else if ("subscribe".equalsIgnoreCase(kind)) {
            confirmed(channel);
        }
    }

    /**
     * Answers those waiting for the channel, and tells of a resubscription once every channel is back;
     * both outside this object's lock, since what they run (a follower starting) takes locks of its own.
     */
    private void confirmed(String channel) {
        CompletableFuture<Void> waiting;
        boolean caughtUp;
        synchronized (this) {
            Channel c = channels.get(channel);
            if (c == null || c.acknowledged) {
                return;
            }
            c.acknowledged = true;
            waiting = c.confirmed;
            caughtUp = resubscribing && channels.values().stream().allMatch(each -> each.acknowledged);
            if (caughtUp) {
                resubscribing = false;
            }
        }
        waiting.complete(null);
        if (caughtUp) {
            resubscribed.run();
        }
    }

    /** The connection ended: every channel is unconfirmed until a new connection subscribes it again. */
    private synchronized void lost(RedisConnection gone) {
        if (connection != gone) {
            return;
        }
        connection = null;
        gone.closeAndForget();
        channels.values().forEach(c -> {
            if (c.acknowledged) {
                c.acknowledged = false;
                c.confirmed = new CompletableFuture<>();
            }
        });
        reconnectSoon();
    }

    private void reconnectSoon() {
        if (running) {
            LOG.debug("change subscriptions: connecting again in 500 ms");
            vertx.setTimer(500, id -> connect());
        }
    }
}
