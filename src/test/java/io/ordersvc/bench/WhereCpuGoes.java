package io.ordersvc.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Puts a flight recording's execution samples under the steps of a benchmark run (by time window),
 * and each sample under the part of the stack that spent it: the innermost frame that is not the
 * JDK's own decides (a {@code HashMap.get} called by OpenTelemetry is OpenTelemetry's). The shares
 * are of the Java threads' samples; the JIT compiler and the garbage collector are not sampled, so
 * a step's CPU-µs × share is an estimate of what each part costs, not a measurement of it.
 */
final class WhereCpuGoes {

    /** Parts of the stack, first match wins, in the order a reader looks for levers. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("OpenTelemetry", List.of("io.opentelemetry.", "io.quarkus.opentelemetry."));
        PARTS.put("context propagation", List.of("io.smallrye.context.", "io.quarkus.arc.runtime.context.",
                "io.smallrye.mutiny.context.", "io.quarkus.smallrye.context."));
        PARTS.put("security, JWT", List.of("io.smallrye.jwt.", "io.quarkus.smallrye.jwt.", "io.quarkus.oidc.",
                "io.quarkus.security.", "org.jose4j.", "io.ordersvc.cqrs.security."));
        PARTS.put("validation", List.of("org.hibernate.validator."));
        PARTS.put("metrics", List.of("io.micrometer.", "io.quarkus.micrometer."));
        PARTS.put("logging", List.of("org.jboss.logmanager.", "org.jboss.logging.", "io.quarkus.logging."));
        PARTS.put("Jackson", List.of("com.fasterxml.jackson."));
        PARTS.put("Redis client", List.of("io.vertx.redis.", "io.vertx.mutiny.redis.", "io.quarkus.redis."));
        PARTS.put("PostgreSQL client", List.of("io.vertx.pgclient.", "io.vertx.sqlclient.", "io.vertx.mutiny.sqlclient.",
                "io.vertx.mutiny.pgclient."));
        PARTS.put("Kafka, messaging", List.of("org.apache.kafka.", "io.smallrye.reactive.messaging."));
        PARTS.put("REST layer", List.of("org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive.",
                "io.quarkus.rest."));
        PARTS.put("HTTP routing", List.of("io.vertx.ext.web.", "io.quarkus.vertx.http."));
        PARTS.put("Mutiny", List.of("io.smallrye.mutiny."));
        PARTS.put("CDI (ArC)", List.of("io.quarkus.arc."));
        PARTS.put("the service's code", List.of("io.ordersvc."));
        PARTS.put("Vert.x, Netty (I/O)", List.of("io.vertx.", "io.netty."));
    }

    private static final String JDK = "the JDK alone";

    /** A step of the run, by its window of wall-clock time. */
    record Window(String name, Instant from, Instant to) {
    }

    /** Per step, its samples and their count per part of the stack (most first). */
    record Breakdown(int samples, Map<String, Integer> parts) {
    }

    private WhereCpuGoes() {
    }

    static Map<String, Breakdown> of(Path recording, List<Window> windows) throws IOException {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        windows.forEach(w -> counts.put(w.name(), new LinkedHashMap<>()));
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                Instant at = e.getStartTime();
                for (Window w : windows) {
                    if (!at.isBefore(w.from()) && at.isBefore(w.to())) {
                        counts.get(w.name()).merge(part(e.getStackTrace().getFrames()), 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, Breakdown> result = new LinkedHashMap<>();
        counts.forEach((name, parts) -> {
            Map<String, Integer> sorted = new LinkedHashMap<>();
            parts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(p -> sorted.put(p.getKey(), p.getValue()));
            result.put(name, new Breakdown(parts.values().stream().mapToInt(Integer::intValue).sum(), sorted));
        });
        return result;
    }

    private static String part(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> p : PARTS.entrySet()) {
                if (p.getValue().stream().anyMatch(type::startsWith)) {
                    return p.getKey();
                }
            }
        }
        return JDK;
    }
}
