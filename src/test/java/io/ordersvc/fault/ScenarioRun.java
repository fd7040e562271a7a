package io.ordersvc.fault;

import io.ordersvc.fault.FaultScenarios.Backlog;
import io.ordersvc.fault.FaultScenarios.Measured;
import io.ordersvc.fault.FaultScenarios.Phases;
import io.ordersvc.fault.FaultScenarios.Run;
import io.ordersvc.fault.FaultScenarios.Scenario;
import io.ordersvc.stack.FreshTokens;
import io.ordersvc.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One scenario, start to end: a fresh stack, the service, the load, the fault, convergence, the figures. */
final class ScenarioRun {

    private static final long T0 = System.nanoTime();

    private final Scenario scenario;
    private final Phases phases;
    private final Path dir;
    private final Path dist;
    private final Map<String, Object> result = new LinkedHashMap<>();

    ScenarioRun(Scenario scenario, Phases phases, Path dir, Path dist) {
        this.scenario = scenario;
        this.phases = phases;
        this.dir = dir;
        this.dist = dist;
    }

    static void log(String format, Object... args) {
        System.out.printf("[faults %4ds] %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - T0), String.format(format, args));
        System.out.flush();
    }

    private int offeredBefore;
    private int skippedBefore;

    /** What this run started, for {@link #abort} when the driver itself is asked to stop. */
    private volatile LocalStack stack;
    private volatile Instances instances;

    /** Stops the service and the stack of a run the driver cannot finish (SIGTERM, Ctrl-C). */
    void abort() {
        Instances i = instances;
        if (i != null) {
            i.close();
        }
        LocalStack s = stack;
        if (s != null) {
            s.down();
        }
    }

    Map<String, Object> run() {
        result.put("scenario", scenario.name());
        result.put("fault", scenario.description());
        result.put("instances", scenario.instances());
        result.put("started", Instant.now().toString());
        result.put("loadavg_at_start", loadAverage());
        MixedLoad load = null;
        FreshTokens tokens = null;
        SseFollowers followers = null;
        ProjectionWatch watch = null;
        boolean[] sampling = {true};
        try {
            // the logs of an earlier run of this scenario would mix with this one's
            try (var old = Files.walk(dir)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.nio.file.NoSuchFileException e) {
                // a first run
            }
            Files.createDirectories(dir);
            log("%s: a fresh stack", scenario.name());
            stack = LocalStack.fresh(Path.of("target/stack-faults"), dist);
            stack.up();
            Map<String, String> env = new LinkedHashMap<>(stack.productionEnvironment());
            if (scenario.redisCluster()) {
                log("%s: forming the stack's Redis Cluster", scenario.name());
                stack.upRedisCluster();
                env.putAll(stack.redisClusterEnvironment());
            }
            result.put("redis", scenario.redisCluster() ? "cluster: 3 primaries, a replica each" : "single");
            String jdbcUrl = "jdbc:" + env.get("ORDERS_DB_URL");
            instances = new Instances(env, dir, scenario.layout());
            log("%s: starting %d instance(s) of the service", scenario.name(), scenario.instances());
            // seven JVMs starting at once on two cores take longer than one or two
            instances.startAll(Duration.ofSeconds(Math.max(120, 40L * scenario.instances())));
            // the callers are people of the stack's realm; their tokens outlive the run by renewal, not by lifespan
            tokens = new FreshTokens(stack.users()).renewInBackground();
            load = new MixedLoad(instances, FaultScenarios.CLIENTS, stack.users(), tokens);
            long made = System.nanoTime();
            MixedLoad.Setup setup = load.setUp(3, 1, sparePeople());
            log("%s: the load's people made in the realm in %.1f s", scenario.name(), (System.nanoTime() - made) / 1e9);
            followers = new SseFollowers(instances);
            for (UUID customer : setup.followedCustomers()) {
                followers.followCustomer(customer, load.bearerOf(customer));
            }
            for (MixedLoad.Watched watched : setup.watchedOrders()) {
                followers.followOrder(watched.order(), 1, load.bearerOf(watched.customer()));
            }
            if (!followers.awaitConnected(Duration.ofSeconds(15))) {
                throw new IllegalStateException("SSE followers not connected within 15 s");
            }
            watch = scenario.redisCluster() ? ProjectionWatch.onCluster(stack.redisClusterNodes().values(), load)
                    : new ProjectionWatch(stack.ports().redis(), load);
            ConcurrentLinkedQueue<Backlog> backlog = FaultScenarios.sampleBacklog(jdbcUrl, () -> sampling[0]);
            log("%s: load %d commands/s from %d clients, %d reads/s, %d SSE followers", scenario.name(),
                    scenario.commandsPerSecond(), FaultScenarios.CLIENTS, FaultScenarios.READS_PER_SECOND,
                    followers.followers.size());
            load.start(scenario.commandsPerSecond(), FaultScenarios.READS_PER_SECOND);
            long loadStart = settle(load);
            offeredBefore = load.offered.get();
            skippedBefore = load.skipped.get();
            Instances.sleep(phases.warmSeconds() * 1000L);
            Run run = new Run(scenario, stack, instances, load, followers, watch, jdbcUrl);
            log("%s: injecting the fault", scenario.name());
            scenario.fault().apply(run);
            log("%s: healed after %.1f s; load goes on for %d s", scenario.name(), (run.healAt - run.faultAt) / 1e9,
                    phases.afterSeconds());
            Instances.sleep(phases.afterSeconds() * 1000L);
            load.stop(Duration.ofSeconds(15));
            long loadEnd = System.nanoTime();
            if (run.rebalances != null) {
                run.extras.put("rebalances_from_fault_to_load_end", run.rebalances.since());
            }
            log("%s: load stopped (%d still in flight); checking convergence (≤ %d s)", scenario.name(), load.inFlight(),
                    phases.convergeSeconds());
            Convergence.Result convergence = new Convergence(jdbcUrl, instances, load, followers, "Bearer " + stack.users().staff())
                    .check(Duration.ofSeconds(phases.convergeSeconds()));
            sampling[0] = false;
            Measured m = measure(run, convergence, backlog, instances, loadStart, loadEnd);
            record(run, m, convergence, backlog, loadStart, loadEnd);
            List<Map<String, Object>> goals = new ArrayList<>();
            boolean passed = true;
            for (FaultScenarios.Goal g : scenario.goals()) {
                Object measured = g.measure().apply(m);
                boolean met = measured != null && g.met().test(measured);
                passed &= met;
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("goal", g.goal());
                v.put("measured", measured == null ? "not reached" : measured);
                v.put("met", met);
                goals.add(v);
            }
            result.put("goals", goals);
            result.put("passed", passed);
            log("%s: %s", scenario.name(), passed ? "every goal met" : "GOALS MISSED: " + goals.stream()
                    .filter(g -> !(Boolean) g.get("met")).map(g -> g.get("goal") + " (" + g.get("measured") + ")").toList());
        } catch (Exception | AssertionError e) {
            log("%s: the run broke off: %s", scenario.name(), e);
            result.put("error", e.toString());
            result.put("passed", false);
        } finally {
            sampling[0] = false;
            if (watch != null) {
                watch.close();
            }
            if (followers != null) {
                followers.close();
            }
            if (load != null) {
                load.close();
            }
            if (tokens != null) {
                tokens.close();
            }
            abort();
        }
        if (instances != null) {
            stops(instances);
        }
        result.put("ended", Instant.now().toString());
        result.put("loadavg_at_end", loadAverage());
        try {
            Files.writeString(dir.resolve("result.json"), Results.json(result));
        } catch (Exception e) {
            log("could not write %s: %s", dir.resolve("result.json"), e);
        }
        return result;
    }

    /**
     * Customers each client makes in the realm beforehand for the registrations under load (3 % of
     * its commands), enough for the load's usual length here: settling, the warm phase, a fault of
     * up to two minutes and the phase after it.
     */
    private int sparePeople() {
        int loadSeconds = 30 + phases.warmSeconds() + 120 + phases.afterSeconds();
        return (int) Math.ceil(0.03 * scenario.commandsPerSecond() * loadSeconds / FaultScenarios.CLIENTS);
    }

    /**
     * Every SIGTERM the run sent and how long its instance took to exit: during the load (the
     * fault's stops) and at the end (every instance left, the load over); and the slowest under load
     * per role, an instance counting for each role it runs.
     */
    private void stops(Instances instances) {
        List<Map<String, Object>> each = new ArrayList<>();
        Map<String, Object> slowest = new TreeMap<>();
        for (Instances.Stop stop : instances.stops) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("instance", stop.instance());
            one.put("roles", stop.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList());
            one.put("s", stop.seconds() == null ? "did not exit" : stop.seconds());
            one.put("under_load", stop.underLoad());
            each.add(one);
            if (stop.underLoad()) {
                for (Instances.Role role : stop.roles()) {
                    slowest.merge(role.name().toLowerCase(), stop.seconds() == null ? "did not exit" : stop.seconds(),
                            (a, b) -> a instanceof Double x && b instanceof Double y ? Math.max(x, y) : "did not exit");
                }
            }
        }
        result.put("sigterm_to_exit", each);
        result.put("sigterm_to_exit_max_s_under_load_by_role", slowest);
    }

