package io.ordersvc.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The real servers the service needs, on loopback, under one working directory: a PostgreSQL
 * primary and its streaming replica, Redis, Kafka (KRaft) and Keycloak, the identity provider whose
 * tokens the service trusts ({@link #users()}); on demand also a Redis Cluster
 * ({@link #upRedisCluster}). Everything it knows lives in that directory (ports, pid files, data),
 * so any process can open the same stack and start, stop or kill one server of it. Not part of the
 * service: only dev mode, tests and benchmarks use it.
 */
public final class LocalStack {

    public static final String POSTGRES = "postgres";
    public static final String REPLICA = "replica";
    public static final String REDIS = "redis";
    public static final String KAFKA = "kafka";
    public static final String KEYCLOAK = "keycloak";
    static final String KEYCLOAK_VERSION = "26.5.6";

    private final Path workDir;
    private final Path dist;
    private final StackPorts ports;
    private final Optional<String> runAs;
    private final Path postgresHome;
    private final PostgresServer primary;
    private final PostgresServer replica;
    private final RedisServer redis;
    private final KafkaServer kafka;
    private final KeycloakServer keycloak;
    private final RedisCluster redisCluster;

    private LocalStack(Path workDir, Path dist, StackPorts ports, boolean publishesTestKey) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.dist = dist.toAbsolutePath().normalize();
        this.ports = ports;
        this.runAs = OsProcesses.isRoot() ? Optional.of(UnprivilegedUser.ensure()) : Optional.empty();
        this.postgresHome = UnprivilegedUser.reachableHome(this.workDir.resolve("postgres"), runAs);
        Path pgBin = postgresHome.resolve("pgsql/bin");
        this.primary = new PostgresServer(POSTGRES, postgresHome.resolve("primary"), pgBin, ports.postgres(), runAs);
        this.replica = new PostgresServer(REPLICA, postgresHome.resolve("replica"), pgBin, ports.replica(), runAs);
        Path redisBinary = this.dist.resolve("redis/redis-server-6.2.6-v5-linux-amd64");
        this.redis = RedisServer.single(this.workDir.resolve("redis"), redisBinary, ports.redis());
        this.kafka = new KafkaServer(this.workDir.resolve("kafka"), kafkaClasspath(this.dist), ports.kafka(),
                ports.kafkaController());
        this.keycloak = new KeycloakServer(this.workDir.resolve("keycloak"), this.dist, ports.keycloak(),
                publishesTestKey ? Optional.of(keysOf(this.workDir)) : Optional.empty());
        this.redisCluster = new RedisCluster(this.workDir.resolve("redis-cluster"), redisBinary, ports.redisCluster());
    }

    /** Opens the stack in {@code workDir}, with the ports it already has, or else {@code defaults}. */
    public static LocalStack open(Path workDir, Path dist, StackPorts defaults) {
        return open(workDir, dist, defaults, false);
    }

    private static LocalStack open(Path workDir, Path dist, StackPorts defaults, boolean publishesTestKey) {
        Path portsFile = workDir.resolve("ports.properties");
        StackPorts ports = StackPorts.load(portsFile, defaults).orElse(defaults);
        ports.save(portsFile);
        return new LocalStack(workDir, dist, ports, publishesTestKey);
    }

    /**
     * A brand-new stack: whatever an earlier run left in {@code workDir} (servers still running
     * after a crash, pid files, data) is stopped and removed first, and fresh ports are picked.
     */
    public static LocalStack fresh(Path workDir, Path dist) {
        if (Files.exists(workDir.resolve("ports.properties"))) {
            open(workDir, dist, StackPorts.free()).down();
        }
        OsProcesses.deleteTree(workDir);
        return open(workDir, dist, StackPorts.free());
    }

    /**
     * The stack the test suite uses; {@code -Dstack.dir} and {@code -Dstack.dist} move it. Its realm
     * also publishes a key of the stack's own ({@link #keys()}), with which the tests' {@code Tokens}
     * mint tokens for callers that need no person behind them; the service trusts that key only
     * because the identity provider publishes it.
     */
    public static LocalStack forTests() {
        return open(Path.of(System.getProperty("stack.dir", "target/stack-test")), defaultDist(), StackPorts.free(), true);
    }

    /** {@link #forTests()}, brand-new (see {@link #fresh}). */
    public static LocalStack freshForTests() {
        Path workDir = Path.of(System.getProperty("stack.dir", "target/stack-test"));
        fresh(workDir, defaultDist());
        return forTests();
    }

    public static Path defaultDist() {
        return Path.of(System.getProperty("stack.dist", "target/stack-dist"));
    }

    public StackPorts ports() {
        return ports;
    }

    public Path workDir() {
        return workDir;
    }

    /** The test stack's own key pair, which its realm publishes (see {@link #forTests}), generated on first use. */
    public SigningKeys keys() {
        return keysOf(workDir);
    }

    private static SigningKeys keysOf(Path workDir) {
        return SigningKeys.in(workDir.resolve("keys"));
    }

    /** The issuer of the tokens the service trusts: the stack's realm in Keycloak. */
    public String issuer() {
        return keycloak.issuer();
    }

    /** The realm's people and their tokens, from the identity provider. */
    public RealmUsers users() {
        return new RealmUsers(ports.keycloak());
    }

    /** Starts whatever is not running yet and answers the names of the servers it started. */
    public List<String> up() {
        return up(Set.of());
    }

    /** {@link #up()}, but for the servers named in {@code without}. */
    public List<String> up(Set<String> without) {
        CompletableFuture<Boolean> keycloakStarted = without.contains(KEYCLOAK) ? CompletableFuture.completedFuture(false)
                : CompletableFuture.supplyAsync(() -> startIfNeeded(keycloak));
        CompletableFuture<Boolean> kafkaStarted = CompletableFuture.supplyAsync(() -> startIfNeeded(kafka));
        List<String> started = new ArrayList<>();
        preparePostgres();
        for (StackServer server : List.of(primary, replica, redis)) {
            if (startIfNeeded(server)) {
                started.add(server.name());
            }
        }
        if (kafkaStarted.join()) {
            started.add(KAFKA);
        }
        if (keycloakStarted.join()) {
            started.add(KEYCLOAK);
        }
        return started;
    }

    /**
     * Starts the Redis Cluster's nodes that are not running (the rest of the stack is left as it
     * is), forms the cluster if it is not formed yet, and waits until every slot is served and each
     * primary has a replica in sync. Answers the names of the nodes it started, as {@link #up} does.
     */
    public List<String> upRedisCluster() {
        return redisCluster.up();
    }

    /** The Redis Cluster's nodes, {@code redis-cluster-1} to {@code redis-cluster-6}, and their ports. */
    public Map<String, Integer> redisClusterNodes() {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        redisCluster.nodes().forEach(node -> nodes.put(node.name(), node.port()));
        return nodes;
    }

    /** {@code redis://127.0.0.1:port} for each node of the Redis Cluster: the seeds a cluster client takes. */
    public List<String> redisClusterHosts() {
        return redisCluster.nodes().stream().map(node -> "redis://127.0.0.1:" + node.port()).toList();
    }

    /** Stops every server, the Redis Cluster's nodes too; nothing of the stack is left running. */
    public void down() {
        List<String> names = new ArrayList<>();
        if (redisCluster.exists()) {
            names.addAll(redisClusterNodes().keySet());
        }
        names.addAll(List.of(KEYCLOAK, KAFKA, REDIS, REPLICA, POSTGRES));
        down(names);
    }

    public void down(List<String> names) {
        names.stream().map(this::server).forEach(StackServer::stop);
    }

    public void start(String name) {
        if (name.equals(POSTGRES) || name.equals(REPLICA)) {
            preparePostgres();
        }
        server(name).start();
    }

    public void stop(String name) {
        server(name).stop();
    }

    public void kill(String name) {
        server(name).kill();
    }

    /** SIGSTOP: the server (and its children) hangs with its sockets open, as a stalled host would. */
    public void pause(String name) {
        server(name).mainProcess().ifPresent(p -> OsProcesses.signal(p, "STOP"));
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(String name) {
        server(name).mainProcess().ifPresent(p -> OsProcesses.signal(p, "CONT"));
    }

    /** Kills the server, deletes its data and starts it again empty; only Redis, whose data is a cache. */
    public void restartEmpty(String name) {
        if (!name.equals(REDIS)) {
            throw new IllegalArgumentException("only redis restarts empty, not " + name);
        }
        redis.wipe();
        redis.start();
    }

    public boolean isRunning(String name) {
        return server(name).isRunning();
    }

    /** The settings that point the service at this stack. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.username", PostgresServer.USER);
        config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/"
                + PostgresServer.DATABASE);
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + ports.postgres() + "/"
                + PostgresServer.DATABASE);
        config.put("quarkus.datasource.replica.username", PostgresServer.USER);
        config.put("quarkus.datasource.replica.password", PostgresServer.PASSWORD);
        config.put("quarkus.datasource.replica.reactive.url", "postgresql://127.0.0.1:" + ports.replica() + "/"
                + PostgresServer.DATABASE);
        config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + ports.redis());
        config.put("kafka.bootstrap.servers", "127.0.0.1:" + ports.kafka());
        config.put("quarkus.oidc.auth-server-url", issuer());
        return config;
    }

    /**
     * The settings that point the packaged service at this stack's Redis Cluster instead, when it has
     * one (none otherwise). Apart from {@link #productionEnvironment}, whose Redis stays the single one.
     */
    public Map<String, String> redisClusterEnvironment() {
        if (!redisCluster.exists()) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORDERS_REDIS_CLIENT_TYPE", "cluster");
        env.put("ORDERS_REDIS_CLUSTER_URL", String.join(",", redisClusterHosts()));
        return env;
    }

    /** The environment that points the packaged service (prod profile) at this stack. */
    public Map<String, String> productionEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORDERS_DB_URL", "postgresql://127.0.0.1:" + ports.postgres() + "/" + PostgresServer.DATABASE);
        env.put("ORDERS_DB_USER", PostgresServer.USER);
        env.put("ORDERS_DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("ORDERS_DB_REPLICA_URL", "postgresql://127.0.0.1:" + ports.replica() + "/" + PostgresServer.DATABASE);
        env.put("ORDERS_REDIS_URL", "redis://127.0.0.1:" + ports.redis());
        env.put("ORDERS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + ports.kafka());
        env.put("STACK_REDIS_PORT", String.valueOf(ports.redis()));
        env.put("ORDERS_OIDC_ISSUER", issuer());
        return env;
    }

    private StackServer server(String name) {
        return switch (name) {
            case POSTGRES -> primary;
            case REPLICA -> replica;
            case REDIS -> redis;
            case KAFKA -> kafka;
            case KEYCLOAK -> keycloak;
            default -> redisCluster.node(name).orElseThrow(() -> new IllegalArgumentException("no server named " + name));
        };
    }

    private static boolean startIfNeeded(StackServer server) {
        if (server.isRunning()) {
            return false;
        }
        server.start();
        return true;
    }

    /** Unpacks PostgreSQL once, and (re)creates the primary and the replica when they are not complete. */
    private void preparePostgres() {
        if (!Files.exists(postgresHome.resolve("pgsql/bin/postgres"))) {
            Path pgsql = postgresHome.resolve("pgsql");
            OsProcesses.deleteTree(pgsql);
            createDirectories(pgsql);
            OsProcesses.run(postgresHome, List.of("tar", "-xJf",
                    dist.resolve("postgres/postgres-linux-x86_64.txz").toString(), "-C", pgsql.toString()),
                    Duration.ofSeconds(120));
        }
        createDirectories(primary.home());
        createDirectories(replica.home());
        runAs.ifPresent(user -> OsProcesses.run(postgresHome, List.of("chown", "-R", user, postgresHome.toString()),
                Duration.ofSeconds(60)));
        boolean newPrimary = !primary.isInitialized();
        if (newPrimary) {
            replica.stop();
            primary.initPrimary();
        }
        if (newPrimary || !replica.isInitialized()) {
            primary.stop();
            replica.initReplicaOf(primary);
        }
    }

    private static String kafkaClasspath(Path dist) {
        Path file = dist.resolve("kafka.classpath");
        try {
            return Files.exists(file) ? Files.readString(file).trim() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code up|down|status|env [--dir DIR] [--dist DIR] [--free-ports] [--redis-cluster] [--without keycloak] [server ...]}, and
     * {@code start|stop|kill|pause|resume server}, {@code restart-empty redis}. A new stack takes the dev ports unless {@code --free-ports}.
     * {@code up} prints the servers it started, so a caller can stop only those; with
     * {@code --redis-cluster} it starts and forms the Redis Cluster too, whose nodes are servers
     * {@code redis-cluster-1} to {@code redis-cluster-6}. {@code env} prints
     * the packaged service's environment (with {@code ORDERS_OIDC_ISSUER}) as shell exports.
     * {@code token USER [PASSWORD]} prints an access token from the stack's identity provider, by the
     * dev realm's password grant, for shell scripts (a seeded person's password is its name).
     */
    public static void main(String[] args) {
        Path dir = Path.of("target/stack-dev");
        Path dist = defaultDist();
        StackPorts defaults = StackPorts.dev();
        boolean withRedisCluster = false;
        Set<String> without = new HashSet<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--dist" -> dist = Path.of(args[++i]);
                case "--free-ports" -> defaults = StackPorts.free();
                case "--redis-cluster" -> withRedisCluster = true;
                case "--without" -> without.add(args[++i]);
                default -> rest.add(args[i]);
            }
        }
        String verb = args.length == 0 ? "status" : args[0];
        LocalStack stack = open(dir, dist, defaults);
        switch (verb) {
            case "up" -> {
                long t0 = System.nanoTime();
                List<String> started = new ArrayList<>(stack.up(without));
                if (withRedisCluster) {
                    started.addAll(stack.upRedisCluster());
                }
                System.err.printf("stack up in %.1f s (%s), ports %s%n", (System.nanoTime() - t0) / 1e9,
                        started.isEmpty() ? "all reused" : "started " + String.join(",", started), stack.ports());
                System.out.println(String.join(" ", started));
            }
            case "down" -> {
                if (rest.isEmpty()) {
                    stack.down();
                } else {
                    stack.down(rest);
                }
            }
            case "start" -> rest.forEach(stack::start);
            case "stop" -> rest.forEach(stack::stop);
            case "kill" -> rest.forEach(stack::kill);
            case "pause" -> rest.forEach(stack::pause);
            case "resume" -> rest.forEach(stack::resume);
            case "restart-empty" -> rest.forEach(stack::restartEmpty);
            case "env" -> {
                stack.productionEnvironment().forEach((k, v) -> System.out.println("export " + k + "='" + v + "'"));
                stack.redisClusterEnvironment().forEach((k, v) -> System.out.println("export " + k + "='" + v + "'"));
            }
            case "token" -> System.out.println(token(stack.users(), rest));
            case "status" -> stack.status().forEach(System.out::println);
            default -> throw new IllegalArgumentException("unknown verb " + verb);
        }
    }

    /** One line per server: its name, running or stopped, its port; a cluster node's role too while it runs. */
    private List<String> status() {
        List<String> lines = new ArrayList<>();
        for (String name : List.of(POSTGRES, REPLICA, REDIS, KAFKA, KEYCLOAK)) {
            lines.add(name + " " + (isRunning(name) ? "running" : "stopped") + " on " + server(name).port());
        }
        if (redisCluster.exists()) {
            for (RedisServer node : redisCluster.nodes()) {
                boolean running = node.isRunning();
                String role = running ? redisCluster.role(node).map(r -> " (" + r + ")").orElse("") : "";
                lines.add(node.name() + " " + (running ? "running" : "stopped") + " on " + node.port() + role);
            }
        }
        return lines;
    }

    /** {@code USER [PASSWORD]}: that person's token from the realm; a seeded person's password is its name. */
    private static String token(RealmUsers users, List<String> person) {
        if (person.isEmpty() || person.size() > 2) {
            throw new IllegalArgumentException("token USER [PASSWORD] (ada, grace, staff, admin), not token "
                    + String.join(" ", person));
        }
        return users.token(person.get(0), person.size() == 2 ? person.get(1) : person.get(0));
    }
}
