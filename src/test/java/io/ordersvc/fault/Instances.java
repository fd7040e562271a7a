package io.ordersvc.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged service's instances (JVM, prod profile) as OS processes on fixed loopback ports, and
 * the client-side balancer in front of them: a probe polls each one's readiness every 250 ms, as an
 * orchestrator's endpoint controller would, and requests go round-robin to the ready ones (to every
 * one still running and not stopping when none is ready, so that a single instance with a dependency
 * down still gets traffic).
 * The probe also times the liveness endpoint, which answers on the event loop: a slow one means a
 * starved loop. An instance runs every role, or only some ({@link Spec}), as a Deployment per role
 * does; commands then go to the instances that run the command side and reads and change streams to
 * those that run the query side, as a path-routing load balancer sends them.
 */
final class Instances implements AutoCloseable {

    /** The service's roles, each switched by {@code ORDERSVC_ROLES_<ROLE>}. */
    enum Role { COMMAND, RELAY, PROJECTOR, QUERY }

    /**
     * One instance to run: its name (also its {@code ORDERS_INSTANCE_ID}), the roles it runs, its heap,
     * and settings of its own on top of the suite's environment.
     */
    record Spec(String name, Set<Role> roles, String heap, Map<String, String> environment) {

        Spec(String name, Set<Role> roles, String heap) {
            this(name, roles, heap, Map.of());
        }

        /** The same instance with one setting more. */
        Spec with(String variable, String value) {
            Map<String, String> more = new java.util.LinkedHashMap<>(environment);
            more.put(variable, value);
            return new Spec(name, roles, heap, Map.copyOf(more));
        }

