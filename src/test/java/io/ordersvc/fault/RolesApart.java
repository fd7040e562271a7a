package io.ordersvc.fault;

import io.ordersvc.fault.FaultScenarios.Goal;
import io.ordersvc.fault.FaultScenarios.Run;
import io.ordersvc.fault.FaultScenarios.Scenario;
import io.ordersvc.fault.Instances.Role;
import io.ordersvc.fault.Instances.Spec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The roles as separate processes, as one Deployment per role runs them: one command instance, two
 * relays (one leads, one stands by), two projectors and two query instances, each with only its
 * role switched on, on the stack's topics of 4 partitions, under the suite's mixed load and SSE
 * followers. During the load it stops, one after the other and with SIGTERM as a scale-down or a
 * node drain does: a projector (its intent on stopping is to leave, {@code ORDERSVC_PROJECTOR_ON_STOP=leave},
 * so the other takes its partitions over at once), a query instance (its followers resume on the other with
 * {@code Last-Event-ID}: in production the load balancer sends them there, here the followers pick
 * the other base URL) and the leading relay (the standby takes the outbox lock). Each takeover is
 * timed from the signal and from the moment the stopped instance let go; the suite's convergence
 * check then holds every acknowledged command, view, list, counter and follower to the primary.
 */
final class RolesApart {

    static final String NAME = "roles-apart";

    /** The projectors' consumers, by the client ids the messaging connector gives them. */
    static final String ORDER_CONSUMER = "order-events";
    static final String PRODUCT_CONSUMER = "product-events";
    /** How long a stop may take, signal to exit, and a takeover after it (a projector's close waits for its consumers). */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private RolesApart() {
    }

    /** Heaps kept small: seven service JVMs and the servers share the machine. */
    static List<Spec> layout() {
        return List.of(
                new Spec("command-a", EnumSet.of(Role.COMMAND), "384m"),
                new Spec("relay-a", EnumSet.of(Role.RELAY), "256m"),
                new Spec("relay-b", EnumSet.of(Role.RELAY), "256m"),
                // scaled down, not restarted: a projector that stops leaves its groups (ProjectorMembership)
                new Spec("projector-a", EnumSet.of(Role.PROJECTOR), "320m").with(ScaleDown.ON_STOP, "leave"),
                new Spec("projector-b", EnumSet.of(Role.PROJECTOR), "320m").with(ScaleDown.ON_STOP, "leave"),
                new Spec("query-a", EnumSet.of(Role.QUERY), "384m"),
                new Spec("query-b", EnumSet.of(Role.QUERY), "384m"));
    }

    /**
     * Commands per second: a quarter of the suite's 40, since seven cold JVMs share two cores here and
     * the one command instance, given a fraction of a core while they all compile, times out 40/s.
     */
    static final int COMMANDS_PER_SECOND = 10;

    static Scenario scenario(Goal stopsFast, Goal catchUp, Goal noLoss, Goal noDivergence, Goal sseClean, Goal noFailedReadsDuring) {
        return new Scenario(NAME, "roles as separate processes (1 command, 2 relays, 2 projectors, 2 query);"
                + " SIGTERM to a projector, a query instance and the leading relay, one after the other", layout(),
                COMMANDS_PER_SECOND, RolesApart::stopOneOfEach, List.of(
                        new Goal("orders.events partitions shared by the projectors ≥ 3", m -> m.extras.get("order_partitions"),
                                v -> v instanceof Number n && n.intValue() >= 3),
                        new Goal("the other projector holds every partition of both topics ≤ 5 s after the SIGTERM",
                                m -> m.extras.get("projector_sigterm_to_takeover_s"), FaultScenarios.atMost(5)),
                        new Goal("followers of the stopped query instance (≥ 1): each streams from the other ≤ 3 s after its"
                                + " stream ended", m -> followersResumed(m.extras), FaultScenarios.atMost(3)),
                        new Goal("the standby relay leads ≤ 5 s after the leader let go (gave up its lock or exited)",
                                m -> m.extras.get("relay_takeover_after_release_s"), FaultScenarios.atMost(5)),
                        new Goal("0 failed command requests", m -> m.commandAttemptsFailedDuringFault, FaultScenarios.zero()),
                        stopsFast, noFailedReadsDuring, catchUp, noLoss, noDivergence, sseClean));
    }

    private static Object followersResumed(Map<String, Object> extras) {
        return extras.get("query_followers") instanceof Number n && n.intValue() > 0
                ? extras.get("query_takeover_after_release_s") : null;
    }

