package io.ordersvc.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A few SSE followers, as browsers would hold them: of customers' order lists and of single orders.
 * Each one logs every change it receives; when its stream ends or breaks it connects again (to
 * another ready instance if there is one) with {@code Last-Event-ID}; on {@code reset} it refetches
 * what it shows (the order, or every page of the customer's orders) and logs that refetch, so that
 * {@link FollowerCheck} can tell a consistent skip from a lost change. Each follows, and refetches,
 * as the customer whose orders it shows, with that customer's bearer token (at every resume too).
 */
final class SseFollowers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Subject { ORDER, CUSTOMER }

    final class Follower implements Runnable {

        final Subject subject;
        final UUID id;
        /** The customer's {@code Authorization} (its latest token): a customer follows and reads only its own orders. */
        private final Supplier<String> authorization;
        final List<FollowerCheck.Entry> log = new ArrayList<>();
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger cleanEnds = new AtomicInteger();
        final AtomicInteger breaks = new AtomicInteger();
        final Map<String, Integer> refusals = new HashMap<>();
        /** Each reset's data with the Last-Event-ID the follower had sent: why the server reset it. */
        final List<String> resetReasons = new ArrayList<>();
        private volatile String lastEventId;
        private volatile InputStream current;
        private volatile boolean connected;
        private volatile Instances.Instance streamingFrom;

        Follower(Subject subject, UUID id, Supplier<String> authorization, String from) {
            this.subject = subject;
            this.id = id;
            this.authorization = authorization;
            this.lastEventId = from;
        }

        String path() {
            return subject == Subject.ORDER ? "/orders/" + id + "/changes" : "/customers/" + id + "/orders/changes";
        }

        synchronized List<FollowerCheck.Entry> log() {
            return new ArrayList<>(log);
        }

        private synchronized void add(FollowerCheck.Entry e) {
            log.add(e);
        }

        @Override
        public void run() {
            Instances.Instance last = null;
            while (running) {
                Instances.Instance to = last == null ? instances.pick(Instances.Role.QUERY)
                        : instances.pickOtherThan(last, Instances.Role.QUERY);
                last = to;
                try {
                    HttpRequest request = HttpRequest.newBuilder(to.base.resolve(path()))
                            .header("Accept", "text/event-stream").header("Authorization", authorization.get())
                            .header("Last-Event-ID", lastEventId).build();
                    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        synchronized (this) {
                            refusals.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
                        }
                        r.body().close();
                        Instances.sleep(500);
                        continue;
                    }
                    connects.incrementAndGet();
                    current = r.body();
                    streamingFrom = to;
                    connected = true;
                    read(r.body());
                    cleanEnds.incrementAndGet();
                } catch (IOException e) {
                    if (connected) {
                        breaks.incrementAndGet();
                    } else {
                        synchronized (this) {
                            refusals.merge(MixedLoad.errorKind(e), 1, Integer::sum);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    connected = false;
                }
                Instances.sleep(200);
            }
        }

        private void read(InputStream body) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null && running; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        received(id, event, data.toString());
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                }
            }
        }

        private void received(String position, String event, String data) {
            long at = Long.parseLong(position);
            if ("reset".equals(event)) {
                synchronized (this) {
                    resetReasons.add("after " + lastEventId + ": " + data);
                }
                add(new FollowerCheck.Reset(at));
                add(new FollowerCheck.Refetch(refetch()));
            } else {
                try {
                    JsonNode change = JSON.readTree(data);
                    add(new FollowerCheck.Change(at, UUID.fromString(change.path("orderId").asText()),
                            change.path("version").asLong()));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable change " + data, e);
                }
            }
            lastEventId = position;
        }

        /** What a client shows after a reset: read again, from any instance, until an answer comes. */
        private Map<UUID, Long> refetch() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    return subject == Subject.ORDER ? refetchOrder() : refetchCustomer();
                } catch (IOException | IllegalStateException e) {
                    Instances.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return Map.of();
        }

        private Map<UUID, Long> refetchOrder() throws IOException, InterruptedException {
            HttpResponse<String> r = get(instances.pick(Instances.Role.QUERY).base.resolve("/orders/" + id));
            return Map.of(id, JSON.readTree(r.body()).path("version").asLong());
        }

        private Map<UUID, Long> refetchCustomer() throws IOException, InterruptedException {
            Map<UUID, Long> versions = new HashMap<>();
            String cursor = null;
            do {
                URI uri = instances.pick(Instances.Role.QUERY).base.resolve("/customers/" + id + "/orders?limit=100"
                        + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
                JsonNode page = JSON.readTree(get(uri).body());
                page.path("items").forEach(item -> versions.put(UUID.fromString(item.path("orderId").asText()),
                        item.path("version").asLong()));
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null);
            return versions;
        }

        private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Authorization", authorization.get()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
            return r;
        }

        /** The instance whose stream this follower reads now; null between streams. */
        Instances.Instance streamingFrom() {
            return connected ? streamingFrom : null;
        }

        void disconnect() {
            InputStream s = current;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // already gone
                }
            }
        }
    }

    private final Instances instances;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final List<Follower> followers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    SseFollowers(Instances instances) {
        this.instances = instances;
    }

    /** Follows a customer's orders from the start of its stream (the customer has no order yet), as that customer. */
    void followCustomer(UUID customer, Supplier<String> authorization) {
        start(new Follower(Subject.CUSTOMER, customer, authorization, "0"));
    }

    /** Follows an order from the version its placing answered, as its customer ({@code authorization}). */
    void followOrder(UUID order, long fromVersion, Supplier<String> authorization) {
        start(new Follower(Subject.ORDER, order, authorization, Long.toString(fromVersion)));
    }

    private void start(Follower f) {
        followers.add(f);
        Thread t = new Thread(f, "sse-" + f.subject.name().toLowerCase() + "-" + followers.size());
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** Waits until every follower has its stream open, so that nothing it should see happens before. */
    boolean awaitConnected(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (followers.stream().allMatch(f -> f.connected)) {
                return true;
            }
            Instances.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        followers.forEach(Follower::disconnect);
        threads.forEach(Thread::interrupt);
    }
}
