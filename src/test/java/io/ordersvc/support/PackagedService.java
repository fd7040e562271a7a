package io.ordersvc.support;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The packaged service (JVM, prod profile) as an OS process of its own, on a free port. */
public final class PackagedService implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final URI management;
    private final Path log;

    private PackagedService(Process process, URI base, URI management, Path log) {
        this.process = process;
        this.base = base;
        this.management = management;
        this.log = log;
    }

    /** Starts {@code target/quarkus-app} with the given environment and waits until it is ready. */
    public static PackagedService start(String name, Map<String, String> environment) {
        try {
            int port = freePort();
            int managementPort = freePort();
            Path log = Path.of("target", name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            // health and metrics are on the management interface in the prod profile
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            PackagedService service = new PackagedService(builder.start(), URI.create("http://127.0.0.1:" + port + "/"),
                    URI.create("http://127.0.0.1:" + managementPort + "/"), log);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The native executable when the build made one (failsafe names it in {@code native.image.path}
     * under {@code -Pnative}), else the JVM fast-jar.
     */
    private static List<String> command() {
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            return List.of(Path.of(nativeImage).toAbsolutePath().toString(), "-Xmx512m");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                "target/quarkus-app/quarkus-run.jar");
    }

    public URI base() {
        return base;
    }

    public URI resolve(String path) {
        return base.resolve(path);
    }

    public Process process() {
        return process;
    }

    /** What the service logged, for a failure message. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast("the service exited:\n" + log(), () -> !process.isAlive())
                .until(() -> {
                    try {
                        return http.send(HttpRequest.newBuilder(management.resolve("/q/health/ready")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** Asks the service to stop (SIGTERM), as Kubernetes does, and waits for it to exit. */
    public boolean stop(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** Health and metrics (the management interface). */
    public URI management() {
        return management;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
