package io.ordersvc.fault;

import io.ordersvc.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite: each scenario starts a fresh local stack and the packaged service, runs the mixed
 * load with SSE followers, injects one fault, heals it, lets the load run on, stops it and checks
 * convergence; then it measures the scenario's recovery goals and writes what it saw. A scenario that
 * misses a goal is a result, not an error: the run goes on with the next one.
 *
 * <p>Args: {@code [--quick] [--out DIR] [--dist DIR] [scenario ...]}; no scenario: all of them;
 * {@code --quick}: the short CI subset with shorter phases. Writes {@code DIR/<scenario>/result.json}
 * (and the service logs next to it), and {@code DIR/results.json} + {@code DIR/results.md}.
 * Loopback only; every phase is bounded; every process it starts is stopped at the end.
 */
public final class FaultScenarios {

    /**
     * How long the service must answer calmly before measuring starts, how long the load runs before
     * the fault and after the heal, and how long convergence may take.
     */
    record Phases(int calmSeconds, int warmSeconds, int afterSeconds, int convergeSeconds) {
    }

    static final int COMMANDS_PER_SECOND = 40;
    static final int READS_PER_SECOND = 20;
    static final int CLIENTS = 4;
    static final Phases FULL = new Phases(5, 15, 20, 60);
    static final Phases QUICK = new Phases(3, 5, 8, 30);
    static final List<String> QUICK_SET = List.of("service-kill", "redis-down-10s", RolesApart.NAME);

    /**
     * One scenario: the instances it runs, its command rate, whether the service runs on the stack's
     * Redis Cluster rather than its single Redis, the fault, how it heals, and the goals it is held to.
     */
    record Scenario(String name, String description, List<Instances.Spec> layout, int commandsPerSecond, boolean redisCluster,
            Fault fault, List<Goal> goals) {

        /** A scenario on the single Redis. */
        Scenario(String name, String description, List<Instances.Spec> layout, int commandsPerSecond, Fault fault,
                List<Goal> goals) {
            this(name, description, layout, commandsPerSecond, false, fault, goals);
        }

        /** A scenario on {@code instances} instances that each run every role, at the suite's command rate. */
        Scenario(String name, String description, int instances, Fault fault, List<Goal> goals) {
            this(name, description, Instances.Spec.allRoles(instances), COMMANDS_PER_SECOND, fault, goals);
        }

        /** The same scenario with the service on the stack's Redis Cluster (3 primaries, a replica each). */
        Scenario onRedisCluster() {
            return new Scenario(name, description, layout, commandsPerSecond, true, fault, goals);
        }

        int instances() {
            return layout.size();
        }
    }

    interface Fault {
        /** Injects the fault, marks {@code run.faultAt}, heals it and marks {@code run.healAt}. */
        void apply(Run run) throws Exception;
    }

    /** A goal: its wording, and what was measured against it (null measure: could not be measured). */
    record Goal(String goal, java.util.function.Function<Measured, Object> measure, java.util.function.Predicate<Object> met) {
    }

    record Verdict(String goal, Object measured, boolean met) {
    }

    /** What one run has at hand: the stack, the instances, the load, and the moments of fault and heal. */
    static final class Run {
        final Scenario scenario;
        final LocalStack stack;
        final Instances instances;
        final MixedLoad load;
        final SseFollowers followers;
        final ProjectionWatch watch;
        final String jdbcUrl;
        final Map<String, Object> extras = new LinkedHashMap<>();
        volatile long faultAt;
        volatile long healAt;
        /** The projectors' rebalances, counted from the fault. */
        volatile Rebalances rebalances;
        /** How far before the fault the catch-up measure looks back for commands not projected yet. */
        long lookbackNanos = TimeUnit.SECONDS.toNanos(5);

        Run(Scenario scenario, LocalStack stack, Instances instances, MixedLoad load, SseFollowers followers, ProjectionWatch watch,
                String jdbcUrl) {
            this.scenario = scenario;
            this.stack = stack;
            this.instances = instances;
            this.load = load;
            this.followers = followers;
            this.watch = watch;
            this.jdbcUrl = jdbcUrl;
        }

        void fault() {
            faultAt = System.nanoTime();
            rebalances = Rebalances.from(stack.workDir());
        }

        void heal() {
            healAt = System.nanoTime();
        }

        double since(long t0, long t) {
            return Math.round((t - t0) / 1e7) / 100.0;
        }
    }

