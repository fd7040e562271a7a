package io.ordersvc.cqrs.changes;

import io.ordersvc.cqrs.http.Preconditions;
import io.ordersvc.cqrs.http.Problem;
import io.ordersvc.cqrs.http.ProblemException;
import io.ordersvc.cqrs.security.CallerLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersvc.cqrs.viewstore.ChangeStreamConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * A change stream as server-sent events: {@code id} = the position in the stream, {@code event} =
 * the event's name, {@code data} = its JSON. A client resumes with {@code Last-Event-ID} (or
 * {@code ?lastEventId=}, for a first connection, from the position a list was read at); it gets a comment every heartbeat;
 * a client that reads too slowly to keep its buffer bounded is disconnected (and resumes); an
 * instance serving its maximum of streams answers 503 with {@code Retry-After}, and a caller that
 * has its maximum open here 429.
 */
@ApplicationScoped
public class SseChanges {

    /** Markers in the merged stream: the feed ended; a heartbeat is due. */
    private static final Change END = new Change(-1, "", "");
    private static final Change HEARTBEAT = new Change(0, "", "");

    private final ChangeFeed feed;
    private final ChangeStreamConfig config;
    private final CallerLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter slowClients;

    SseChanges(ChangeFeed feed, ChangeStreamConfig config, CallerLimits limits, MeterRegistry meters) {
        this.feed = feed;
        this.limits = limits;
        this.config = config;
        Gauge.builder("ordersvc.changes.connections", open, AtomicInteger::get)
                .description("Change streams this instance serves now").register(meters);
        this.slowClients = Counter.builder("ordersvc.changes.slow.clients")
                .description("Clients disconnected because their buffer of unsent events was full").register(meters);
    }

    /** The stream for {@code caller} (a token's subject), whose open streams count against its limit. */
    public Multi<OutboundSseEvent> stream(String stream, String caller, String lastEventIdHeader, String lastEventIdQuery,
            Sse sse) {
        Long after = lastEventIdHeader != null ? position(lastEventIdHeader, "Last-Event-ID")
                : position(lastEventIdQuery, "lastEventId");
        admit(caller);
        // the answer's headers go once this instance follows the stream: a client that saw them and then
        // acts is sure to hear of what its action changes
        return RestMulti.fromUniResponse(feed.listening(stream), following -> changes(stream, after)
                .map(change -> event(change, sse))
                .onTermination().invoke(() -> {
                    open.decrementAndGet();
                    limits.closeStream(caller);
                }), following -> Map.of());
    }

    /**
     * The changes after {@code after}, with a heartbeat marker now and then; it ends when the feed
     * ends (on shutdown) or when more than the client buffer's worth of them wait for the client.
     */
    public Multi<Change> changes(String stream, Long after) {
        Multi<Change> changes = feed.follow(stream, after).onCompletion().continueWith(END);
        Multi<Change> heartbeats = Multi.createFrom().ticks().every(config.heartbeat()).map(tick -> HEARTBEAT);
        return Multi.createBy().merging().streams(changes, heartbeats)
                .select().first(change -> change != END)
                .onOverflow().buffer(config.clientBuffer())
                .onFailure(BackPressureFailure.class).invoke(failure -> slowClients.increment())
                .onFailure(BackPressureFailure.class).recoverWithCompletion();
    }

    public static boolean isHeartbeat(Change change) {
        return change == HEARTBEAT;
    }

    private void admit(String caller) {
        if (!feed.running()) {
            throw ProblemException.unavailable("this instance serves no change streams now", config.retryAfter().toSeconds());
        }
        if (!limits.openStream(caller)) {
            throw new ProblemException(Problem.of(429, "Too many requests", "this caller has as many change streams open "
                    + "here as it may (" + limits.streamsPerCaller() + "); close one first"))
                    .withHeader("Retry-After", Long.toString(config.retryAfter().toSeconds()));
        }
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            limits.closeStream(caller);
            throw ProblemException.unavailable("this instance serves as many change streams as it may ("
                    + config.maxConnections() + ")", config.retryAfter().toSeconds());
        }
    }

    private static OutboundSseEvent event(Change change, Sse sse) {
        if (isHeartbeat(change)) {
            return sse.newEventBuilder().comment("heartbeat").build();
        }
        return sse.newEventBuilder()
                .id(Long.toString(change.position()))
                .name(change.event())
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, change.data())
                .build();
    }

    private static Long position(String value, String name) {
        return Preconditions.number(value, 0, name, "must be a position this stream handed out, 0 or more");
    }
}
