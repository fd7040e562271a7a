package io.ordersvc.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Process, port and user helpers for the local stack. JDK only, so it runs before any build. */
final class OsProcesses {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private OsProcesses() {
    }

    static boolean isRoot() {
        return ROOT;
    }

    /** Runs a command to completion; fails with its output when it exits non-zero. */
    static String run(Path workDir, List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("stack-cmd", ".log");
            try {
                Process p = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out after " + timeout + ": " + command);
                }
                String output = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("exit " + p.exitValue() + " from " + command + "\n" + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running server detached from our streams, so it outlives this JVM if asked to. */
    static long spawn(Path workDir, List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process with this pid whose command line mentions {@code marker}: ours, not a reused pid. */
    static Optional<ProcessHandle> ours(long pid, String marker) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(true));
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readString(pidFile).lines().findFirst().orElse("").trim();
            return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, then SIGKILL when it has not exited in time. */
    static void terminate(ProcessHandle process, Duration grace) {
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!waitUntil(() -> !process.isAlive(), grace)) {
            process.destroyForcibly();
            waitUntil(() -> !process.isAlive(), Duration.ofSeconds(5));
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static void kill(ProcessHandle process) {
        process.destroyForcibly();
        waitUntil(() -> !process.isAlive(), Duration.ofSeconds(5));
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to a process and all its descendants. */
    static void signal(ProcessHandle process, String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(process.pid())));
        process.descendants().forEach(d -> command.add(Long.toString(d.pid())));
        run(Path.of("."), command, Duration.ofSeconds(10));
    }

    static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a server could listen on this loopback port now. */
    static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