    /**
     * A service just started runs cold (the JIT, on a shared 2-core box) and may time out at first:
     * the load runs until a few seconds in a row (5, quick: 3) went by with every command answered 2xx within 1 s (at most
     * 90 s), and only then does measuring start. What was acknowledged before still counts for
     * convergence.
     */
    private long settle(MixedLoad load) {
        long began = System.nanoTime();
        long deadline = began + TimeUnit.SECONDS.toNanos(90);
        long calmSince = began;
        while (System.nanoTime() < deadline) {
            Instances.sleep(500);
            long now = System.nanoTime();
            long since = now - TimeUnit.MILLISECONDS.toNanos(500);
            boolean calm = load.attempts.stream().filter(a -> a.answeredAt() >= since)
                    .allMatch(a -> a.ok() && a.answeredAt() - a.sentAt() <= TimeUnit.SECONDS.toNanos(1));
            boolean stuck = load.inFlight() > scenario.commandsPerSecond();
            if (!calm || stuck) {
                calmSince = now;
            } else if (now - calmSince >= TimeUnit.SECONDS.toNanos(phases.calmSeconds())) {
                break;
            }
        }
        long settled = System.nanoTime();
        result.put("settle_s", seconds(settled - began));
        result.put("settled", settled < deadline);
        log("%s: the service settled after %.1f s of load", scenario.name(), (settled - began) / 1e9);
        return settled;
    }

