package io.ordersvc.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Redis on loopback, with an append-only file so that a restart keeps the read model, and the
 * memory policy the service expects (evict only views with a time to live).
 */
final class RedisServer implements StackServer {

    private final Path home;
    private final Path binary;
    private final int port;

    RedisServer(Path home, Path binary, int port) {
        this.home = home;
        this.binary = binary;
        this.port = port;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public int port() {
        return port;
    }

    private Path pidFile() {
        return home.resolve("redis.pid");
    }

    private Optional<ProcessHandle> process() {
        return OsProcesses.readPid(pidFile()).flatMap(pid -> OsProcesses.ours(pid, binary.toString()));
    }

    @Override
    public boolean isRunning() {
        return process().isPresent() && answersPing();
    }

    @Override
    public void start() {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(home.resolve("data"));
            binary.toFile().setExecutable(true, false);
            long pid = OsProcesses.spawn(home, List.of(binary.toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                    "--dir", home.resolve("data").toString(), "--save", "",
                    "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no",
                    "--maxmemory", "512mb", "--maxmemory-policy", "volatile-lru"),
                    home.resolve("redis.log"));
            Files.writeString(pidFile(), Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!OsProcesses.waitUntil(this::isRunning, Duration.ofSeconds(15))) {
            throw new IllegalStateException("redis did not start; see " + home.resolve("redis.log"));
        }
    }

    @Override
    public void stop() {
        process().ifPresent(p -> OsProcesses.terminate(p, Duration.ofSeconds(10)));
    }

    @Override
    public Optional<ProcessHandle> mainProcess() {
        return process();
    }

    @Override
    public void kill() {
        process().ifPresent(OsProcesses::kill);
    }

    /** Kills it and deletes its data, as a lost disk would: the next start begins empty. */
    void wipe() {
        kill();
        OsProcesses.deleteTree(home.resolve("data"));
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
