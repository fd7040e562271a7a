package io.ordersvc.bench;

import io.ordersvc.stack.FreshTokens;
import io.ordersvc.stack.RealmUsers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * How many server-sent-event streams one service instance holds, each receiving every
 * notification: opens N streams (in steps, keeping the earlier ones open), changes one aggregate
 * through the command API at a fixed modest rate, and checks that every open stream received every
 * change. Per step: streams open / refused (503) / failed / dropped, notifications delivered vs
 * expected, latency from the command's 2xx answer to each stream's event (p50/p95/p99/max), the
 * fan-out spread (first receiver → each receiver), and the service's memory: VmRSS and, after a
 * full GC, heap used, against a baseline taken before any stream was open. Stepping stops at the
 * first step that is refused, loses a stream or misses a notification.
 *
 * <p>Every stream and command carries a bearer token from the identity provider of the stack
 * ({@code -Dstack.dir}), for people of its realm made before the warm-up: the catalog's streams are
 * shoppers' ({@code SHOPPERS} customers, 50 unless set, the streams dealt among them in turn: one
 * shopper holds several, as several tabs would) and staff change the price; an order's streams are
 * its customer's (only the owner, or staff, may follow it), and the customer changes its address.
 * The realm's tokens live 5 minutes, fewer than a run of steps takes: before each step, every token
 * that would expire within {@link #TOKENS_AHEAD} is fetched again, outside what the step measures.
 *
 * <p>Args: {@code baseUrl servicePid outputDir}. Env: {@code STREAM} ({@code products}: one
 * product's price changes on {@code GET /products/changes}; {@code order}: one order's
 * shipping-address changes on {@code GET /orders/{id}/changes}), {@code STEPS}, {@code RATE}
 * (changes/s), {@code STEP_SECONDS}, {@code GRACE_SECONDS}, {@code CONNECT_RATE} (new streams/s; 0: as fast as
 * 256 connecting at once allow), {@code WARMUP_CONNECTIONS},
 * {@code WARMUP_SECONDS}, {@code SHOPPERS}. Writes {@code sse-connections.json} and {@code sse-connections.md}.
 * Loopback only, bounded in count and time.
 */
public final class SseConnectionsBenchmark {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    /** A step opens its streams within 2 minutes and changes for seconds more: its tokens outlive that. */
    private static final Duration TOKENS_AHEAD = Duration.ofMinutes(4);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final RealmUsers users = ServiceApi.users();
    private final FreshTokens tokens = new FreshTokens(users);
    private final URI base;
    private final long pid;
    private final int rate;
    private final int stepSeconds;
    private final int graceSeconds;

    private SseConnectionsBenchmark(URI base, long pid, int rate, int stepSeconds, int graceSeconds) {
        this.base = base;
        this.pid = pid;
        this.rate = rate;
        this.stepSeconds = stepSeconds;
        this.graceSeconds = graceSeconds;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
        long pid = args.length > 1 ? Long.parseLong(args[1]) : 0;
        Path out = Path.of(args.length > 2 ? args[2] : "target/bench");
        int[] steps = Arrays.stream(env("STEPS", "1000 2500 5000 7500 10000").trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
        SseConnectionsBenchmark bench = new SseConnectionsBenchmark(base, pid, Integer.parseInt(env("RATE", "5")),
                Integer.parseInt(env("STEP_SECONDS", "15")), Integer.parseInt(env("GRACE_SECONDS", "30")));
        boolean held = bench.run(env("STREAM", "products"), steps, Integer.parseInt(env("WARMUP_CONNECTIONS", "200")),
                Integer.parseInt(env("WARMUP_SECONDS", "10")), out);
        System.exit(held ? 0 : 1);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * What the streams follow and how to change it: the stream path, the {@code Authorization} of
     * each stream by index, the id every event names, one change.
     */
    private record Target(String stream, String path, IntFunction<String> follower, String followed,
            IntFunction<HttpRequest> change) {
    }

    private boolean run(String stream, int[] steps, int warmupConnections, int warmupSeconds, Path out) throws Exception {
        int capacity = Math.max(warmupConnections, Arrays.stream(steps).max().orElse(0));
        Target target = stream.equals("order") ? orderTarget() : productTarget(capacity);
        int connectsPerSecond = Integer.parseInt(env("CONNECT_RATE", "0"));
        SseClients clients = new SseClients(new InetSocketAddress(base.getHost(), base.getPort()), target.path(),
                target.follower(), target.followed(), capacity, connectsPerSecond);
        Thread loop = new Thread(clients, "sse-clients");
        loop.setDaemon(true);
        loop.start();
        log("following %s on %s (%s), %d changes/s, %d s per step, steps %s", target.followed(), target.path(),
                target.stream(), rate, stepSeconds, Arrays.toString(steps));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version") + " (driver)");
        result.put("stream", target.path());
        result.put("rate_per_s", rate);
        result.put("connects_per_s", connectsPerSecond);
        result.put("step_seconds", stepSeconds);
        result.put("grace_seconds", graceSeconds);

        if (warmupConnections > 0 && warmupSeconds > 0) {
            log("warm-up: %d streams, %d s of changes", warmupConnections, warmupSeconds);
            tokens.renewExpiringWithin(TOKENS_AHEAD);
            clients.openTo(warmupConnections);
            awaitSettled(clients, 60);
            Map<String, Object> warm = measureDelivery(clients, target, warmupSeconds);
            result.put("warmup", warm);
            clients.closeAllAndReset();
            Thread.sleep(2000);
        }
        Memory baseline = memory();
        log("baseline: RSS %d MiB, heap used %d MiB after a full GC", baseline.rssKib() / 1024, baseline.heapKib() / 1024);
        result.put("baseline_rss_kib", baseline.rssKib());
        result.put("baseline_heap_used_kib", baseline.heapKib());

        List<Map<String, Object>> rows = new ArrayList<>();
        result.put("steps", rows);
        int largestHeld = 0;
        for (int n : steps) {
            tokens.renewExpiringWithin(TOKENS_AHEAD);
            long t0 = System.nanoTime();
            int openBefore = clients.count(SseClients.OPEN);
            Duration connectCpu = cpu(pid);
            clients.openTo(n);
            boolean settled = awaitSettled(clients, 120);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            int opened = clients.count(SseClients.OPEN) - openBefore;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("connections_requested", n);
            row.put("open_seconds", round(openSeconds));
            // the cost ledger's "SSE connect": the service's CPU while the new streams were opened and answered
            row.put("service_cpu_us_per_connect", opened <= 0 ? null
                    : round(cpu(pid).minus(connectCpu).toNanos() / 1e3 / opened));
            row.put("all_answered", settled);
            row.put("open_before_changes", clients.count(SseClients.OPEN));
            row.put("refused_503", clients.count(SseClients.REFUSED));
            log("step %d: %d open, %d refused (503), %d failed in %.1f s", n, clients.count(SseClients.OPEN),
                    clients.count(SseClients.REFUSED), clients.count(SseClients.FAILED), openSeconds);
            Thread.sleep(1000);
            row.putAll(measureDelivery(clients, target, stepSeconds));
            row.put("failed", clients.count(SseClients.FAILED));
            row.put("dropped", clients.count(SseClients.DROPPED));
            int open = clients.count(SseClients.OPEN);
            row.put("open_after_changes", open);
            Memory m = memory();
            row.put("rss_kib", m.rssKib());
            row.put("heap_used_kib", m.heapKib());
            row.put("rss_per_connection_kib", open == 0 ? null : round((double) (m.rssKib() - baseline.rssKib()) / open));
            row.put("heap_per_connection_kib", open == 0 ? null : round((double) (m.heapKib() - baseline.heapKib()) / open));
            row.put("resets", clients.resets.get());
            row.put("comments", clients.comments.get());
            row.put("duplicates", clients.duplicates.get());
            row.put("out_of_order", clients.outOfOrder.get());
            row.put("last_refusal", clients.lastRefusal);
            row.put("last_failure", clients.lastFailure);
            boolean held = open == n && (long) row.get("missing") == 0 && (int) row.get("commands_failed") == 0
                    && (long) row.get("expected") > 0;
            row.put("held", held);
            rows.add(row);
            log("step %d: %s", n, summary(row));
            writeReports(result, out, largestHeld);
            if (!held) {
                log("step %d not held: stepping stops", n);
                break;
            }
            largestHeld = n;
        }
        result.put("largest_step_held", largestHeld);
        writeReports(result, out, largestHeld);
        clients.stop();
        return largestHeld == steps[steps.length - 1];
    }

    /**
     * Changes the target at the fixed rate for the given seconds, waits up to the grace period for
     * every stream that was open when the changes began to receive every acknowledged change, and
     * sums up delivery and latency.
     */
    private Map<String, Object> measureDelivery(SseClients clients, Target target, int seconds) throws Exception {
        int[] receivers = openIndexes(clients);
        Map<Long, Long> acked = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        int count = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        Duration serviceCpu = cpu(pid);
        Duration driverCpu = cpu(ProcessHandle.current().pid());
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
            }
            inFlight.add(http.sendAsync(target.change().apply(i), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> {
                        long now = System.nanoTime();
                        long version = r.statusCode() / 100 == 2 ? version(r.body()) : -1;
                        if (version < 0) {
                            failed.incrementAndGet();
                        } else {
                            acked.put(version, now);
                        }
                    })
                    .exceptionally(e -> {
                        failed.incrementAndGet();
                        return null;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long sent = System.nanoTime();
        long[] versions = acked.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        long deadline = sent + TimeUnit.SECONDS.toNanos(graceSeconds);
        long missing = missing(clients, versions, receivers);
        while (missing > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            missing = missing(clients, versions, receivers);
        }
        long end = System.nanoTime();
        double waitedSeconds = (end - sent) / 1e9;
        long serviceCpuNanos = cpu(pid).minus(serviceCpu).toNanos();
        double serviceCores = serviceCpuNanos / (double) (end - start);
        double driverCores = cpu(ProcessHandle.current().pid()).minus(driverCpu).toNanos() / (double) (end - start);
        long lastArrival = start;

        long[] latency = new long[versions.length * receivers.length];
        long[] spread = new long[latency.length];
        long[] last = new long[versions.length];
        int n = 0;
        int s = 0;
        int lastCount = 0;
        long beforeAck = 0;
        int connectionsMissing = 0;
        boolean[] missed = new boolean[receivers.length];
        for (long v : versions) {
            long[] times = clients.arrivals.getOrDefault(v, new long[0]);
            long ack = acked.get(v);
            long first = Long.MAX_VALUE;
            long latest = Long.MIN_VALUE;
            for (int r = 0; r < receivers.length; r++) {
                long t = receivers[r] < times.length ? times[receivers[r]] : 0;
                if (t == 0) {
                    missed[r] = true;
                    continue;
                }
                first = Math.min(first, t);
                latest = Math.max(latest, t);
                lastArrival = Math.max(lastArrival, t);
                if (t < ack) {
                    beforeAck++;
                }
                latency[n++] = Math.max(0, t - ack);
            }
            for (int r = 0; r < receivers.length; r++) {
                long t = receivers[r] < times.length ? times[receivers[r]] : 0;
                if (t != 0) {
                    spread[s++] = t - first;
                }
            }
            if (latest != Long.MIN_VALUE) {
                last[lastCount++] = Math.max(0, latest - ack);
            }
        }
        for (boolean m : missed) {
            connectionsMissing += m ? 1 : 0;
        }
        long top = versions.length == 0 ? 0 : versions[versions.length - 1];
        clients.arrivals.keySet().removeIf(v -> v <= top);

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("receivers", receivers.length);
        row.put("commands_sent", count);
        row.put("commands_acked", versions.length);
        row.put("commands_failed", failed.get());
        row.put("expected", (long) versions.length * receivers.length);
        row.put("delivered", (long) n);
        row.put("missing", missing);
        row.put("connections_missing_some", connectionsMissing);
        row.put("events_before_ack", beforeAck);
        row.put("waited_after_last_ack_s", round(waitedSeconds));
        // what the service fanned out per second, first change sent → last event received
        row.put("events_per_s", n == 0 ? 0.0 : round(n / ((lastArrival - start) / 1e9)));
        // below the offered rate the service queues, and the latency grows with the step's length
        row.put("offered_events_per_s", (long) rate * receivers.length);
        row.put("service_cpu_cores", round(serviceCores));
        // the cost ledger's "one SSE delivery": the service's CPU over the changes ÷ events delivered (the
        // commands that made the changes, their relay and projection included, a share that shrinks with streams)
        row.put("service_cpu_us_per_delivery", n == 0 ? null : round(serviceCpuNanos / 1e3 / n));
        row.put("driver_cpu_cores", round(driverCores));
        // the machine is shared: its load says how much of the two cores the service could have had
        row.put("load_average_1m", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        row.put("ack_to_event", Percentiles.ofNanos(latency, n).asMap());
        row.put("ack_to_last_receiver", Percentiles.ofNanos(last, lastCount).asMap());
        row.put("fanout_spread", Percentiles.ofNanos(spread, s).asMap());
        return row;
    }

    private static long missing(SseClients clients, long[] versions, int[] receivers) {
        long missing = 0;
        for (long v : versions) {
            long[] times = clients.arrivals.get(v);
            if (times == null) {
                missing += receivers.length;
                continue;
            }
            for (int r : receivers) {
                if (times[r] == 0) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** CPU time a process used so far (user + system); zero when unknown. */
    private static Duration cpu(long processId) {
        return ProcessHandle.of(processId).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    private static int[] openIndexes(SseClients clients) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < clients.status.length(); i++) {
            if (clients.status.get(i) == SseClients.OPEN) {
                open.add(i);
            }
        }
        return open.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean awaitSettled(SseClients clients, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Thread.sleep(100);
        while (!clients.settled()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private record Memory(long rssKib, long heapKib) {
    }

    /** The service's VmRSS, and its heap used right after a full GC (jcmd), so that garbage is not counted. */
    private Memory memory() throws IOException, InterruptedException {
        if (pid <= 0) {
            return new Memory(-1, -1);
        }
        jcmd("GC.run");
        Thread.sleep(500);
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        long heap = used.find() ? Long.parseLong(used.group(1)) : -1;
        long rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
                .orElse(-1);
        return new Memory(rss, heap);
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** Staff reprice one product; the streams are shoppers', each with its own customer token. */
    private Target productTarget(int streams) throws IOException, InterruptedException {
        Supplier<String> staff = tokens.bearer("staff", "staff");
        String product = ServiceApi.create(http, base, staff.get(), "/products", "{\"sku\":\"SSE-BENCH-" + UUID.randomUUID()
                + "\",\"name\":\"SSE bench item\",\"unitPrice\":10.00}", "productId");
        long t0 = System.nanoTime();
        // made before the steps, so that the identity provider's time is not timed as opening streams
        int shoppers = Math.max(1, Math.min(streams, Integer.parseInt(env("SHOPPERS", "50"))));
        List<Supplier<String>> bearers = IntStream.range(0, shoppers).parallel()
                .mapToObj(i -> tokens.bearer(users.newCustomer("SSE Shopper " + i))).toList();
        log("%d shoppers made in the realm, with their tokens, in %.1f s", shoppers, (System.nanoTime() - t0) / 1e9);
        return new Target("price changes of one product", "/products/changes", i -> bearers.get(i % shoppers).get(), product,
                i -> ServiceApi.post(base, staff.get(), "/products/" + product + "/price",
                        String.format(Locale.ROOT, "{\"unitPrice\":%.2f}", 10.01 + (i % 900) / 100.0)));
    }

    /** A customer places one order and changes its address; every stream is that customer's. */
    private Target orderTarget() throws IOException, InterruptedException {
        RealmUsers.Person person = users.newCustomer("SSE Bench");
        UUID customer = person.id();
        Supplier<String> owner = tokens.bearer(person);
        ServiceApi.registerCustomer(http, base, owner.get(), customer, "SSE Bench");
        String product = ServiceApi.create(http, base, ServiceApi.bearer(users.staff()), "/products", "{\"sku\":\"SSE-BENCH-"
                + UUID.randomUUID() + "\",\"name\":\"SSE bench item\",\"unitPrice\":10.00}", "productId");
        String order = UUID.randomUUID().toString();
        HttpResponse<String> placed = http.send(ServiceApi.post(base, owner.get(), "/orders", "{\"orderId\":\"" + order
                + "\",\"customerId\":\"" + customer + "\",\"shippingAddress\":" + address(0) + ",\"lines\":[{\"productId\":\""
                + product + "\",\"quantity\":1}]}"), HttpResponse.BodyHandlers.ofString());
        if (placed.statusCode() != 202) {
            throw new IllegalStateException("/orders answered " + placed.statusCode() + ": " + placed.body());
        }
        return new Target("shipping-address changes of one order", "/orders/" + order + "/changes", i -> owner.get(), order,
                i -> HttpRequest.newBuilder(base.resolve("/orders/" + order + "/shipping-address"))
                        .header("Content-Type", "application/json").header("Authorization", owner.get())
                        .PUT(HttpRequest.BodyPublishers.ofString(address(i + 1))).build());
    }

    private static String address(int i) {
        return "{\"line1\":\"" + (i + 1) + " Bench Road\",\"city\":\"Leipzig\",\"postalCode\":\"04109\",\"country\":\"DE\"}";
    }

    private static long version(String body) {
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @SuppressWarnings("unchecked")
    private static String summary(Map<String, Object> row) {
        Map<String, Object> latency = (Map<String, Object>) row.get("ack_to_event");
        return String.format(Locale.ROOT, "%s open, %s dropped, %s/%s delivered (%s missing), p50 %s ms, p99 %s ms, max %s ms, "
                        + "RSS %s KiB/conn, heap %s KiB/conn",
                row.get("open_after_changes"), row.get("dropped"), row.get("delivered"), row.get("expected"), row.get("missing"),
                latency.get("p50_ms"), latency.get("p99_ms"), latency.get("max_ms"), row.get("rss_per_connection_kib"),
                row.get("heap_per_connection_kib"));
    }

    @SuppressWarnings("unchecked")
    private static void writeReports(Map<String, Object> result, Path out, int largestHeld) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("sse-connections.json"), Json.write(result));
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "SSE connections: %s, %s changes/s for %s s per step (grace %s s), new streams: %s, "
                        + "%s, %s%n%n",
                result.get("stream"), result.get("rate_per_s"), result.get("step_seconds"), result.get("grace_seconds"),
                ((Number) result.get("connects_per_s")).intValue() == 0 ? "unpaced (up to 256 connecting at once)"
                        : result.get("connects_per_s") + "/s",
                result.get("machine"), result.get("date")));
        md.append(String.format(Locale.ROOT, "Baseline before any stream: RSS %s MiB, heap used %s MiB (after a full GC).%n%n",
                mib(result.get("baseline_rss_kib")), mib(result.get("baseline_heap_used_kib"))));
        md.append("| streams | open | refused (503) | dropped | open in s | delivered / expected | missing | "
                + "p50 ms | p95 ms | p99 ms | max ms | last receiver p99 ms | spread p99 ms | RSS MiB | RSS / stream KiB "
                + "| heap MiB | heap / stream KiB | events/s delivered / offered | service CPU (cores) | driver CPU (cores) | load avg | held |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : (List<Map<String, Object>>) result.get("steps")) {
            Map<String, Object> lat = (Map<String, Object>) row.get("ack_to_event");
            Map<String, Object> last = (Map<String, Object>) row.get("ack_to_last_receiver");
            Map<String, Object> spread = (Map<String, Object>) row.get("fanout_spread");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s |%n",
                    row.get("connections_requested"), row.get("open_after_changes"), row.get("refused_503"), row.get("dropped"),
                    row.get("open_seconds"), row.get("delivered"), row.get("expected"), row.get("missing"), ms(lat, "p50_ms"),
                    ms(lat, "p95_ms"), ms(lat, "p99_ms"), ms(lat, "max_ms"), ms(last, "p99_ms"), ms(spread, "p99_ms"),
                    mib(row.get("rss_kib")), row.get("rss_per_connection_kib"), mib(row.get("heap_used_kib")),
                    row.get("heap_per_connection_kib"), Math.round(((Number) row.get("events_per_s")).doubleValue()),
                    row.get("offered_events_per_s"), row.get("service_cpu_cores"), row.get("driver_cpu_cores"), row.get("load_average_1m"), (boolean) row.get("held") ? "yes" : "**no**"));
        }
        md.append(String.format(Locale.ROOT, "%nLargest step held (every stream open, every change delivered): %d.%n", largestHeld));
        for (Map<String, Object> row : (List<Map<String, Object>>) result.get("steps")) {
            if (!(boolean) row.get("held")) {
                md.append(String.format(Locale.ROOT, "Step %s not held: %s open of %s, %s refused (503%s), %s failed, "
                                + "%s dropped, %s of %s notifications missing (%s streams missed some), %s commands failed; "
                                + "last failure: %s.%n",
                        row.get("connections_requested"), row.get("open_after_changes"), row.get("connections_requested"),
                        row.get("refused_503"), row.get("last_refusal").toString().isEmpty() ? "" : ", e.g. `" + row.get("last_refusal") + "`",
                        row.get("failed"), row.get("dropped"), row.get("missing"),
                        row.get("expected"), row.get("connections_missing_some"), row.get("commands_failed"),
                        row.get("last_failure").toString().isEmpty() ? "none" : row.get("last_failure")));
            }
        }
        Files.writeString(out.resolve("sse-connections.md"), md);
    }

    /** A percentile of no values is "—", not 0. */
    private static Object ms(Map<String, Object> percentiles, String key) {
        return ((Number) percentiles.get("count")).intValue() == 0 ? "—" : percentiles.get(key);
    }

    private static String mib(Object kib) {
        return kib instanceof Long k && k >= 0 ? Long.toString(k / 1024) : "—";
    }

    private static Object round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 100) / 100.0;
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[sse] " + format + "%n", args);
    }
}