    private Measured measure(Run run, Convergence.Result convergence, ConcurrentLinkedQueue<Backlog> backlog,
            Instances instances, long loadStart, long loadEnd) {
        Measured m = new Measured();
        m.convergence = convergence;
        m.extras = run.extras;
        Predicate<Long> duringFault = t -> t >= run.faultAt && t <= run.healAt;
        m.commandsFailed = (int) run.load.failures.stream().filter(f -> f.sentAt() >= loadStart).count();
        m.commandsFailedDuringFault = (int) run.load.failures.stream().filter(f -> duringFault.test(f.sentAt())).count();
        m.commandAttemptsFailedDuringFault = (int) run.load.attempts.stream().filter(a -> !a.ok() && duringFault.test(a.sentAt())).count();
        m.readsFailedDuringFault = (int) run.load.reads.stream().filter(r -> !r.ok() && duringFault.test(r.sentAt())).count();
        m.staleReadsDuringFault = (int) run.load.reads.stream().filter(r -> r.stale() && duringFault.test(r.sentAt())).count();
        m.readMaxSecondsDuringFault = seconds(run.load.reads.stream().filter(r -> duringFault.test(r.sentAt()))
                .mapToLong(r -> r.answeredAt() - r.sentAt()).max().orElse(0));
        m.livenessMaxSecondsDuringFault = seconds(instances.liveness.stream().filter(p -> duringFault.test(p.at()))
                .mapToLong(Instances.Probe::nanos).max().orElse(0));
        // in flight at the fault or sent during it; answered in time: within 1 s of the later of the
        // fault and its sending, a 503 problem+json with Retry-After, or its result (any answer under 500)
        List<MixedLoad.Attempt> faultAttempts = run.load.attempts.stream()
                .filter(a -> a.answeredAt() >= run.faultAt && a.sentAt() <= run.healAt).toList();
        if (!faultAttempts.isEmpty()) {
            long proper = faultAttempts.stream().filter(a -> (a.status() == 503 && a.problemJson() && a.retryAfter()
                    || a.status() >= 200 && a.status() < 500)
                    && a.answeredAt() - Math.max(a.sentAt(), run.faultAt) <= TimeUnit.SECONDS.toNanos(1)).count();
            m.primaryDownProperShare = Math.round(1000.0 * proper / faultAttempts.size()) / 1000.0;
            if (scenario.name().equals("primary-down")) {
                result.put("attempts_overlapping_the_fault_not_answered_in_time", faultAttempts.stream()
                    .filter(a -> !(a.status() == 503 && a.problemJson() && a.retryAfter() || a.status() >= 200 && a.status() < 500)
                            || a.answeredAt() - Math.max(a.sentAt(), run.faultAt) > TimeUnit.SECONDS.toNanos(1))
                    .limit(20).map(a -> String.format("sent %+.2fs from the fault %s → %s after %.2f s", (a.sentAt() - run.faultAt) / 1e9,
                            a.kind(), a.outcome(), (a.answeredAt() - a.sentAt()) / 1e9)).toList());
            }
        }
        long lastFailure = run.load.attempts.stream().filter(a -> !a.ok() && a.sentAt() >= run.healAt)
                .mapToLong(MixedLoad.Attempt::answeredAt).max().orElse(run.healAt);
        m.commandsOkAfterHealSeconds = seconds(lastFailure - run.healAt);
        m.catchUpSeconds = catchUp(run);
        m.deadLettered = deadLettered(instances);
        List<Instances.Stop> stopped = instances.stops.stream().filter(Instances.Stop::underLoad).toList();
        m.sigtermToExitMaxSeconds = stopped.isEmpty() || stopped.stream().anyMatch(s -> s.seconds() == null) ? null
                : stopped.stream().mapToDouble(Instances.Stop::seconds).max().orElseThrow();
        m.backlogDrainSeconds = backlog.stream().filter(b -> b.at() >= run.healAt && b.unpublished() == 0).findFirst()
                .map(b -> seconds(b.at() - run.healAt)).orElse(null);
        return m;
    }

