package io.ordersvc.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keycloak, the stack's identity provider, run from Maven Central's distribution on a Java of 21 or
 * newer (Keycloak 26 needs it; the service stays on 17). One distribution serves every stack: a
 * stack's own home holds only its data (an H2 file) and links to the distribution's libraries, so
 * that each stack has its own realm and users. The realm {@code ordersvc} is imported at the first
 * start from {@code stack/ordersvc-realm.json} on the class path; a test stack also gets a signing
 * key of its own published in the realm's keys (see {@link SigningKeys}).
 *
 * <p>The distribution is augmented once ({@code kc.sh build}, under a file lock, since two stacks may
 * start at once) and every start is then {@code start --optimized}: on two cores that is ≈ 12 s to a
 * served discovery document instead of ≈ 25 s for {@code start-dev}.
 */
final class KeycloakServer implements StackServer {

    static final String REALM = "ordersvc";
    /** The master realm's administrator, made at the first start; loopback only, dev and tests only. */
    static final String ADMIN_USER = "stack-admin";
    static final String ADMIN_PASSWORD = "stack-admin";

    private final Path home;
    private final Path dist;
    private final int port;
    private final Optional<SigningKeys> publishedKey;

    KeycloakServer(Path home, Path dist, int port, Optional<SigningKeys> publishedKey) {
        this.home = home;
        this.dist = dist;
        this.port = port;
        this.publishedKey = publishedKey;
    }

    @Override
    public String name() {
        return LocalStack.KEYCLOAK;
    }

    @Override
    public int port() {
        return port;
    }

    /** The realm's issuer, as its tokens name it and as its discovery document sits under. */
    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    private Path log() {
        return home.resolve("server.log");
    }

    private Optional<ProcessHandle> process() {
        return OsProcesses.readPid(home.resolve("keycloak.pid")).flatMap(pid -> OsProcesses.ours(pid, marker()));
    }

    @Override
    public boolean isRunning() {
        return process().isPresent() && OsProcesses.portOpen(port);
    }

    @Override
    public void start() {
        if (isRunning()) {
            return;
        }
        try {
            buildOnce();
            Files.createDirectories(home.resolve("data/import"));
            for (String shared : List.of("lib", "providers", "themes", "conf")) {
                Path link = home.resolve(shared);
                if (!Files.isSymbolicLink(link)) {
                    Files.createSymbolicLink(link, distHome().resolve(shared));
                }
            }
            Files.writeString(home.resolve("data/import/" + REALM + "-realm.json"), realm());
            long pid = OsProcesses.spawn(home, java("start", "--optimized", "--http-enabled=true",
                    "--hostname-strict=false", "--http-host=127.0.0.1", "--http-port=" + port, "--import-realm",
                    "--bootstrap-admin-username=" + ADMIN_USER, "--bootstrap-admin-password=" + ADMIN_PASSWORD,
                    "--log-level=warn,org.keycloak.services:info,io.quarkus:info"), log());
            Files.writeString(home.resolve("keycloak.pid"), Long.toString(pid));
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
            OsProcesses.waitUntil(() -> !process.isAlive() || serves(), Duration.ofSeconds(120));
            if (!serves()) {
                throw new IllegalStateException("keycloak did not start; see " + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realm's discovery document is served: the realm is imported and tokens can be had. */
    private boolean serves() {
        if (!OsProcesses.portOpen(port)) {
            return false;
        }
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(issuer() + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void stop() {
        process().ifPresent(p -> OsProcesses.terminate(p, Duration.ofSeconds(30)));
    }

    @Override
    public void kill() {
        process().ifPresent(OsProcesses::kill);
    }

    @Override
    public Optional<ProcessHandle> mainProcess() {
        return process();
    }

    /** The realm to import: the committed one, with the test stack's key among its keys when it has one. */
    private String realm() throws IOException {
        String realm;
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/stack/" + REALM + "-realm.json")) {
            if (in == null) {
                throw new IllegalStateException("no stack/" + REALM + "-realm.json on the class path");
            }
            realm = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (publishedKey.isEmpty()) {
            return realm;
        }
        // priority 0, below the realm's own key: Keycloak never signs with it, it only publishes it
        String component = """
                "components": {"org.keycloak.keys.KeyProvider": [{"name": "stack-test-key", "providerId": "rsa",
                  "config": {"priority": ["0"], "enabled": ["true"], "active": ["true"], "algorithm": ["RS256"],
                  "privateKey": [%s]}}]}""".formatted(RealmUsers.quoted(Files.readString(publishedKey.get().privateKeyFile())));
        return realm.substring(0, realm.lastIndexOf('}')).stripTrailing() + ",\n" + component + "\n}\n";
    }


    private Path distHome() {
        return dist.resolve("keycloak/keycloak-" + LocalStack.KEYCLOAK_VERSION);
    }

    /**
     * {@code kc.sh build} on the distribution, the first time any stack starts it: the distribution's
     * own build is refused by {@code start --optimized} until it has been built here once.
     */
    private void buildOnce() throws IOException {
        Path built = distHome().resolve("lib/quarkus/ordersvc-built");
        if (Files.exists(built)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(distHome().resolve("build.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            if (!Files.exists(built)) {
                List<String> command = new ArrayList<>(javaWithHome(distHome()));
                command.addAll(List.of("build", "--db=dev-file"));
                OsProcesses.run(distHome(), command, Duration.ofMinutes(3));
                Files.writeString(built, "built for start --optimized\n");
            }
        }
    }

    private String marker() {
        return "-Dordersvc.stack=" + home;
    }

    private List<String> java(String... args) {
        List<String> command = new ArrayList<>(javaWithHome(home));
        command.add(1, marker());
        command.addAll(List.of(args));
        return command;
    }

    /** What kc.sh runs, without its shell: the heap held small, startup favoured over peak speed. */
    private List<String> javaWithHome(Path kcHome) {
        return List.of(javaCommand(), "-Xms64m", "-Xmx512m", "-XX:MetaspaceSize=96M", "-XX:MaxMetaspaceSize=256m",
                "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
                "-Djava.security.egd=file:/dev/urandom", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.security=ALL-UNNAMED",
                // JBoss Threads resets thread locals through java.lang on Java 24 and later
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Duser.language=en", "-Duser.country=US",
                "-Djava.util.concurrent.ForkJoinPool.common.threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory",
                "-Dkc.home.dir=" + kcHome, "-Djboss.server.config.dir=" + distHome().resolve("conf"),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dpicocli.disable.closures=true",
                "-cp", distHome().resolve("lib/quarkus-run.jar").toString(), "io.quarkus.bootstrap.runner.QuarkusEntryPoint");
    }

    /**
     * A Java of 21 or newer: {@code KEYCLOAK_JAVA_HOME} when set, else this JVM when it is one, else
     * the machine's second JDK.
     */
    static String javaCommand() {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        Path javaHome = configured != null && !configured.isBlank() ? Path.of(configured)
                : Runtime.version().feature() >= 21 ? Path.of(System.getProperty("java.home"))
                : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        Path java = javaHome.resolve("bin/java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("Keycloak needs Java 21 or newer: set KEYCLOAK_JAVA_HOME (no " + java + ")");
        }
        return java.toString();
    }
}