    static List<Scenario> scenarios() {
        Goal noLoss = new Goal("0 acknowledged commands lost", m -> m.convergence.lost(), zero());
        Goal noDivergence = new Goal("0 divergent views, lists, sales", m -> m.divergence(), zero());
        Goal sseClean = new Goal("SSE: 0 missing, 0 duplicate, 0 out of order", m -> m.sseFaults(), zero());
        Goal catchUp5 = new Goal("projection caught up ≤ 5 s after heal", m -> m.catchUpSeconds, atMost(5));
        Goal noFailedCommandsDuring = new Goal("0 failed commands during the fault", m -> m.commandsFailedDuringFault, zero());
        Goal noFailedReadsDuring = new Goal("0 failed reads during the fault", m -> m.readsFailedDuringFault, zero());
        Goal stopsFast = new Goal("every instance stopped under load (SIGTERM) exited ≤ 5 s after the signal",
                m -> m.sigtermToExitMaxSeconds, atMost(5));
        Goal noDeadLetters = new Goal("0 records sent to a dead-letter topic (SRMSG18202 in the service's log)",
                m -> m.deadLettered, zero());
        return List.of(
                new Scenario("service-kill", "kill -9 of the service mid-load, restarted at once", 1, run -> {
                    Instances.Instance a = run.instances.get(0);
                    run.fault();
                    run.instances.kill(a);
                    run.instances.spawn(a);
                    Duration ready = run.instances.awaitReady(a, Duration.ofSeconds(120));
                    run.heal();
                    run.extras.put("restart_to_ready_s", ready.toMillis() / 1000.0);
                }, List.of(catchUp5, noLoss, noDivergence, sseClean)),
                new Scenario("rolling-restart", "two instances; SIGTERM one, restart it, then the other", 2, run -> {
                    run.fault();
                    for (Instances.Instance i : List.of(run.instances.get(1), run.instances.get(0))) {
                        long t0 = System.nanoTime();
                        boolean exited = run.instances.terminate(i, Duration.ofSeconds(30));
                        run.extras.put(i.name + "_sigterm_to_exit_s", exited ? run.since(t0, System.nanoTime()) : "did not exit in 30 s");
                        Instances.sleep(2000);
                        run.instances.spawn(i);
                        run.instances.awaitReady(i, Duration.ofSeconds(120));
                        Instances.sleep(3000);
                    }
                    run.heal();
                }, List.of(new Goal("0 failed command requests during the restarts", m -> m.commandAttemptsFailedDuringFault, zero()),
                        new Goal("0 failed commands", m -> m.commandsFailed, zero()), stopsFast, noLoss, noDivergence, sseClean)),
                ScaleDown.scenario(stopsFast, catchUp5, noLoss, noDivergence, sseClean, noFailedReadsDuring),
                redisDown(10, catchUp5, noLoss, noDivergence, sseClean, noFailedCommandsDuring, noFailedReadsDuring),
                redisDown(120, catchUp5, noLoss, noDivergence, sseClean, noFailedCommandsDuring, noFailedReadsDuring),
                new Scenario("redis-restart-empty", "Redis killed and restarted with its data gone", 1, run -> {
                    run.lookbackNanos = 0;
                    run.fault();
                    run.stack.restartEmpty(LocalStack.REDIS);
                    run.heal();
                }, List.of(noDivergence, noLoss, sseClean, catchUp5)),
                new Scenario("redis-pause-5s", "Redis stopped with SIGSTOP for 5 s (sockets open, no answers)", 1, run -> {
                    run.fault();
                    run.stack.pause(LocalStack.REDIS);
                    Instances.sleep(5000);
                    run.stack.resume(LocalStack.REDIS);
                    run.heal();
                }, List.of(new Goal("liveness answers ≤ 1 s during the pause (no event-loop starvation)", m -> m.livenessMaxSecondsDuringFault, atMost(1)),
                        new Goal("reads answer < 5 s during the pause (Redis calls time out)", m -> m.readMaxSecondsDuringFault, below(5)),
                        noFailedReadsDuring, noFailedCommandsDuring, noLoss, noDivergence, sseClean)),
                kafka("kafka-down-30s", "Kafka stopped for 30 s", 30, noFailedCommandsDuring, noLoss, noDivergence, sseClean),
                kafka("kafka-restart", "Kafka broker restarted (stop, start)", 0, noFailedCommandsDuring, noLoss, noDivergence, sseClean),
                new Scenario("replica-down", "replica stopped for 30 s; 30% of reads evict their view first", 1, run -> {
                    run.load.evictBeforeReads(0.3, run.watch::evict);
                    run.fault();
                    run.stack.stop(LocalStack.REPLICA);
                    Instances.sleep(30_000);
                    run.stack.start(LocalStack.REPLICA);
                    run.heal();
                    run.load.evictBeforeReads(0, id -> { });
                }, List.of(noFailedReadsDuring, new Goal("read-your-writes holds during the fault", m -> m.staleReadsDuringFault, zero()),
                        noFailedCommandsDuring, noLoss, noDivergence, sseClean)),
                new Scenario("replica-lag", "replica replay paused for 30 s (pg_wal_replay_pause); 30% of reads evict their view first",
                        1, run -> {
                    run.load.evictBeforeReads(0.3, run.watch::evict);
                    run.fault();
                    replica(run, "SELECT pg_wal_replay_pause()");
                    Instances.sleep(30_000);
                    run.extras.put("replica_orders_behind_at_heal", ordersBehind(run));
                    replica(run, "SELECT pg_wal_replay_resume()");
                    run.heal();
                    run.load.evictBeforeReads(0, id -> { });
                }, List.of(noFailedReadsDuring, new Goal("read-your-writes holds during the fault", m -> m.staleReadsDuringFault, zero()),
                        noFailedCommandsDuring, noLoss, noDivergence, sseClean)),
                new Scenario("primary-down", "PostgreSQL primary stopped for 20 s", 1, run -> {
                    // the fault counts from when the primary becomes unreachable: its fast shutdown ends
                    // every session and refuses new ones at once, then takes a moment to exit
                    run.fault();
                    run.stack.stop(LocalStack.POSTGRES);
                    run.extras.put("primary_stop_s", run.since(run.faultAt, System.nanoTime()));
                    Instances.sleep(20_000);
                    run.stack.start(LocalStack.POSTGRES);
                    run.heal();
                    // what the outage left unknown, asked again as a client would once commands succeed
                    Instances.sleep(3000);
                    run.extras.put("unresolved_resent_after_heal", run.load.resendUnresolved(Duration.ofSeconds(30)));
                }, List.of(new Goal("commands in flight at the fault or sent during it: share answered within 1 s of the fault or"
                                + " of their sending, 503 problem+json with Retry-After or their result",
                                m -> m.primaryDownProperShare, v -> v instanceof Double d && d >= 1.0),
                        new Goal("every command the outage left without an outcome, sent again with its Idempotency-Key"
                                + " after the heal: share answered 2xx (its one outcome)",
                                m -> resentShare(m.extras.get("unresolved_resent_after_heal")), v -> v instanceof Double d && d >= 1.0),
                        noFailedReadsDuring,
                        new Goal("commands succeed again ≤ 5 s after the primary returns", m -> m.commandsOkAfterHealSeconds, atMost(5)),
                        noLoss, noDivergence, sseClean)),
                RolesApart.scenario(stopsFast, catchUp5, noLoss, noDivergence, sseClean, noFailedReadsDuring),
                RedisClusterPrimaryKill.scenario(noLoss, noDivergence, sseClean, noDeadLetters, noFailedCommandsDuring,
                        noFailedReadsDuring),
                RedisMaxmemory.scenario(noLoss, noDivergence, sseClean, noDeadLetters, noFailedCommandsDuring,
                        noFailedReadsDuring));
    }