    static void stopOneOfEach(Run run) throws Exception {
        Instances.Instance projector = run.instances.named("projector-a");
        Instances.Instance stoppedProjector = run.instances.named("projector-b");
        Instances.Instance query = run.instances.named("query-a");
        Instances.Instance stoppedQuery = run.instances.named("query-b");
        List<Instances.Instance> relays = run.instances.running(Role.RELAY);
        Instances.Instance leader = awaitLeader(relays);
        Instances.Instance standby = relays.stream().filter(r -> r != leader).findFirst().orElseThrow();
        double held = orderPartitions(projector);
        double total = held + orderPartitions(stoppedProjector);
        double products = productPartitions(projector) + productPartitions(stoppedProjector);
        run.extras.put("order_partitions", (int) total);
        run.extras.put("projector_a_partitions_before", (int) held);
        run.fault();

        // a consumer that closes lets go of its partitions only when it has gone: its exit is the release
        stop(run, "projector", stoppedProjector, null,
                () -> orderPartitions(projector) == total && productPartitions(projector) == products);

        List<SseFollowers.Follower> onStopped = run.followers.followers.stream()
                .filter(f -> f.streamingFrom() == stoppedQuery).toList();
        run.extras.put("query_followers", onStopped.size());
        stop(run, "query", stoppedQuery, () -> onStopped.stream().noneMatch(f -> f.streamingFrom() == stoppedQuery),
                () -> onStopped.stream().allMatch(f -> f.streamingFrom() == query));

        run.extras.put("relay_leader_before", leader.name);
        stop(run, "relay", leader, () -> metric(leader, "ordersvc_relay_leader", "") != 1,
                () -> metric(standby, "ordersvc_relay_leader", "") == 1);
        run.heal();
    }

    /**
     * SIGTERM to {@code stopped}, then waits for the takeover; records, in seconds from the signal,
     * when the stopped instance let go ({@code released}: its streams ended, its lock was given up;
     * null: when it exited), when it exited, and when {@code takenOver} held; and the takeover's own
     * time, from the release ({@code <what>_takeover_after_release_s}). The time from the signal to
     * the release is the stopping instance's shutdown, which a busy machine slows; the time after it
     * is the takeover's.
     */
    static void stop(Run run, String what, Instances.Instance stopped, BooleanSupplier released,
            BooleanSupplier takenOver) throws Exception {
        long signalled = System.nanoTime();
        AtomicLong exitedAt = new AtomicLong();
        CompletableFuture<Boolean> exit = CompletableFuture.supplyAsync(() -> {
            boolean exited = terminate(run.instances, stopped);
            exitedAt.set(System.nanoTime());
            return exited;
        });
        long releasedAt = 0;
        long takenAt = 0;
        while (takenAt == 0 && System.nanoTime() - signalled < 2 * BOUND.toNanos()) {
            if (releasedAt == 0 && released != null && released.getAsBoolean()) {
                releasedAt = System.nanoTime();
            }
            if (takenOver.getAsBoolean()) {
                takenAt = System.nanoTime();
            }
            Instances.sleep(100);
        }
        boolean exited = exit.get(BOUND.toSeconds() + 5, TimeUnit.SECONDS);
        if (releasedAt == 0 && exited) {
            releasedAt = exitedAt.get();
        }
        run.extras.put(what + "_stopped", stopped.name);
        run.extras.put(what + "_sigterm_to_exit_s", exited ? run.since(signalled, exitedAt.get()) : "did not exit in " + BOUND);
        run.extras.put(what + "_sigterm_to_release_s", releasedAt == 0 ? "not seen" : run.since(signalled, releasedAt));
        run.extras.put(what + "_sigterm_to_takeover_s", takenAt == 0 ? "not within " + 2 * BOUND.toSeconds() + " s"
                : run.since(signalled, takenAt));
        if (takenAt != 0 && releasedAt != 0) {
            run.extras.put(what + "_takeover_after_release_s", run.since(releasedAt, Math.max(releasedAt, takenAt)));
        }
        ScenarioRun.log("%s: %s stopped: SIGTERM → release %s s, → exit %s s, → taken over %s s", run.scenario.name(), stopped.name,
                run.extras.get(what + "_sigterm_to_release_s"), run.extras.get(what + "_sigterm_to_exit_s"),
                run.extras.get(what + "_sigterm_to_takeover_s"));
    }

    private static boolean terminate(Instances instances, Instances.Instance i) {
        try {
            return instances.terminate(i, BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The relay that leads, once exactly one does (they race for the lock at start). */
    private static Instances.Instance awaitLeader(List<Instances.Instance> relays) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            List<Instances.Instance> leading = new ArrayList<>();
            for (Instances.Instance r : relays) {
                if (metric(r, "ordersvc_relay_leader", "") == 1) {
                    leading.add(r);
                }
            }
            if (leading.size() == 1) {
                return leading.get(0);
            }
            Instances.sleep(250);
        }
        throw new IllegalStateException("no single relay led within " + BOUND);
    }

    /** How many orders.events partitions the projector's consumer holds, by its client's metrics. */
    static double orderPartitions(Instances.Instance projector) {
        return metric(projector, "kafka_consumer_coordinator_assigned_partitions", ORDER_CONSUMER);
    }

    /** How many products.events partitions the catalog projector's consumer holds. */
    static double productPartitions(Instances.Instance projector) {
        return metric(projector, "kafka_consumer_coordinator_assigned_partitions", PRODUCT_CONSUMER);
    }

    /**
     * The sum of a metric's series on {@code /q/metrics} whose labels contain {@code labelPart};
     * -1 when the instance does not answer or has no such series.
     */
    static double metric(Instances.Instance i, String name, String labelPart) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(i.management.resolve("/q/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            double sum = 0;
            boolean found = false;
            for (String line : r.body().split("\n")) {
                boolean series = line.startsWith(name + "{") || line.startsWith(name + " ");
                if (series && line.substring(name.length()).contains(labelPart)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? sum : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
