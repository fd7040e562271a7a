package io.ordersvc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums a JFR recording's execution samples: the hottest frames by self time, the hottest frames of
 * our own and our libraries' packages by inclusive time, and CPU by thread. Args: recording, then
 * optionally a wrk output to quote (or "-"), then optionally a window of epoch milliseconds (from, to):
 * only the samples taken in it (bench/run.sh writes each step's window to its properties).
 */
public final class ProfileSummary {

    private static final List<String> WATCHED = List.of("io.ordersvc.", "org.hibernate.", "io.vertx.", "io.netty.",
            "org.apache.kafka.", "io.smallrye.", "io.quarkus.", "com.fasterxml.jackson.");

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> byPackage = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        int samples = 0;
        long from = args.length > 3 ? Long.parseLong(args[2]) : Long.MIN_VALUE;
        long to = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                    || e.getStartTime().toEpochMilli() < from || e.getStartTime().toEpochMilli() >= to) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            self.merge(name(frames.get(0)), 1, Integer::sum);
            byThread.merge(e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName()
                    .replaceAll("\\d+", "N"), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            Set<String> packages = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n) && WATCHED.stream().anyMatch(n::startsWith)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
                WATCHED.stream().filter(n::startsWith).findFirst().ifPresent(packages::add);
            }
            packages.forEach(p -> byPackage.merge(p, 1, Integer::sum));
        }
        StringBuilder out = new StringBuilder();
        if (args.length > 1 && Files.exists(Path.of(args[1]))) {
            out.append("load during the recording:\n").append(Files.readString(Path.of(args[1]))).append('\n');
        }
        out.append("execution samples: ").append(samples).append("\n\nsamples by thread:\n").append(top(byThread, 8, samples));
        out.append("\nsamples with a frame of (inclusive, by package):\n").append(top(byPackage, 10, samples));
        out.append("\nhottest frames, self time:\n").append(top(self, 25, samples));
        out.append("\nhottest frames of the service's own code, inclusive:\n").append(top(only(inclusive, "io.ordersvc."), 20, samples));
        out.append("\nhottest Hibernate frames, inclusive:\n").append(top(only(inclusive, "org.hibernate."), 25, samples));
        out.append("\nhottest frames of watched packages, inclusive:\n").append(top(inclusive, 40, samples));
        System.out.print(out);
    }

    private static Map<String, Integer> only(Map<String, Integer> counts, String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String top(Map<String, Integer> counts, int n, int total) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .map(e -> String.format("%6.1f %%  %6d  %s", 100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
