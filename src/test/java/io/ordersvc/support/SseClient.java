package io.ordersvc.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A plain server-sent-events client: it records every event and comment it receives, and how the
 * stream ended (cleanly, or broken off).
 */
public final class SseClient implements AutoCloseable {

    public record Event(String id, String name, String data) {
    }

    public enum End { OPEN, CLEAN, BROKEN }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private volatile End end = End.OPEN;
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private SseClient(String authorization, URI uri, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            try {
                parse(r.body());
                end = End.CLEAN;
            } catch (RuntimeException e) {
                end = End.BROKEN;
            }
        });
    }

    /**
     * Connects with an {@code Authorization} header (see {@link Callers#bearer}; null: none) and
     * returns once the server has answered with its headers: it is then subscribed.
     */
    public static SseClient connect(String authorization, URI uri) {
        return connect(authorization, uri, null);
    }

    /** Connects as a client resuming after {@code lastEventId} does. */
    public static SseClient connect(String authorization, URI uri, String lastEventId) {
        SseClient client = new SseClient(authorization, uri, lastEventId);
        client.status();
        return client;
    }

    public int status() {
        return answer().statusCode();
    }

    public HttpResponse<Stream<String>> answer() {
        return response.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    /** The events of one name, such as the changes of one type or the resets. */
    public List<Event> events(String name) {
        return events.stream().filter(e -> name.equals(e.name())).toList();
    }

    public int comments() {
        return comments.get();
    }

    public End end() {
        return end;
    }

    private void parse(Stream<String> lines) {
        String[] current = new String[3];
        StringBuilder data = new StringBuilder();
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (current[1] != null || !data.isEmpty()) {
                    events.add(new Event(current[0], current[1], data.toString()));
                }
                current[0] = null;
                current[1] = null;
                data.setLength(0);
            } else if (line.startsWith(":")) {
                comments.incrementAndGet();
            } else if (line.startsWith("id:")) {
                current[0] = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                current[1] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
            }
        });
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }

    public static Duration timeout() {
        return Duration.ofSeconds(10);
    }
}
