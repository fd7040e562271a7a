package io.ordersvc.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** The loopback ports of one stack, kept beside it so that restarts and other processes find them. */
public record StackPorts(int postgres, int replica, int redis, int kafka, int kafkaController) {

    /** Fixed ports for dev mode, so that application.properties can name them. */
    public static StackPorts dev() {
        return new StackPorts(15432, 15433, 16379, 19092, 19093);
    }

    public static StackPorts free() {
        return new StackPorts(OsProcesses.freePort(), OsProcesses.freePort(), OsProcesses.freePort(),
                OsProcesses.freePort(), OsProcesses.freePort());
    }

    static Optional<StackPorts> load(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            return Optional.of(new StackPorts(port(p, "postgres"), port(p, "replica"), port(p, "redis"),
                    port(p, "kafka"), port(p, "kafka.controller")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void save(Path file) {
        Properties p = new Properties();
        p.setProperty("postgres", String.valueOf(postgres));
        p.setProperty("replica", String.valueOf(replica));
        p.setProperty("redis", String.valueOf(redis));
        p.setProperty("kafka", String.valueOf(kafka));
        p.setProperty("kafka.controller", String.valueOf(kafkaController));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "ports of this local stack");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int port(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key).trim());
    }
}
