package io.ordersvc.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Puts the figures of one benchmark run side by side with their same-run anchors: reads the
 * properties files that bench/run.sh wrote under {@code DIR/raw} (one per load: wrk, pgbench,
 * redis-benchmark, the cpu-per-order step, each step of the propagation curve, Redis's own readings
 * around the cpu-per-order step and the rebuild) and {@code DIR/propagation.properties}, and writes
 * the markdown tables ({@code results.md}, also printed), {@code results.json} and the data files
 * plots.gp draws.
 *
 * <p>Args: {@code DIR} (default target/bench).
 */
public final class BenchReport {

    private static final Pattern LOAD = Pattern.compile("(place|cache|join)-(service|pgbench|redis)-c(\\d+)\\.properties");
    private static final Map<String, String[]> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("place", new String[] {"PlaceOrder, 3 lines", "pgbench: same transaction on the primary"});
        WORKLOADS.put("cache", new String[] {"GET order, cache hit", "redis-benchmark: HGETALL of the same hash"});
        WORKLOADS.put("join", new String[] {"GET order, replica join forced", "pgbench: same join on the replica"});
    }

    /** Goals from issue 7, reported against and never asserted. */
    private static final double REDIS_P99_TARGET_MS = 20;
    private static final double SSE_P99_TARGET_MS = 30;

    private final Path dir;
    private final StringBuilder md = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();

    private BenchReport(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws IOException {
        new BenchReport(Path.of(args.length > 0 ? args[0] : "target/bench")).write();
    }

    private void write() throws IOException {
        Properties service = load(dir.resolve("raw/service.properties"));
        md.append("Mode: ").append(service.getProperty("mode", "?")).append(", ").append(service.getProperty("machine", ""))
                .append(", ").append(service.getProperty("date", "")).append("\n\n");
        json.put("mode", service.getProperty("mode", "?"));
        json.put("machine", service.getProperty("machine", ""));
        json.put("date", service.getProperty("date", ""));
        loadsAgainstAnchors();
        readsWhileWrites();
        cpuPerOrder();
        propagation();
        propagationCurve();
        serviceFigures(service);
        sseStreams();
        costLedger();
        redisLedger();
        Files.writeString(dir.resolve("results.md"), md);
        Files.writeString(dir.resolve("results.json"), Json.write(json));
        System.out.print(md);
    }

    private void loadsAgainstAnchors() throws IOException {
        Map<String, Map<Integer, Map<String, Properties>>> runs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("raw"))) {
            for (Path file : files.toList()) {
                Matcher m = LOAD.matcher(file.getFileName().toString());
                if (m.matches()) {
                    runs.computeIfAbsent(m.group(1), w -> new TreeMap<>())
                            .computeIfAbsent(Integer.parseInt(m.group(3)), c -> new LinkedHashMap<>())
                            .put(m.group(2).equals("service") ? "service" : "anchor", load(file));
                }
            }
        }
        md.append("| workload | clients | service ops/s | p50 ms | p99 ms | anchor | anchor ops/s | anchor p50 ms | anchor p99 ms "
                + "| ops/s ratio | p99 ratio | notes |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Object> rows = new ArrayList<>();
        StringBuilder throughput = new StringBuilder();
        StringBuilder latency = new StringBuilder();
        for (Map.Entry<String, String[]> w : WORKLOADS.entrySet()) {
            throughput.append("# ").append(w.getKey()).append(": clients service_ops anchor_ops\n");
            latency.append("# ").append(w.getKey()).append(": clients service_p50 service_p99 anchor_p50 anchor_p99\n");
            for (Map.Entry<Integer, Map<String, Properties>> at : runs.getOrDefault(w.getKey(), Map.of()).entrySet()) {
                Properties s = at.getValue().getOrDefault("service", new Properties());
                Properties a = at.getValue().getOrDefault("anchor", new Properties());
                double opsRatio = num(s, "rps") / num(a, "rps");
                double p99Ratio = num(s, "p99_ms") / num(a, "p99_ms");
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        w.getValue()[0], at.getKey(), f0(num(s, "rps")), f2(num(s, "p50_ms")), f2(num(s, "p99_ms")),
                        w.getValue()[1], f0(num(a, "rps")), f2(num(a, "p50_ms")), f2(num(a, "p99_ms")),
                        f2(opsRatio), f2(p99Ratio), notes(w.getKey(), s)));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("workload", w.getKey());
                row.put("clients", at.getKey());
                row.put("service", asMap(s));
                row.put("anchor", asMap(a));
                row.put("ops_ratio", round(opsRatio));
                row.put("p99_ratio", round(p99Ratio));
                rows.add(row);
                throughput.append(String.format(Locale.ROOT, "%d %s %s%n", at.getKey(), dat(num(s, "rps")), dat(num(a, "rps"))));
                latency.append(String.format(Locale.ROOT, "%d %s %s %s %s%n", at.getKey(), dat(num(s, "p50_ms")),
                        dat(num(s, "p99_ms")), dat(num(a, "p50_ms")), dat(num(a, "p99_ms"))));
            }
            // gnuplot reads each workload as one data block (index 0, 1, 2)
            throughput.append("\n\n");
            latency.append("\n\n");
        }
        md.append('\n');
        json.put("loads", rows);
        Files.writeString(dir.resolve("throughput.dat"), throughput);
        Files.writeString(dir.resolve("latency.dat"), latency);
    }

    private String notes(String workload, Properties s) {
        List<String> notes = new ArrayList<>();
        if (num(s, "failed") > 0) {
            notes.add(f0(num(s, "failed")) + " of " + f0(num(s, "ops")) + " failed");
        }
        if (workload.equals("join")) {
            notes.add(pct(num(s, "replica_hits"), num(s, "replica_hits") + num(s, "cache_hits")) + " from replica");
        }
        if (workload.equals("cache")) {
            notes.add(pct(num(s, "cache_hits"), num(s, "replica_hits") + num(s, "cache_hits")) + " from cache");
        }
        return String.join("; ", notes);
    }

    private void readsWhileWrites() throws IOException {
        Properties cache = load(dir.resolve("raw/mixed-cache-reads.properties"));
        Properties join = load(dir.resolve("raw/mixed-join-reads.properties"));
        Properties cacheWrites = load(dir.resolve("raw/mixed-cache-writes.properties"));
        Properties joinWrites = load(dir.resolve("raw/mixed-join-writes.properties"));
        md.append("| reads while orders are placed | clients | orders/s placed meanwhile | reads/s | p50 ms | p99 ms | notes |\n"
                + "|---|---|---|---|---|---|---|\n");
        md.append(mixedRow("cache path", cache, cacheWrites, notes("cache", cache)));
        md.append(mixedRow("join path (replica forced)", join, joinWrites, notes("join", join)));
        double opsRatio = num(cache, "rps") / num(join, "rps");
        double p99Ratio = num(cache, "p99_ms") / num(join, "p99_ms");
        md.append(String.format(Locale.ROOT, "%nCache path / join path under writes: throughput ×%s (goal ≥ 2), p99 ×%s (goal ≤ 0.5).%n%n",
                f2(opsRatio), f2(p99Ratio)));
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("cache_reads", asMap(cache));
        mixed.put("cache_writes", asMap(cacheWrites));
        mixed.put("join_reads", asMap(join));
        mixed.put("join_writes", asMap(joinWrites));
        mixed.put("cache_over_join_ops", round(opsRatio));
        mixed.put("cache_over_join_p99", round(p99Ratio));
        json.put("reads_while_writes", mixed);
    }

    private static String mixedRow(String name, Properties reads, Properties writes, String notes) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name, reads.getProperty("clients", "?"),
                f0(num(writes, "rps")), f0(num(reads, "rps")), f2(num(reads, "p50_ms")), f2(num(reads, "p99_ms")), notes);
    }

    /** The cpu-per-order step: the service's CPU time over a propagation run at 100/s, next to its latency. */
    private void cpuPerOrder() throws IOException {
        Properties p = load(dir.resolve("raw/cpu-per-order.properties"));
        md.append("Service CPU per order at ").append(p.getProperty("cpu.rate_requested", "?")).append(" orders/s\n\n");
        md.append("| orders | orders/s achieved | CPU-ms per order | cores used | commit → visible in Redis p50 ms | p99 ms | notes |\n"
                + "|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", p.getProperty("cpu.orders", "?"),
                p.getProperty("rate_achieved", "?"), f2(num(p, "cpu.ms_per_order")), f2(num(p, "cpu.cores")),
                f2(num(p, "commit_to_redis.p50_ms")), f2(num(p, "commit_to_redis.p99_ms")), cpuNotes(p)));
        md.append(String.format(Locale.ROOT, "%nService CPU time %s s over %s s of wall time (driver start → every order seen); "
                        + "idle just before: %s cores over %s s.%n%n",
                f2(num(p, "cpu.ms") / 1000), f2(num(p, "cpu.wall_ms") / 1000), f2(num(p, "cpu.idle_cores")),
                p.getProperty("cpu.idle_s", "?")));
        json.put("cpu_per_order", asMap(p));
    }

    private static String cpuNotes(Properties p) {
        List<String> notes = new ArrayList<>();
        for (String k : List.of("failed", "never_visible", "never_received")) {
            if (num(p, k) > 0) {
                notes.add(f0(num(p, k)) + " " + k.replace('_', ' '));
            }
        }
        if (p.getProperty("orders") == null) {
            notes.add("the driver wrote no figures");
        }
        return String.join("; ", notes);
    }

    private void propagation() throws IOException {
        Properties p = load(dir.resolve("propagation.properties"));
        md.append(String.format(Locale.ROOT, "Propagation: %s orders at %s/s requested (%s/s achieved), %s failed, "
                        + "%s never visible in Redis, %s never received over SSE, %s streams answered late.%n%n",
                p.getProperty("orders", "?"), p.getProperty("rate_requested", "?"), p.getProperty("rate_achieved", "?"),
                p.getProperty("failed", "?"), p.getProperty("never_visible", "?"), p.getProperty("never_received", "?"),
                p.getProperty("streams_late", "?")));
        md.append("| latency | n | p50 ms | p95 ms | p99 ms | max ms | p99 / goal |\n|---|---|---|---|---|---|---|\n");
        md.append(propagationRow(p, "place_order", "PlaceOrder: sent → 202", Double.NaN));
        md.append(propagationRow(p, "commit_to_redis", "commit → visible in Redis (from 202)", REDIS_P99_TARGET_MS));
        md.append(propagationRow(p, "sent_to_redis", "sent → visible in Redis", Double.NaN));
        md.append(propagationRow(p, "commit_to_sse", "commit → SSE event received (from 202)", SSE_P99_TARGET_MS));
        md.append(propagationRow(p, "sent_to_sse", "sent → SSE event received", Double.NaN));
        md.append('\n');
        json.put("propagation", asMap(p));
        StringBuilder dat = new StringBuilder("# percentile commit_to_redis commit_to_sse\n");
        for (String k : List.of("p50", "p95", "p99", "max")) {
            dat.append(k).append(' ').append(dat(num(p, "commit_to_redis." + k + "_ms"))).append(' ')
                    .append(dat(num(p, "commit_to_sse." + k + "_ms"))).append('\n');
        }
        Files.writeString(dir.resolve("propagation.dat"), dat);
    }

    private static String propagationRow(Properties p, String key, String name, double goal) {
        double p99 = num(p, key + ".p99_ms");
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name, f0(num(p, key + ".count")),
                f2(num(p, key + ".p50_ms")), f2(num(p, key + ".p95_ms")), f2(p99), f2(num(p, key + ".max_ms")),
                Double.isNaN(goal) ? "—" : f2(p99 / goal) + " (goal " + f0(goal) + " ms)");
    }

    /**
     * The propagation curve: one driver run per rate (raw/propagation-r{rate}.properties), the rates
     * run.sh skipped by its stop rule, and the highest rate whose commit → Redis p99 met the goal,
     * as a share of pgbench PlaceOrder at 8 clients in the same run.
     */
    private void propagationCurve() throws IOException {
        Properties curve = load(dir.resolve("raw/propagation-curve.properties"));
        if (curve.isEmpty()) {
            return;
        }
        double stopMs = num(curve, "stop_p99_ms");
        double goalMs = num(curve, "goal_p99_ms");
        String stoppedAt = curve.getProperty("stopped_at");
        md.append(String.format(Locale.ROOT, "Propagation curve: orders at each rate for %s s, each followed over Redis pub/sub and SSE; "
                        + "the higher rates are skipped once a step's commit → Redis p99 passes %s ms (the %s/s step always runs).%n%n",
                curve.getProperty("seconds", "?"), f0(stopMs), curve.getProperty("fixed_rate", "?")));
        md.append("| orders/s asked | orders/s achieved | orders | commit → Redis p50 ms | p99 ms | commit → SSE p50 ms | p99 ms | lost | notes |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        List<Object> steps = new ArrayList<>();
        StringBuilder dat = new StringBuilder("# rate_requested redis_p50 redis_p99 sse_p50 sse_p99\n");
        int maxRate = -1;
        for (String r : curve.getProperty("rates", "").trim().split("\\s+")) {
            if (r.isEmpty()) {
                continue;
            }
            int rate = Integer.parseInt(r);
            String state = curve.getProperty("step." + r, "skipped");
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("rate_requested", rate);
            step.put("state", state);
            if (state.equals("skipped")) {
                md.append(String.format(Locale.ROOT, "| %d | — | — | — | — | — | — | — | skipped: stop rule at %s/s, %s |%n",
                        rate, stoppedAt, curve.getProperty("stopped_because", "?")));
                steps.add(step);
                continue;
            }
            Properties p = load(dir.resolve("raw/propagation-r" + r + ".properties"));
            int exit = (int) num(curve, "step." + r + ".exit");
            double redisP50 = measured(p, "commit_to_redis", "p50_ms");
            double redisP99 = measured(p, "commit_to_redis", "p99_ms");
            double sseP50 = measured(p, "commit_to_sse", "p50_ms");
            double sseP99 = measured(p, "commit_to_sse", "p99_ms");
            // a step that lost orders has a p99 of only what arrived: it never meets the goal
            if (exit == 0 && redisP99 <= goalMs) {
                maxRate = Math.max(maxRate, rate);
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", rate, f0(num(p, "rate_achieved")),
                    f0(num(p, "orders")), f2(redisP50), f2(redisP99), f2(sseP50), f2(sseP99), f0(num(p, "lost")),
                    curveNotes(p, exit, rate == (int) num(curve, "fixed_rate"), r.equals(stoppedAt) ? curve.getProperty("stopped_because") : null)));
            step.put("rate_achieved", whole(num(p, "rate_achieved")));
            step.put("orders", whole(num(p, "orders")));
            step.put("commit_to_redis_p50_ms", round(redisP50));
            step.put("commit_to_redis_p99_ms", round(redisP99));
            step.put("commit_to_sse_p50_ms", round(sseP50));
            step.put("commit_to_sse_p99_ms", round(sseP99));
            step.put("lost", whole(num(p, "lost")));
            step.put("failed", whole(num(p, "failed")));
            step.put("never_visible", whole(num(p, "never_visible")));
            step.put("never_received", whole(num(p, "never_received")));
            step.put("driver_exit", exit);
            steps.add(step);
            dat.append(String.format(Locale.ROOT, "%d %s %s %s %s%n", rate, dat(redisP50), dat(redisP99), dat(sseP50), dat(sseP99)));
        }
        double anchor = num(load(dir.resolve("raw/place-pgbench-c8.properties")), "rps");
        double ratio = maxRate > 0 ? maxRate / anchor : Double.NaN;
        if (maxRate > 0) {
            md.append(String.format(Locale.ROOT, "%nHighest rate with commit → Redis p99 ≤ %s ms: **%d orders/s** (rate asked), "
                    + "**%s ×** pgbench PlaceOrder at 8 clients in this run (%s ops/s).%n%n", f0(goalMs), maxRate, f2(ratio), f0(anchor)));
        } else {
            md.append(String.format(Locale.ROOT, "%nHighest rate with commit → Redis p99 ≤ %s ms: **none** of the steps measured "
                    + "(pgbench PlaceOrder at 8 clients in this run: %s ops/s).%n%n", f0(goalMs), f0(anchor)));
        }
        json.put("propagation_curve", steps);
        json.put("propagation_max_rate_p99_100ms", maxRate > 0 ? maxRate : null);
        json.put("propagation_max_rate_p99_100ms_ratio_to_pgbench_c8", maxRate > 0 ? round(ratio) : null);
        Files.writeString(dir.resolve("propagation-curve.dat"), dat);
    }

    /** A percentile of the driver's figures, NaN when it measured nothing (it writes 0 then). */
    private static double measured(Properties p, String figure, String percentile) {
        return num(p, figure + ".count") > 0 ? num(p, figure + "." + percentile) : Double.NaN;
    }

    private static String curveNotes(Properties p, int exit, boolean fixedRate, String stoppedBecause) {
        List<String> notes = new ArrayList<>();
        if (p.getProperty("orders") == null) {
            notes.add("the driver wrote no figures (exit " + exit + ")");
        }
        for (String k : List.of("failed", "never_visible", "never_received")) {
            if (num(p, k) > 0) {
                notes.add(f0(num(p, k)) + " " + k.replace('_', ' '));
            }
        }
        if (fixedRate) {
            notes.add("the fixed-rate step above");
        }
        if (stoppedBecause != null) {
            notes.add("stop rule: " + stoppedBecause);
        }
        return String.join("; ", notes);
    }

    private void serviceFigures(Properties s) {
        md.append("| service | value |\n|---|---|\n");
        md.append("| start: launch → ready (ms) | ").append(s.getProperty("start_to_ready_ms", "?")).append(" |\n");
        md.append("| RSS after start, idle (MiB) | ").append(s.getProperty("rss_idle_mib", "?")).append(" |\n");
        md.append("| RSS under load, max (MiB) | ").append(s.getProperty("rss_max_mib", "?")).append(" |\n");
        md.append("| warm-up orders before measuring | ").append(s.getProperty("warmup_orders", "?")).append(" |\n");
        md.append("| rebuild of the read models: events replayed | ").append(s.getProperty("rebuild_events", "?")).append(" |\n");
        md.append("| rebuild of the read models: events/s | ").append(s.getProperty("rebuild_events_per_s", "?")).append(" |\n");
        json.put("service", asMap(s));
    }

    /** The SSE streams step (quick mode) writes its own table; it is shown as it is. */
    private void sseStreams() throws IOException {
        Path table = dir.resolve("sse-connections.md");
        if (Files.exists(table)) {
            md.append('\n').append(Files.readString(table));
        }
    }

    /**
     * The cost ledger: the service's own CPU per operation of each kind, from its CPU time over each
     * step (/proc) ÷ the operations of the step, next to the floor of the HTTP stack (a static file
     * under the same load); with a flight recording of the run, where each step's CPU went.
     */
    private void costLedger() throws IOException {
        List<LedgerRow> rows = new ArrayList<>();
        for (String w : List.of("static", "cache", "join", "place")) {
            List<String> steps;
            try (Stream<Path> files = Files.list(dir.resolve("raw"))) {
                steps = files.map(f -> f.getFileName().toString()).filter(f -> f.matches(w + "-service-c\\d+\\.properties"))
                        .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.replaceAll("\\D", "")))).toList();
            }
            for (String step : steps) {
                rows.add(LedgerRow.of(LEDGER_KINDS.get(w), load(dir.resolve("raw/" + step)), "ops"));
            }
        }
        Properties cpu = load(dir.resolve("raw/cpu-per-order.properties"));
        rows.add(LedgerRow.of("an order end to end at " + cpu.getProperty("cpu.rate_requested", "?")
                + "/s (place, relay, project, announce, SSE)", cpu, "cpu.orders"));
        Properties rebuild = load(dir.resolve("raw/rebuild.properties"));
        rows.add(LedgerRow.of("one projected event (the rebuild's replay)", rebuild, "events"));
        Properties sse = sseStep();
        rows.add(new LedgerRow("SSE connect (" + sse.getProperty("connections_requested", "?") + " streams at once)",
                "", num(sse, "connections_requested"), num(sse, "service_cpu_us_per_connect"), Double.NaN, Double.NaN, null));
        rows.add(new LedgerRow("one SSE delivery (" + sse.getProperty("receivers", "?") + " streams, each change to each)",
                "", num(sse, "delivered"), num(sse, "service_cpu_us_per_delivery"), Double.NaN, Double.NaN, null));
        Path jfr = dir.resolve("service.jfr");
        Map<String, WhereCpuGoes.Breakdown> where = Map.of();
        if (Files.exists(jfr)) {
            where = WhereCpuGoes.of(jfr, rows.stream().filter(r -> r.window() != null).map(LedgerRow::window).toList());
        }
        double floor = rows.stream().filter(r -> r.kind().equals(LEDGER_KINDS.get("static"))).mapToDouble(LedgerRow::usPerOp)
                .min().orElse(Double.NaN);
        md.append("\nCost ledger: the service's CPU per operation (its CPU time over the step ÷ operations), "
                + "× the floor (a static file of the web UI under the same load)")
                .append(where.isEmpty() ? ".\n\n" : "; where it went: the step's share of the flight recording's samples, "
                        + "by the innermost frame that is not the JDK's, as CPU-µs (JIT and GC are not sampled).\n\n");
        md.append("| kind | clients | operations | service CPU-µs per op | of which JIT · GC | × floor | where it went (JFR, CPU-µs per op) |\n"
                + "|---|---|---|---|---|---|---|\n");
        List<Object> ledger = new ArrayList<>();
        for (LedgerRow r : rows) {
            WhereCpuGoes.Breakdown b = r.window() == null ? null : where.get(r.window().name());
            String parts = b == null || b.samples() == 0 ? "" : b.parts().entrySet().stream().limit(6)
                    .map(p -> String.format(Locale.ROOT, "%s %s", p.getKey(), f0(r.usPerOp() * p.getValue() / b.samples())))
                    .collect(Collectors.joining(", "));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s · %s | %s | %s |%n", r.kind(), r.clients(), f0(r.ops()),
                    f0(r.usPerOp()), f0(r.jitUsPerOp()), f0(r.gcUsPerOp()), f2(r.usPerOp() / floor), parts));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", r.kind());
            row.put("clients", r.clients());
            row.put("operations", whole(r.ops()));
            row.put("service_cpu_us_per_op", round(r.usPerOp()));
            row.put("jit_cpu_us_per_op", round(r.jitUsPerOp()));
            row.put("gc_cpu_us_per_op", round(r.gcUsPerOp()));
            if (b != null && b.samples() > 0) {
                Map<String, Object> shares = new LinkedHashMap<>();
                b.parts().forEach((k, v) -> shares.put(k, round(100.0 * v / b.samples())));
                row.put("jfr_samples", b.samples());
                row.put("jfr_share_pct", shares);
            }
            ledger.add(row);
        }
        md.append('\n');
        json.put("cost_ledger", ledger);
    }

    private static final Map<String, String> LEDGER_KINDS = Map.of("static", "static file (the floor)",
            "cache", "GET order, cache hit", "join", "GET order, replica path", "place", "PlaceOrder (its relay and "
                    + "projection partly inside the window)");

    /** The first step of the SSE streams benchmark, as properties. */
    private Properties sseStep() throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve("sse-connections.json");
        if (Files.exists(file)) {
            Matcher step = Pattern.compile("\"steps\":\\[\\{(.*?)\"ack_to_event\"").matcher(Files.readString(file));
            if (step.find()) {
                Matcher kv = Pattern.compile("\"(\\w+)\":([-0-9.]+)").matcher(step.group(1));
                while (kv.find()) {
                    p.setProperty(kv.group(1), kv.group(2));
                }
            }
        }
        return p;
    }

    /** A row of the ledger; its window (epoch ms from run.sh) when the step has one. */
    private record LedgerRow(String kind, String clients, double ops, double usPerOp, double jitUsPerOp, double gcUsPerOp,
            WhereCpuGoes.Window window) {

        static LedgerRow of(String kind, Properties p, String opsKey) {
            double ops = num(p, opsKey);
            WhereCpuGoes.Window window = p.getProperty("window_start_ms") == null ? null
                    : new WhereCpuGoes.Window(kind + "/" + p.getProperty("clients", ""),
                            Instant.ofEpochMilli((long) num(p, "window_start_ms")),
                            Instant.ofEpochMilli((long) num(p, "window_end_ms")));
            return new LedgerRow(kind, p.getProperty("clients", ""), ops, num(p, "service_cpu_ms") * 1000 / ops,
                    num(p, "service_jit_ms") * 1000 / ops, num(p, "service_gc_ms") * 1000 / ops, window);
        }
    }

    /**
     * Redis's own cost per event (issue 23): over the cpu-per-order step and the rebuild, the bench's Redis's
     * commands, CPU and memory (raw/redis-{step}.properties, read around the step by run.sh) ÷ the step's
     * events; then the keys that never expire, read after the cpu-per-order step (raw/redis-keys.properties,
     * from bench/redis-keys.lua).
     */
    private void redisLedger() throws IOException {
        List<RedisStep> steps = List.of(
                RedisStep.of("cpu_per_order", "cpu-per-order (an order placed)", load(dir.resolve("raw/redis-cpu-per-order.properties"))),
                RedisStep.of("rebuild", "rebuild (an event replayed)", load(dir.resolve("raw/redis-rebuild.properties"))));
        md.append("\nRedis's own cost per event: over each step, the bench's Redis's commands (`INFO commandstats`, without "
                + "the bench's own `INFO`; the commands a script runs are counted one by one, and the `evalsha` that ran them "
                + "once more), its CPU (`INFO cpu`, user + sys of all its threads; of its main thread in brackets) and its "
                + "memory (`used_memory`, `DBSIZE`); commands and CPU ÷ the step's events (orders placed, events replayed), "
                + "memory and keys ÷ its orders (placed; in the new generation).\n\n");
        md.append("| step | events | orders | Redis commands per event | Redis CPU-µs per event (main thread) | of which Redis idle "
                + "| bytes per order | keys per order | notes |\n|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Object> ledger = new LinkedHashMap<>();
        for (RedisStep s : steps) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s |%n", s.kind(), f0(s.events()),
                    f0(s.orders()), f2(s.total() / s.events()), f0(s.cpuUs() / s.events()), f0(s.mainCpuUs() / s.events()),
                    f0(s.idleCpuUs() / s.events()), f0(s.memory() / s.orders()), f2(s.keys() / s.orders()), s.notes()));
            ledger.put(s.name(), s.asJson());
        }
        md.append("\n| command | ").append(steps.stream().map(s -> s.kind() + ": calls per event | µs per call")
                .collect(Collectors.joining(" | "))).append(" |\n|---|").append("---|---|".repeat(steps.size())).append('\n');
        List<String> commands = steps.stream().flatMap(s -> s.calls().keySet().stream()).distinct()
                .sorted(Comparator.comparingDouble((String c) -> -steps.get(0).calls().getOrDefault(c, 0.0))
                        .thenComparingDouble(c -> -steps.get(1).calls().getOrDefault(c, 0.0)))
                .toList();
        for (String c : commands.subList(0, Math.min(15, commands.size()))) {
            md.append("| ").append(c);
            for (RedisStep s : steps) {
                double calls = s.calls().getOrDefault(c, Double.NaN);
                md.append(" | ").append(f2(calls / s.events())).append(" | ").append(f2(s.usec().getOrDefault(c, Double.NaN) / calls));
            }
            md.append(" |\n");
        }
        if (commands.size() > 15) {
            md.append("| (").append(commands.size() - 15).append(" more commands in results.json) |")
                    .append(" | |".repeat(steps.size())).append('\n');
        }
        ledger.put("unbounded", unboundedKeys(load(dir.resolve("raw/redis-keys.properties"))));
        json.put("redis_ledger", ledger);
    }

    /** The keys without a TTL after the cpu-per-order step, by shape, set against the orders placed so far. */
    private Map<String, Object> unboundedKeys(Properties p) {
        if (p.isEmpty()) {
            md.append("\nKeys without a TTL: not scanned in this run.\n\n");
            return Map.of();
        }
        double orders = num(p, "orders_placed");
        Map<String, Map<String, Object>> shapes = new LinkedHashMap<>();
        Map<String, Object> counted = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("shape.") && k.endsWith(".keys")) {
                String shape = k.substring("shape.".length(), k.length() - ".keys".length());
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("keys", whole(num(p, k)));
                s.put("elements", whole(num(p, "shape." + shape + ".elements")));
                s.put("largest", whole(num(p, "shape." + shape + ".largest")));
                s.put("keys_per_order", round(num(p, k) / orders));
                s.put("elements_per_order", round(num(p, "shape." + shape + ".elements") / orders));
                shapes.put(shape, s);
            } else if (k.startsWith("counted.")) {
                counted.put(k.substring("counted.".length()), whole(num(p, k)));
            }
        }
        Comparator<Map.Entry<String, Map<String, Object>>> byKeys = Comparator.comparingLong(e -> -(Long) e.getValue().get("keys"));
        List<Map.Entry<String, Map<String, Object>>> sorted = shapes.entrySet().stream()
                .sorted(byKeys.thenComparingLong(e -> -(Long) e.getValue().get("elements"))).toList();
        boolean complete = num(p, "complete") == 1;
        md.append(String.format(Locale.ROOT, "%nKeys without a TTL after the cpu-per-order step: %s of %s keys scanned (%s), "
                        + "with %s orders placed through the API so far, all still open (the order views also hold the fixture "
                        + "orders that the warm-up's join reads put in the cache).%n%n", f0(num(p, "no_ttl")),
                f0(num(p, "scanned")), complete ? "the whole keyspace" : "the scan stopped at its cap", f0(orders)));
        md.append("| key shape, no TTL | keys | elements | largest key's elements | keys per order placed | elements per order placed |\n"
                + "|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, Object>> e : sorted.subList(0, Math.min(15, sorted.size()))) {
            Map<String, Object> s = e.getValue();
            md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s |%n", e.getKey(), s.get("keys"), s.get("elements"),
                    s.get("largest"), s.get("keys_per_order"), s.get("elements_per_order")));
        }
        if (sorted.size() > 15) {
            md.append("| (").append(sorted.size() - 15).append(" more shapes in results.json) | | | | | |\n");
        }
        md.append(String.format(Locale.ROOT, "%nCounted versions kept (keys `g<n>:counted:*`, each with a TTL), by generation: %s. Change streams (`changes:*`): %s, "
                        + "TTL %s–%s ms, %s without a TTL.%n%n",
                counted.isEmpty() ? "none" : counted.entrySet().stream().map(e -> "`" + e.getKey() + "` " + e.getValue())
                        .collect(Collectors.joining(", ")),
                f0(num(p, "streams")), f0(num(p, "streams.ttl_ms_min")), f0(num(p, "streams.ttl_ms_max")), f0(num(p, "streams.no_ttl"))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orders_placed_so_far", whole(orders));
        out.put("keys_scanned", whole(num(p, "scanned")));
        out.put("scan_complete", complete);
        out.put("keys_without_ttl", whole(num(p, "no_ttl")));
        out.put("without_ttl_by_shape", sorted.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                (a, b) -> a, LinkedHashMap::new)));
        out.put("counted_versions_by_generation", counted);
        out.put("streams", whole(num(p, "streams")));
        out.put("streams_without_ttl", whole(num(p, "streams.no_ttl")));
        out.put("stream_ttl_ms_min", whole(num(p, "streams.ttl_ms_min")));
        out.put("stream_ttl_ms_max", whole(num(p, "streams.ttl_ms_max")));
        return out;
    }

    /**
     * One step of the Redis ledger: each command's calls and usec over the step (the bench's own probes, the
     * probe.* counts, taken out), Redis's CPU (all threads; the main thread's, NaN on a Redis that does not
     * report it), the share of it Redis burns idle (its idle rate before the cpu-per-order step × the step's
     * window), and the growth of used_memory and of the key count, set against the step's orders (in the
     * rebuild, those in the new generation: its ledger of counted versions).
     */
    private record RedisStep(String name, String kind, double events, double orders, Map<String, Double> calls, Map<String, Double> usec,
            double cpuUs, double mainCpuUs, double idleCpuUs, double memory, double keys, String notes) {

        static RedisStep of(String name, String kind, Properties p) {
            Map<String, Double> calls = new LinkedHashMap<>();
            Map<String, Double> usec = new LinkedHashMap<>();
            p.stringPropertyNames().stream().filter(k -> k.startsWith("after.calls.")).map(k -> k.substring("after.calls.".length()))
                    .forEach(c -> {
                        double n = delta(p, "calls." + c) - orZero(p, "probe." + c);
                        if (n > 0) {
                            calls.put(c, n);
                            usec.put(c, delta(p, "usec." + c));
                        }
                    });
            Map<String, Double> byCalls = calls.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
            double idleRate = (cpu(p, "idle.after.", "") - cpu(p, "idle.before.", "")) / (num(p, "idle.after.ms") - num(p, "idle.before.ms"));
            double window = num(p, "after.ms") - num(p, "before.ms");
            String notes = num(p, "old_generation_kept") == 0 ? "the old generation was dropped before the reading: "
                    + "memory and keys undercount" : "";
            return new RedisStep(name, kind, num(p, "events"), num(p, "orders"), byCalls, usec,
                    (cpu(p, "after.", "") - cpu(p, "before.", "")) * 1e6,
                    (cpu(p, "after.", "_main_thread") - cpu(p, "before.", "_main_thread")) * 1e6,
                    idleRate * window * 1e6, delta(p, "used_memory"), delta(p, "dbsize"), notes);
        }

        double total() {
            return calls.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        Map<String, Object> asJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("events", whole(events));
            m.put("orders", whole(orders));
            m.put("commands_total", whole(total()));
            m.put("commands_per_event", round(total() / events));
            Map<String, Object> perEvent = new LinkedHashMap<>();
            Map<String, Object> usPerCall = new LinkedHashMap<>();
            calls.forEach((c, n) -> {
                perEvent.put(c, round(n / events));
                usPerCall.put(c, round(usec.get(c) / n));
            });
            m.put("top_commands_per_event", perEvent.entrySet().stream().limit(10)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
            m.put("commands_per_event_by_command", perEvent);
            m.put("usec_per_call_by_command", usPerCall);
            m.put("redis_cpu_us_per_event", round(cpuUs / events));
            m.put("redis_main_thread_cpu_us_per_event", round(mainCpuUs / events));
            m.put("redis_idle_cpu_us_per_event", round(idleCpuUs / events));
            m.put("used_memory_bytes_per_order", round(memory / orders));
            m.put("keys_per_order", round(keys / orders));
            if (!notes.isEmpty()) {
                m.put("notes", notes);
            }
            return m;
        }

        /** used_cpu_sys + used_cpu_user (suffix "" for all threads, "_main_thread" for the main one), seconds. */
        private static double cpu(Properties p, String prefix, String suffix) {
            return num(p, prefix + "used_cpu_sys" + suffix) + num(p, prefix + "used_cpu_user" + suffix);
        }

        private static double delta(Properties p, String key) {
            return num(p, "after." + key) - orZero(p, "before." + key);
        }

        private static double orZero(Properties p, String key) {
            return p.getProperty(key) == null ? 0 : num(p, key);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }

    private static Map<String, Object> asMap(Properties p) {
        Map<String, Object> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> {
            double v = num(p, k);
            m.put(k, Double.isNaN(v) ? p.getProperty(k) : (Object) round(v));
        });
        return m;
    }

    private static double num(Properties p, String key) {
        try {
            return Double.parseDouble(p.getProperty(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A count or a rate the driver wrote as a whole number; null when it wrote none. */
    private static Long whole(double v) {
        return Double.isNaN(v) ? null : Math.round(v);
    }

    private static Object round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 100) / 100.0;
    }

    private static String f0(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double part, double whole) {
        return whole > 0 ? String.format(Locale.ROOT, "%.1f %%", 100 * part / whole) : "—";
    }

    /** gnuplot skips "?" as a missing point. */
    private static String dat(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "?" : String.format(Locale.ROOT, "%.3f", v);
    }
}