    /**
     * Seconds from the heal until every order command acknowledged from shortly before the fault
     * (or, when the fault wiped Redis, from the fault) to a second after the heal was projected;
     * null when some never were.
     */
    private Double catchUp(Run run) {
        List<MixedLoad.Ack> window = run.load.acks.stream().filter(ProjectionWatch::isOrderCommand)
                .filter(a -> a.ackedAt() >= run.faultAt - run.lookbackNanos && a.ackedAt() <= run.healAt + TimeUnit.SECONDS.toNanos(1))
                .toList();
        long unprojected = window.stream().filter(a -> !run.watch.projectedAt.containsKey(a)).count();
        result.put("catch_up_commands", window.size());
        result.put("catch_up_unprojected", unprojected);
        if (unprojected > 0) {
            return null;
        }
        long last = window.stream().mapToLong(a -> run.watch.projectedAt.get(a)).max().orElse(run.healAt);
        return seconds(Math.max(0, last - run.healAt));
    }

    /** Records sent to a dead-letter topic, as the messaging connector logs each one (SRMSG18202); null when a log cannot be read. */
    private static Integer deadLettered(Instances instances) {
        int n = 0;
        for (Instances.Instance i : instances.all()) {
            try (var lines = Files.lines(i.log)) {
                n += (int) lines.filter(line -> line.contains("SRMSG18202")).count();
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return null;
            }
        }
        return n;
    }

