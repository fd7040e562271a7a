package io.ordersvc.bench;

import io.ordersvc.support.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Places orders at a fixed rate against a running service and measures how long each takes to
 * become visible in Redis and to reach a client over server-sent events. The projector publishes a
 * change notification in the same atomic step as the view write, so the notification's arrival on
 * a Redis subscriber is the moment the view became visible. Order ids are chosen here, as an
 * optimistic UI does. The orders are placed by customers in turn, people of the stack's realm, each
 * registered as itself and sending its own token; before each order is placed, its customer opens the stream of
 * its own orders ({@code GET /customers/{id}/orders/changes}, what the web UI follows: a customer
 * may follow an order's own stream only once the order exists), which is answered, so followed,
 * before the order is sent; every notification and event is matched to its command. The projector
 * announces a change on the order's stream and its customer's in the same atomic step.
 *
 * <p>The commit happens between sending the command and receiving its 202, so "202 → visible" is
 * a lower bound of commit → visible and "sent → visible" an upper bound.
 *
 * <p>Args: {@code baseUrl redisPort count ratePerSecond outputJson}, {@code -Dstack.dir} the stack
 * whose realm the customers belong to, and {@code -Dbench.people=FILE} the people {@link BenchPeople}
 * made before the step (none: the driver makes its own first, and the provider's time is in the
 * step). Writes the JSON and, next to it, the same figures as a
 * properties file for {@link BenchReport}. Loopback only, bounded in count and time.
 */
public final class PropagationBenchmark {

    /** How many orders ahead of the schedule their SSE streams are opened. */
    private static final int SSE_LEAD = 40;
    /** The customers who place the orders in turn: more than {@link #SSE_LEAD}, so that one rarely follows two at once. */
    private static final int CUSTOMERS = 64;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    // a client of its own, so that streams held open never queue behind commands for a connection
    private final HttpClient sse = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Map<UUID, Long> visibleAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> receivedAt = new ConcurrentHashMap<>();

    private PropagationBenchmark(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
        int redisPort = args.length > 1 ? Integer.parseInt(args[1]) : 16379;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path out = Path.of(args.length > 4 ? args[4] : "target/bench/propagation.json");
        new PropagationBenchmark(base).run(redisPort, count, rate, out);
    }

    private void run(int redisPort, int count, int rate, Path out) throws Exception {
        BenchPeople.People people = BenchPeople.readOrMake(System.getProperty("bench.people"),
                Math.max(1, Math.min(CUSTOMERS, count)), "Bench Buyer");
        UUID[] customers = new UUID[Math.max(1, Math.min(people.customers().size(), count))];
        String[] bearers = new String[customers.length];
        for (int c = 0; c < customers.length; c++) {
            customers[c] = people.customers().get(c).id();
            bearers[c] = ServiceApi.registerCustomer(http, base, people.customers().get(c).authorization(), customers[c],
                    "Bench Buyer " + c);
        }
        String staff = people.staff();
        List<String> products = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            products.add(ServiceApi.create(http, base, staff, "/products", "{\"sku\":\"BENCH-" + UUID.randomUUID()
                    + "\",\"name\":\"Bench item " + i + "\",\"unitPrice\":" + (3 + i) + ".25}", "productId"));
        }
        Thread subscriber = new Thread(() -> follow(redisPort), "redis-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
        waitForSubscription();

        long[] sent = new long[count];
        long[] acked = new long[count];
        UUID[] ids = new UUID[count];
        List<CompletableFuture<Integer>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids[i] = UUID.randomUUID();
        }
        for (int i = 0; i < Math.min(SSE_LEAD, count); i++) {
            int c = i % customers.length;
            streams.add(openStream(ids[i], customers[c], bearers[c]));
        }
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        int failures = 0;
        int streamsLate = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
            }
            if (i + SSE_LEAD < count) {
                int c = (i + SSE_LEAD) % customers.length;
                streams.add(openStream(ids[i + SSE_LEAD], customers[c], bearers[c]));
            }
            if (!streams.get(i).isDone()) {
                streamsLate++;
                // an order placed before its stream is followed could never be received
                streams.get(i).get(10, TimeUnit.SECONDS);
            }
            int n = i;
            int c = n % customers.length;
            sent[n] = System.nanoTime();
            inFlight.add(http.sendAsync(ServiceApi.post(base, bearers[c], "/orders", order(ids[n], customers[c], products)),
                            HttpResponse.BodyHandlers.discarding())
                    .thenAccept(r -> {
                        acked[n] = r.statusCode() == 202 ? System.nanoTime() : -1;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        // a stream refused (a 401 or 404 for its caller) can receive nothing: say so, not only "never received"
        long streamsRefused = streams.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally() && f.join() != 200)
                .count();
        long sendSeconds = System.nanoTime() - start;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((visibleAt.size() < count || receivedAt.size() < count) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        subscriber.interrupt();

        List<Long> ackToVisible = new ArrayList<>();
        List<Long> sentToVisible = new ArrayList<>();
        List<Long> ackToReceived = new ArrayList<>();
        List<Long> sentToReceived = new ArrayList<>();
        List<Long> commandLatency = new ArrayList<>();
        int missing = 0;
        int notReceived = 0;
        // orders that failed or were missed on either path, each counted once
        int lost = 0;
        for (int i = 0; i < count; i++) {
            if (acked[i] <= 0) {
                failures++;
                lost++;
                continue;
            }
            commandLatency.add(acked[i] - sent[i]);
            Long seen = visibleAt.get(ids[i]);
            Long received = receivedAt.get(ids[i]);
            if (seen == null || received == null) {
                lost++;
            }
            if (seen == null) {
                missing++;
            } else {
                ackToVisible.add(Math.max(0, seen - acked[i]));
                sentToVisible.add(seen - sent[i]);
            }
            if (received == null) {
                notReceived++;
            } else {
                ackToReceived.add(Math.max(0, received - acked[i]));
                sentToReceived.add(received - sent[i]);
            }
        }
        Map<String, Percentiles> figures = new LinkedHashMap<>();
        figures.put("place_order", Percentiles.ofNanos(commandLatency));
        figures.put("commit_to_redis", Percentiles.ofNanos(ackToVisible));
        figures.put("sent_to_redis", Percentiles.ofNanos(sentToVisible));
        figures.put("commit_to_sse", Percentiles.ofNanos(ackToReceived));
        figures.put("sent_to_sse", Percentiles.ofNanos(sentToReceived));
        double achievedRate = count / (sendSeconds / 1e9);

        System.out.printf("%d orders at %d/s requested (%.0f/s achieved), %d failed, %d never visible in Redis, "
                + "%d never received over SSE, %d streams not answered on time, %d refused%n",
                count, rate, achievedRate, failures, missing, notReceived, streamsLate, streamsRefused);
        System.out.println("| latency (ms) | n | p50 | p95 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(figures.get("place_order").row("PlaceOrder: sent → 202"));
        System.out.println(figures.get("commit_to_redis").row("commit → visible in Redis (202 received → view written)"));
        System.out.println(figures.get("sent_to_redis").row("sent → visible in Redis"));
        System.out.println(figures.get("commit_to_sse").row("commit → SSE event received (202 received → event)"));
        System.out.println(figures.get("sent_to_sse").row("sent → SSE event received"));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("orders", count);
        result.put("rate_requested", rate);
        result.put("rate_achieved", Math.round(achievedRate));
        result.put("failed", failures);
        result.put("never_visible", missing);
        result.put("never_received", notReceived);
        result.put("lost", lost);
        result.put("streams_late", streamsLate);
        result.put("streams_refused", streamsRefused);
        Properties flat = new Properties();
        result.forEach((k, v) -> flat.setProperty(k, v.toString()));
        figures.forEach((name, p) -> {
            result.put(name, p.asMap());
            p.asMap().forEach((k, v) -> flat.setProperty(name + "." + k, v.toString()));
        });
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.write(result));
        try (var writer = Files.newBufferedWriter(Path.of(out.toString().replaceFirst("\\.json$", "") + ".properties"))) {
            flat.store(writer, "propagation at a fixed rate");
        }
        if (failures > 0 || missing > 0 || notReceived > 0) {
            System.exit(1);
        }
    }

    /**
     * Opens the customer's stream of its orders, as the customer, for the order about to be placed;
     * completes with the status once the server answered.
     */
    private CompletableFuture<Integer> openStream(UUID orderId, UUID customer, String authorization) {
        CompletableFuture<Integer> answered = new CompletableFuture<>();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/customers/" + customer + "/orders/changes"))
                .header("Accept", "text/event-stream").header("Authorization", authorization).GET().build();
        sse.sendAsync(request, info -> {
            answered.complete(info.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(new FirstEvent(orderId));
        }).exceptionally(failure -> {
            answered.completeExceptionally(failure);
            return null;
        });
        return answered;
    }

    /**
     * Timestamps the first data line of a stream that names its order, then cancels the stream,
     * which closes the connection (the customer's other orders may be announced on it too).
     */
    private final class FirstEvent implements Flow.Subscriber<String> {

        private final UUID orderId;
        private final String named;
        private Flow.Subscription subscription;

        FirstEvent(UUID orderId) {
            this.orderId = orderId;
            this.named = "\"" + orderId + "\"";
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:") && line.contains(named)) {
                receivedAt.putIfAbsent(orderId, System.nanoTime());
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // a stream that ends before its event is counted as never received
        }

        @Override
        public void onComplete() {
        }
    }

    private static String order(UUID id, UUID customer, List<String> products) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < products.size(); i++) {
            lines.append(i == 0 ? "" : ",").append("{\"productId\":\"").append(products.get(i)).append("\",\"quantity\":").append(i + 1).append('}');
        }
        return "{\"orderId\":\"" + id + "\",\"customerId\":\"" + customer + "\",\"shippingAddress\":{\"line1\":\"1 Bench Road\","
                + "\"city\":\"Leipzig\",\"postalCode\":\"04109\",\"country\":\"DE\"},\"lines\":[" + lines + "]}";
    }

    private volatile boolean subscribed;

    private void waitForSubscription() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!subscribed && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (!subscribed) {
            throw new IllegalStateException("no Redis subscription");
        }
    }

    /** A bare RESP subscriber: PSUBSCRIBE changes:order:* and timestamp each message on arrival. */
    private void follow(int redisPort) {
        try (Socket socket = new Socket("127.0.0.1", redisPort)) {
            OutputStream os = socket.getOutputStream();
            os.write(Resp.command(List.of("PSUBSCRIBE", "changes:order:*")));
            os.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Resp.reply(in);
            subscribed = true;
            while (!Thread.currentThread().isInterrupted()) {
                Object reply = Resp.reply(in);
                long now = System.nanoTime();
                if (reply instanceof List<?> parts && parts.size() == 4 && "pmessage".equals(parts.get(0))) {
                    String channel = (String) parts.get(2);
                    visibleAt.putIfAbsent(UUID.fromString(channel.substring("changes:order:{".length(), channel.length() - 1)), now);
                }
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(e);
            }
        }
    }
}