    /** The share of 2xx among the answers to commands sent again (outcome → count); null when none was sent. */
    private static Double resentShare(Object outcomes) {
        if (!(outcomes instanceof Map<?, ?> m) || m.isEmpty()) {
            return null;
        }
        long all = m.values().stream().mapToLong(n -> ((Number) n).longValue()).sum();
        long ok = m.entrySet().stream().filter(e -> String.valueOf(e.getKey()).startsWith("2"))
                .mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
        return Math.round(1000.0 * ok / all) / 1000.0;
    }

    private static Scenario redisDown(int seconds, Goal... goals) {
        return new Scenario("redis-down-" + seconds + "s", "Redis stopped for " + seconds + " s", 1, run -> {
            run.fault();
            run.stack.stop(LocalStack.REDIS);
            Instances.sleep(seconds * 1000L);
            run.stack.start(LocalStack.REDIS);
            run.heal();
        }, List.of(goals));
    }

    private static Scenario kafka(String name, String description, int seconds, Goal... goals) {
        List<Goal> all = new ArrayList<>(List.of(goals));
        all.add(new Goal("outbox backlog drained after the heal (s)", m -> m.backlogDrainSeconds, v -> v instanceof Number));
        all.add(new Goal("projection caught up after the heal (s)", m -> m.catchUpSeconds, v -> v instanceof Number));
        return new Scenario(name, description, 1, run -> {
            run.fault();
            run.stack.stop(LocalStack.KAFKA);
            Instances.sleep(seconds * 1000L);
            run.stack.start(LocalStack.KAFKA);
            run.heal();
        }, all);
    }

    static java.util.function.Predicate<Object> zero() {
        return v -> v instanceof Number n && n.doubleValue() == 0;
    }