    private void record(Run run, Measured m, Convergence.Result c, ConcurrentLinkedQueue<Backlog> backlog, long loadStart,
            long loadEnd) {
        double loadSeconds = (loadEnd - loadStart) / 1e9;
        double faultSeconds = Math.max(0.001, (run.healAt - run.faultAt) / 1e9);
        MixedLoad l = run.load;
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("commands_per_s_asked", scenario.commandsPerSecond());
        load.put("commands_offered", l.offered.get() - offeredBefore);
        load.put("commands_not_offered_in_flight_cap", l.skipped.get() - skippedBefore);
        load.put("registrations_not_offered_no_realm_person", l.registrationsWithoutPerson.get());
        load.put("commands_per_s_offered", round((l.offered.get() - offeredBefore) / loadSeconds));
        long acked = l.acks.stream().filter(a -> a.sentAt() >= loadStart).count();
        load.put("commands_per_s_acknowledged", round(acked / loadSeconds));
        load.put("commands_per_s_acknowledged_during_fault", round(l.acks.stream()
                .filter(a -> a.ackedAt() >= run.faultAt && a.ackedAt() <= run.healAt).count() / faultSeconds));
        load.put("reads_per_s", round(measuredReads(l, loadStart) / loadSeconds));
        load.put("seconds", round(loadSeconds));
        result.put("load", load);
        result.put("per_second", perSecond(l, loadStart, loadEnd));

        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("at_s", round((run.faultAt - loadStart) / 1e9));
        fault.put("healed_at_s", round((run.healAt - loadStart) / 1e9));
        fault.put("lasted_s", round(faultSeconds));
        fault.putAll(run.extras);
        result.put("timeline", fault);

        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("attempts", l.attempts.stream().filter(a -> a.sentAt() >= loadStart).count());
        commands.put("attempts_failed_by_outcome", countBy(l.attempts.stream().filter(a -> !a.ok() && a.sentAt() >= loadStart)
                .map(MixedLoad.Attempt::outcome).toList()));
        commands.put("attempts_failed_while_settling", l.attempts.stream().filter(a -> !a.ok() && a.sentAt() < loadStart).count());
        commands.put("attempts_failed_during_fault_by_outcome", countBy(l.attempts.stream()
                .filter(a -> !a.ok() && a.sentAt() >= run.faultAt && a.sentAt() <= run.healAt).map(MixedLoad.Attempt::outcome).toList()));
        commands.put("attempts_failed_examples", l.attempts.stream().filter(a -> !a.ok() && a.sentAt() >= loadStart)
                .sorted(java.util.Comparator.comparingLong(MixedLoad.Attempt::sentAt)).limit(12)
                .map(a -> String.format("t=%.1fs %s %s → %s after %.2f s", (a.sentAt() - loadStart) / 1e9, a.kind(), a.instance(),
                        a.outcome(), (a.answeredAt() - a.sentAt()) / 1e9)).toList());
        commands.put("acknowledged", l.acks.size());
        List<MixedLoad.Failure> failures = l.failures.stream().filter(f -> f.sentAt() >= loadStart).toList();
        commands.put("failed_after_retries", failures.size());
        commands.put("failed_after_retries_by_outcome", countBy(failures.stream().map(MixedLoad.Failure::lastOutcome).toList()));
        commands.put("failed_examples", failures.stream().limit(5)
                .map(f -> f.kind() + " " + f.aggregateId() + ": " + f.lastOutcome() + " " + f.detail()).toList());
        commands.put("failed_during_fault", m.commandsFailedDuringFault);
        commands.put("lost", c.lost());
        commands.put("lost_by_kind", c.lostByKind());
        commands.put("latency_max_s_during_fault", seconds(l.attempts.stream()
                .filter(a -> a.sentAt() >= run.faultAt && a.sentAt() <= run.healAt).mapToLong(a -> a.answeredAt() - a.sentAt()).max().orElse(0)));
        if (m.primaryDownProperShare != null && scenario.name().equals("primary-down")) {
            commands.put("share_answered_in_time_503_problem_retry_after_or_result", m.primaryDownProperShare);
        }
        result.put("commands", commands);

        Map<String, Object> reads = new LinkedHashMap<>();
        List<MixedLoad.Read> measuredReads = l.reads.stream().filter(r -> r.sentAt() >= loadStart).toList();
        reads.put("total", measuredReads.size());
        reads.put("failed_by_outcome", countBy(measuredReads.stream().filter(r -> !r.ok()).map(MixedLoad.Read::outcome).toList()));
        // the first of each outcome, with who read and what the answer said
        reads.put("failed_examples", measuredReads.stream().filter(r -> !r.ok())
                .collect(java.util.stream.Collectors.toMap(MixedLoad.Read::outcome, r -> String.format("t=%.1fs %s",
                        (r.sentAt() - loadStart) / 1e9, r.detail()), (first, later) -> first, TreeMap::new)));
        reads.put("failed_during_fault", m.readsFailedDuringFault);
        reads.put("read_your_writes_violations", measuredReads.stream().filter(MixedLoad.Read::stale).count());
        reads.put("read_your_writes_violations_during_fault", m.staleReadsDuringFault);
        reads.put("sources", countBy(measuredReads.stream().filter(MixedLoad.Read::ok).map(r -> String.valueOf(r.source())).toList()));
        reads.put("answered_during_fault", l.reads.stream().filter(r -> r.ok() && r.sentAt() >= run.faultAt
                && r.sentAt() <= run.healAt).count());
        reads.put("sources_during_fault", countBy(l.reads.stream().filter(r -> r.ok() && r.sentAt() >= run.faultAt
                && r.sentAt() <= run.healAt).map(r -> String.valueOf(r.source())).toList()));
        reads.put("latency_max_s_during_fault", m.readMaxSecondsDuringFault);
        reads.put("liveness_max_s_during_fault", m.livenessMaxSecondsDuringFault);
        List<Instances.Probe> probes = instances.liveness.stream().filter(p -> p.at() >= run.faultAt && p.at() <= run.healAt).toList();
        reads.put("readiness_down_share_during_fault", probes.isEmpty() ? null
                : Math.round(1000.0 * probes.stream().filter(p -> !p.ready()).count() / probes.size()) / 1000.0);
        result.put("reads", reads);

        Map<String, Object> convergence = new LinkedHashMap<>();
        convergence.put("orders", c.orders());
        convergence.put("divergent_views", c.divergentViews());
        convergence.put("divergent_examples", c.divergentExamples());
        convergence.put("products", c.productsChecked());
        convergence.put("divergent_products", c.divergentProducts());
        convergence.put("write_side_mismatches", c.writeSideMismatches());
        convergence.put("customers", c.customers());
        convergence.put("divergent_lists", c.divergentLists());
        convergence.put("missing_list_entries", c.missingListEntries());
        convergence.put("sales_match", c.salesMatch());
        convergence.put("sales_difference", c.salesDifference());
        convergence.put("seconds_to_converge", c.secondsToConverge());
        result.put("convergence", convergence);

        Map<String, Object> sse = new LinkedHashMap<>();
        sse.put("followers", c.followers().size());
        sse.put("delivered", c.followers().stream().mapToInt(f -> f.verdict().delivered()).sum());
        sse.put("missing", c.sseMissing());
        sse.put("duplicates", c.sseDuplicates());
        sse.put("out_of_order_or_unexpected", c.sseOutOfOrder());
        sse.put("resets", c.sseResets());
        sse.put("position_gaps", c.followers().stream().mapToInt(f -> f.verdict().positionGaps()).sum());
        sse.put("reconnects", c.followers().stream().mapToInt(f -> f.connects() - 1).sum());
        List<Map<String, Object>> each = new ArrayList<>();
        for (Convergence.FollowerResult f : c.followers()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("follower", f.follower());
            one.put("connects", f.connects());
            one.put("clean_ends", f.cleanEnds());
            one.put("breaks", f.breaks());
            one.put("refused", f.refusals());
            one.put("reset_reasons", f.resetReasons());
            one.put("verdict", f.verdict().toString());
            each.add(one);
        }
        sse.put("each", each);
        result.put("sse", sse);

        Map<String, Object> recovery = new LinkedHashMap<>();
        recovery.put("catch_up_s", m.catchUpSeconds);
        recovery.put("commands_ok_after_heal_s", m.commandsOkAfterHealSeconds);
        recovery.put("outbox_backlog_max", backlog.stream().mapToLong(Backlog::unpublished).max().orElse(0));
        recovery.put("outbox_drained_after_heal_s", m.backlogDrainSeconds);
        recovery.put("dead_lettered", m.deadLettered);
        result.put("recovery", recovery);
    }