        static List<Spec> allRoles(int count) {
            List<Spec> specs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                specs.add(new Spec("instance-" + (char) ('a' + i), EnumSet.allOf(Role.class), "512m"));
            }
            return specs;
        }
    }

    /** One stop by SIGTERM: the instance, its roles, how long it took to exit (null: it did not), and whether the load still ran. */
    record Stop(String instance, Set<Role> roles, Double seconds, boolean underLoad) {
    }

    /** One probe: when it was sent (nanoTime), how long liveness took, its status (-1: no answer), and readiness. */
    record Probe(String instance, long at, long nanos, int status, boolean ready) {
    }

    static final class Instance {
        final String name;
        final Set<Role> roles;
        final String heap;
        final int port;
        final URI base;
        /** Health and metrics: the management interface's port, apart from the API's. */
        final URI management;
        final Path log;
        final Map<String, String> environment;
        volatile Process process;
        volatile boolean ready;
        /** Sent SIGTERM: never picked when no instance is ready, as a terminating pod's endpoint is not. */
        volatile boolean stopping;

        Instance(Spec spec, int port, Path log) {
            this.name = spec.name();
            this.roles = Set.copyOf(spec.roles());
            this.heap = spec.heap();
            this.port = port;
            this.base = URI.create("http://127.0.0.1:" + port);
            this.management = URI.create("http://127.0.0.1:" + freePort());
            this.log = log;
            this.environment = spec.environment();
        }

        boolean alive() {
            Process p = process;
            return p != null && p.isAlive();
        }

        boolean runs(Role role) {
            return roles.contains(role);
        }
    }

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, String> environment;
    private final Path logDir;
    private final List<Instance> instances = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    final ConcurrentLinkedQueue<Probe> liveness = new ConcurrentLinkedQueue<>();
    /** Every SIGTERM and how long its instance took to exit, in the order they were sent. */
    final ConcurrentLinkedQueue<Stop> stops = new ConcurrentLinkedQueue<>();
    private volatile boolean probing = true;
    private final List<Thread> probes = new ArrayList<>();

    Instances(Map<String, String> environment, Path logDir, List<Spec> specs) {
        this.environment = environment;
        this.logDir = logDir;
        for (Spec spec : specs) {
            instances.add(new Instance(spec, freePort(), logDir.resolve(spec.name() + ".log")));
        }
    }

    List<Instance> all() {
        return instances;
    }

    Instance get(int i) {
        return instances.get(i);
    }

    Instance named(String name) {
        return instances.stream().filter(i -> i.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no instance " + name));
    }

    List<Instance> running(Role role) {
        return instances.stream().filter(i -> i.runs(role)).toList();
    }

    /** Starts every instance, waits until each is ready, then starts probing. */
    void startAll(Duration within) {
        instances.forEach(this::spawn);
        instances.forEach(i -> awaitReady(i, within));
        for (Instance i : instances) {
            Thread t = new Thread(() -> probe(i), "probe-" + i.name);
            t.setDaemon(true);
            t.start();
            probes.add(t);
        }
    }

    void spawn(Instance i) {
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + i.heap, "-jar", "target/quarkus-app/quarkus-run.jar")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(i.log.toFile()));
            builder.environment().putAll(environment);
            // stable across the instance's restarts, as a pod's name is: its projector rejoins at once
            builder.environment().put("ORDERS_INSTANCE_ID", i.name);
            for (Role role : Role.values()) {
                if (!i.runs(role)) {
                    builder.environment().put("ORDERSVC_ROLES_" + role.name(), "false");
                }
            }
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(i.port));
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(i.management.getPort()));
            // per-caller limits lifted: a client's retries through an outage would meet the limiter
            // (429) before the fault, and the suite measures the service's behaviour under the fault
            builder.environment().put("ORDERSVC_LIMITS_COMMANDS_PER_SECOND", "1000000");
            builder.environment().put("ORDERSVC_LIMITS_COMMAND_BURST", "1000000");
            builder.environment().putAll(i.environment);
            i.ready = false;
            i.stopping = false;
            i.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the instance answers ready; answers how long that took. */
    Duration awaitReady(Instance i, Duration within) {
        long t0 = System.nanoTime();
        long deadline = t0 + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!i.alive()) {
                throw new IllegalStateException(i.name + " exited; see " + i.log);
            }
            if (status(i, "/q/health/ready") == 200) {
                i.ready = true;
                return Duration.ofNanos(System.nanoTime() - t0);
            }
            sleep(100);
        }
        throw new IllegalStateException(i.name + " was not ready within " + within + "; see " + i.log);
    }

    /** SIGKILL, as a crash or an OOM kill would. */
    void kill(Instance i) throws InterruptedException {
        i.ready = false;
        i.process.destroyForcibly();
        i.process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a rolling restart does; waits for it to exit, and records how long that took. */
    boolean terminate(Instance i, Duration within) throws InterruptedException {
        return terminate(i, within, true);
    }

    private boolean terminate(Instance i, Duration within, boolean underLoad) throws InterruptedException {
        long signalled = System.nanoTime();
        i.stopping = true;
        i.process.destroy();
        boolean exited = i.process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        i.ready = false;
        stops.add(new Stop(i.name, i.roles, exited ? Math.round((System.nanoTime() - signalled) / 1e7) / 100.0 : null, underLoad));
        return exited;
    }

    /**
     * The instance a request to {@code side} (command or query) goes to: round-robin over its ready
     * ones; when none is ready, over those still running and not stopping (a process that exited or
     * was sent SIGTERM has no endpoint left, as a deleted or terminating pod has none); when there
     * is none of those either, over all of them.
     */
    Instance pick(Role side) {
        List<Instance> serving = running(side);
        List<Instance> ready = serving.stream().filter(i -> i.ready && i.alive()).toList();
        List<Instance> up = serving.stream().filter(i -> i.alive() && !i.stopping).toList();
        List<Instance> from = !ready.isEmpty() ? ready : !up.isEmpty() ? up : serving;
        return from.get(Math.floorMod(next.getAndIncrement(), from.size()));
    }

    /** Like {@link #pick}, but another instance than {@code avoid} when another is ready. */
    Instance pickOtherThan(Instance avoid, Role side) {
        int serving = running(side).size();
        for (int tries = 0; tries < serving; tries++) {
            Instance i = pick(side);
            if (i != avoid || serving == 1) {
                return i;
            }
        }
        return pick(side);
    }

    private void probe(Instance i) {
        while (probing) {
            if (i.alive()) {
                long t0 = System.nanoTime();
                int live = status(i, "/q/health/live");
                long took = System.nanoTime() - t0;
                i.ready = i.alive() && status(i, "/q/health/ready") == 200;
                liveness.add(new Probe(i.name, t0, took, live, i.ready));
            } else {
                i.ready = false;
            }
            sleep(250);
        }
    }

    private int status(Instance i, String path) {
        try {
            return http.send(HttpRequest.newBuilder(i.management.resolve(path)).timeout(PROBE_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every instance still running, all at once, each with SIGTERM first (its stop recorded, the load over). */
    @Override
    public void close() {
        probing = false;
        List<Thread> stopping = new ArrayList<>();
        for (Instance i : instances) {
            Process p = i.process;
            if (p != null && p.isAlive()) {
                Thread t = new Thread(() -> {
                    try {
                        if (!terminate(i, Duration.ofSeconds(15), false)) {
                            p.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        p.destroyForcibly();
                    }
                }, "stop-" + i.name);
                t.start();
                stopping.add(t);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