    static java.util.function.Predicate<Object> atMost(double limit) {
        return v -> v instanceof Number n && n.doubleValue() <= limit;
    }

    private static java.util.function.Predicate<Object> below(double limit) {
        return v -> v instanceof Number n && n.doubleValue() < limit;
    }

    /** A statement on the replica as its superuser (the stack's PostgreSQL trusts loopback). */
    private static void replica(Run run, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + run.stack.ports().replica() + "/orders",
                "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long ordersBehind(Run run) throws SQLException {
        return count(run.jdbcUrl, "orders") - count("jdbc:postgresql://127.0.0.1:" + run.stack.ports().replica() + "/orders", "orders");
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "orders", "orders"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = Path.of("target/faults");
        Path dist = LocalStack.defaultDist();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--dist" -> dist = Path.of(args[++i]);
                case "--list" -> {
                    scenarios().forEach(s -> System.out.println(s.name() + "\t" + s.description()));
                    return;
                }
                default -> names.add(args[i]);
            }
        }
        Map<String, Scenario> known = new LinkedHashMap<>();
        scenarios().forEach(s -> known.put(s.name(), s));
        if (names.isEmpty()) {
            names.addAll(quick ? QUICK_SET : known.keySet());
        }
        for (String n : names) {
            if (!known.containsKey(n)) {
                System.err.println("no scenario named " + n + "; known: " + String.join(", ", known.keySet()));
                System.exit(2);
            }
        }
        Phases phases = quick ? QUICK : FULL;
        Files.createDirectories(out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ScenarioRun r = current;
            if (r != null) {
                r.abort();
            }
        }, "faults-abort"));
        List<Map<String, Object>> results = new ArrayList<>();
        for (String n : names) {
            current = new ScenarioRun(known.get(n), phases, out.resolve(n), dist);
            results.add(current.run());
            current = null;
            Results.write(out, results, quick);
        }
        System.out.println(Files.readString(out.resolve("results.md")));
        long met = results.stream().filter(r -> Boolean.TRUE.equals(r.get("passed"))).count();
        // the plain closing line a CI log is read by; a scenario passes when it met every goal
        System.out.println("faults: " + met + " passed, " + (results.size() - met) + " failed");
        System.exit(met == results.size() ? 0 : 1);
    }

    private static volatile ScenarioRun current;

    /** Everything measured in one run that a goal may be held to. */
    static final class Measured {
        Convergence.Result convergence;
        Double catchUpSeconds;
        int commandsFailed;
        int commandsFailedDuringFault;
        int commandAttemptsFailedDuringFault;
        int readsFailedDuringFault;
        int staleReadsDuringFault;
        Double readMaxSecondsDuringFault;
        Double livenessMaxSecondsDuringFault;
        Double primaryDownProperShare;
        Double commandsOkAfterHealSeconds;
        Double backlogDrainSeconds;
        /** The slowest SIGTERM → exit of an instance stopped under load; null: none was, or one did not exit. */
        Double sigtermToExitMaxSeconds;
        /** Records the service sent to a dead-letter topic, as its log says (SRMSG18202); null: its log could not be read. */
        Integer deadLettered;
        /** What the fault itself measured ({@link Run#extras}). */
        Map<String, Object> extras = Map.of();

        Object divergence() {
            return convergence == null ? null : convergence.divergentViews() + convergence.divergentProducts()
                    + convergence.divergentLists() + (convergence.salesMatch() ? 0 : 1);
        }

        Object sseFaults() {
            return convergence == null ? null : convergence.sseMissing() + convergence.sseDuplicates() + convergence.sseOutOfOrder();
        }
    }

    /** One outbox backlog sample: when, and how many events were not yet published (-1: primary away). */
    record Backlog(long at, long unpublished) {
    }

    static ConcurrentLinkedQueue<Backlog> sampleBacklog(String jdbcUrl, java.util.function.BooleanSupplier running) {
        ConcurrentLinkedQueue<Backlog> samples = new ConcurrentLinkedQueue<>();
        Thread t = new Thread(() -> {
            while (running.getAsBoolean()) {
                long now = System.nanoTime();
                try (Connection c = DriverManager.getConnection(jdbcUrl + "?connectTimeout=1&socketTimeout=2", "orders", "orders");
                        Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT count(*) FROM outbox")) {
                    r.next();
                    samples.add(new Backlog(now, r.getLong(1)));
                } catch (SQLException e) {
                    samples.add(new Backlog(now, -1));
                }
                Instances.sleep(1000);
            }
        }, "outbox-backlog");
        t.setDaemon(true);
        t.start();
        return samples;
    }
}