    private static long measuredReads(MixedLoad l, long loadStart) {
        return l.reads.stream().filter(r -> r.sentAt() >= loadStart).count();
    }

    /** Second by second from the load's start: what was acknowledged, what failed, how slow commands were. */
    private static Map<String, Object> perSecond(MixedLoad l, long loadStart, long loadEnd) {
        int n = (int) Math.ceil((loadEnd - loadStart) / 1e9) + 1;
        int[] acks = new int[n];
        int[] failed = new int[n];
        int[] readsFailed = new int[n];
        long[] slowest = new long[n];
        java.util.function.LongToIntFunction second = t -> (int) Math.max(0, Math.min(n - 1, (t - loadStart) / 1_000_000_000L));
        l.acks.stream().filter(a -> a.ackedAt() >= loadStart).forEach(a -> acks[second.applyAsInt(a.ackedAt())]++);
        for (MixedLoad.Attempt a : l.attempts) {
            if (a.sentAt() < loadStart) {
                continue;
            }
            if (!a.ok()) {
                failed[second.applyAsInt(a.answeredAt())]++;
            }
            int s = second.applyAsInt(a.sentAt());
            slowest[s] = Math.max(slowest[s], (a.answeredAt() - a.sentAt()) / 1_000_000);
        }
        l.reads.stream().filter(r -> !r.ok() && r.sentAt() >= loadStart).forEach(r -> readsFailed[second.applyAsInt(r.answeredAt())]++);
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("commands_acknowledged", acks);
        series.put("command_attempts_failed", failed);
        series.put("command_slowest_ms_by_second_sent", slowest);
        series.put("reads_failed", readsFailed);
        return series;
    }

    /** The machine's load average (1, 5, 15 min): this box is shared, and a busy one slows every figure. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static Map<String, Integer> countBy(List<String> values) {
        Map<String, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
