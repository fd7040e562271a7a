package io.ordersvc.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Places orders at a fixed rate against a running service and measures how long each takes to
 * become visible in Redis: the projector publishes a change notification in the same atomic step
 * as the view write, so the notification's arrival on a Redis subscriber is the moment the view
 * became visible. Order ids are chosen here, so each notification is matched to its command.
 *
 * <p>Args: {@code baseUrl redisPort count ratePerSecond outputJson}. Loopback only, bounded in
 * count and time.
 */
public final class PropagationBenchmark {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Map<UUID, Long> visibleAt = new ConcurrentHashMap<>();

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
        String customer = create("/customers", "{\"name\":\"Bench Buyer\",\"email\":\"bench-" + UUID.randomUUID() + "@example.com\"}", "customerId");
        List<String> products = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            products.add(create("/products", "{\"sku\":\"BENCH-" + UUID.randomUUID() + "\",\"name\":\"Bench item " + i
                    + "\",\"unitPrice\":" + (3 + i) + ".25}", "productId"));
        }
        Thread subscriber = new Thread(() -> follow(redisPort), "redis-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
        waitForSubscription();

        long[] sent = new long[count];
        long[] acked = new long[count];
        UUID[] ids = new UUID[count];
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        int failures = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
            }
            int n = i;
            ids[n] = UUID.randomUUID();
            sent[n] = System.nanoTime();
            inFlight.add(http.sendAsync(post("/orders", order(ids[n], customer, products)), HttpResponse.BodyHandlers.discarding())
                    .thenAccept(r -> {
                        acked[n] = r.statusCode() == 202 ? System.nanoTime() : -1;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long sendSeconds = System.nanoTime() - start;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (visibleAt.size() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        subscriber.interrupt();

        List<Long> ackToVisible = new ArrayList<>();
        List<Long> sentToVisible = new ArrayList<>();
        List<Long> commandLatency = new ArrayList<>();
        int missing = 0;
        for (int i = 0; i < count; i++) {
            Long seen = visibleAt.get(ids[i]);
            if (acked[i] <= 0) {
                failures++;
                continue;
            }
            commandLatency.add(acked[i] - sent[i]);
            if (seen == null) {
                missing++;
                continue;
            }
            ackToVisible.add(Math.max(0, seen - acked[i]));
            sentToVisible.add(seen - sent[i]);
        }
        Percentiles command = Percentiles.ofNanos(commandLatency);
        Percentiles visible = Percentiles.ofNanos(ackToVisible);
        Percentiles total = Percentiles.ofNanos(sentToVisible);
        double achievedRate = count / (sendSeconds / 1e9);

        System.out.printf("%d orders at %d/s requested (%.0f/s achieved), %d failed, %d never visible%n",
                count, rate, achievedRate, failures, missing);
        System.out.println("| latency (ms) | n | p50 | p95 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(command.row("PlaceOrder: sent → 202"));
        System.out.println(visible.row("commit → visible in Redis (202 received → view written)"));
        System.out.println(total.row("sent → visible in Redis"));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("orders", count);
        result.put("rate_requested", rate);
        result.put("rate_achieved", Math.round(achievedRate));
        result.put("failed", failures);
        result.put("never_visible", missing);
        result.put("place_order", command.asMap());
        result.put("commit_to_visible", visible.asMap());
        result.put("sent_to_visible", total.asMap());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.write(result));
        if (failures > 0 || missing > 0) {
            System.exit(1);
        }
    }

    private static String order(UUID id, String customer, List<String> products) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < products.size(); i++) {
            lines.append(i == 0 ? "" : ",").append("{\"productId\":\"").append(products.get(i)).append("\",\"quantity\":").append(i + 1).append('}');
        }
        return "{\"orderId\":\"" + id + "\",\"customerId\":\"" + customer + "\",\"shippingAddress\":{\"line1\":\"1 Bench Road\","
                + "\"city\":\"Leipzig\",\"postalCode\":\"04109\",\"country\":\"DE\"},\"lines\":[" + lines + "]}";
    }

    private String create(String path, String body, String idField) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(post(path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        String marker = "\"" + idField + "\":\"";
        int at = r.body().indexOf(marker) + marker.length();
        return r.body().substring(at, r.body().indexOf('"', at));
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
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
            os.write(command("PSUBSCRIBE", "changes:order:*"));
            os.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            readReply(in);
            subscribed = true;
            while (!Thread.currentThread().isInterrupted()) {
                Object reply = readReply(in);
                long now = System.nanoTime();
                if (reply instanceof List<?> parts && parts.size() == 4 && "pmessage".equals(parts.get(0))) {
                    String channel = (String) parts.get(2);
                    visibleAt.putIfAbsent(UUID.fromString(channel.substring("changes:order:".length())), now);
                }
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static byte[] command(String... words) {
        StringBuilder sb = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            sb.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object readReply(InputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        switch (type) {
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(readReply(in));
                }
                return items;
            }
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                in.readNBytes(2);
                return new String(data, StandardCharsets.UTF_8);
            }
            case ':', '+', '-' -> {
                return line;
            }
            default -> throw new IOException("unexpected RESP type " + type);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }
}
