package io.ordersvc.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Kafka in KRaft mode: one node that is both broker and controller, run from Maven Central's jars. */
final class KafkaServer implements StackServer {

    private final Path home;
    private final String classpath;
    private final int port;
    private final int controllerPort;

    KafkaServer(Path home, String classpath, int port, int controllerPort) {
        this.home = home;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public int port() {
        return port;
    }

    private Path properties() {
        return home.resolve("server.properties");
    }

    private Path log() {
        return home.resolve("server.log");
    }

    private Optional<ProcessHandle> process() {
        return OsProcesses.readPid(home.resolve("kafka.pid"))
                .flatMap(pid -> OsProcesses.ours(pid, marker()));
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
            Files.createDirectories(home);
            writeConfiguration();
            boolean fresh = !Files.exists(home.resolve("data/meta.properties"));
            if (fresh) {
                OsProcesses.run(home, java("kafka.tools.StorageTool", "format", "--ignore-formatted",
                        "--cluster-id=" + clusterId(), "-c", properties().toString()), Duration.ofSeconds(60));
            }
            long logStart = Files.exists(log()) ? Files.size(log()) : 0;
            long pid = OsProcesses.spawn(home, java("kafka.Kafka", properties().toString()), log());
            Files.writeString(home.resolve("kafka.pid"), Long.toString(pid));
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
            OsProcesses.waitUntil(() -> !process.isAlive() || started(logStart) && isRunning(), Duration.ofSeconds(60));
            if (!isRunning()) {
                throw new IllegalStateException("kafka did not start; see " + log());
            }
            if (fresh) {
                OsProcesses.run(home, withStackClasses(java(KafkaTopics.class.getName(), "127.0.0.1:" + port)),
                        Duration.ofSeconds(60));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean started(long logStart) {
        try {
            String text = Files.readString(log());
            return text.length() > logStart && text.substring((int) Math.min(logStart, text.length()))
                    .contains("Kafka Server started");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void stop() {
        process().ifPresent(p -> OsProcesses.terminate(p, Duration.ofSeconds(30)));
    }

    @Override
    public Optional<ProcessHandle> mainProcess() {
        return process();
    }

    @Override
    public void kill() {
        process().ifPresent(OsProcesses::kill);
    }

    /** First on the command line, since the kernel may cut a command line as long as Kafka's. */
    private String marker() {
        return "-Dordersvc.stack=" + home;
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), marker(),
                "-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties").toUri(),
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The command with this stack's own classes on its class path too (for {@link KafkaTopics}). */
    private static List<String> withStackClasses(List<String> command) {
        List<String> withClasses = new ArrayList<>(command);
        int cp = withClasses.indexOf("-cp") + 1;
        String stackClasses = Path.of(URI.create(KafkaServer.class.getProtectionDomain().getCodeSource().getLocation()
                .toString())).toString();
        withClasses.set(cp, withClasses.get(cp) + File.pathSeparator + stackClasses);
        return withClasses;
    }

    private void writeConfiguration() throws IOException {
        Files.writeString(properties(), """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=4
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, home.resolve("data")));
        Files.writeString(home.resolve("log4j2.properties"), """
                status = warn
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = warn
                rootLogger.appenderRef.out.ref = out
                logger.started.name = kafka.server.KafkaRaftServer
                logger.started.level = info
                # each completed rebalance of a consumer group ("Stabilized group … generation …"): the
                # fault suite counts them (fault/Rebalances)
                logger.groups.name = org.apache.kafka.coordinator.group.GroupMetadataManager
                logger.groups.level = info
                """);
    }

    /**
     * Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. One in 64 starts
     * with '-', which the storage tool would read as an option: it is passed as --cluster-id=ID.
     */
    private static String clusterId() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
