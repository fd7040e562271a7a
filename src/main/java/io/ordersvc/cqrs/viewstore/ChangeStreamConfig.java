package io.ordersvc.cqrs.viewstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** How change streams are kept in Redis and served to clients. */
@ConfigMapping(prefix = "ordersvc.changes")
public interface ChangeStreamConfig {

    /** What every change stream's name begins with: {@code changes:} and its kind. */
    String PREFIX = "changes:";

    /** How many announcements each stream keeps for clients that resume; an older resume gets a reset. */
    @WithDefault("1000")
    int retained();

    /** How long a stream with no new announcement is kept, unless its kind is given a time of its own. */
    @WithDefault("7d")
    Duration ttl();

    /**
     * How long a stream of one kind is kept with no new announcement, where it differs from {@link #ttl}:
     * the kind is the word after {@code changes:} ({@code order}, {@code customer}, {@code product},
     * {@code products}). An order's own stream need only outlive a client's reconnect; a stream kept
     * for less than a client stays away answers its resume with a reset, and the client refetches.
     */
    Map<String, Duration> ttlByKind();

    /**
     * How long a client that follows a stream from a position the stream has not reached yet (the
     * version its command answered, before the projector announced it) waits for it, before it is
     * told that the stream started anew and refetches.
     */
    @WithDefault("5s")
    Duration aheadWait();

    /** How often an idle connection gets a comment, so that proxies and clients know it is alive. */
    @WithDefault("15s")
    Duration heartbeat();

    /** Open streams one instance serves; over it a client gets a 503 with Retry-After. */
    @WithDefault("10000")
    int maxConnections();

    /** Events waiting for one slow client; over it that client is disconnected (it resumes later). */
    @WithDefault("512")
    int clientBuffer();

    /**
     * How long an instance stays subscribed to a stream after the last of its clients following it
     * left: a client that reconnects within it (a page reload, a resume) costs Redis no new
     * subscription, and Redis sends the instance nothing of a stream no client of it follows after it.
     */
    @WithDefault("30s")
    Duration unsubscribeAfter();

    /** What a client refused for lack of room is told to wait before trying again. */
    @WithDefault("5s")
    Duration retryAfter();
}
