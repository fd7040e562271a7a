package io.ordersvc.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The projectors' consumer-group rebalances, as the stack's Kafka broker logs them: one
 * {@code Stabilized group <group> generation <n>} line per completed rebalance (the group
 * coordinator's log, which the stack keeps at INFO). Counted from a mark, so that a scenario can
 * say how many rebalances its fault caused.
 */
final class Rebalances {

    static final List<String> GROUPS = List.of("order-projector", "catalog-projector");

    private final Path brokerLog;
    private final Map<String, Integer> mark;

    private Rebalances(Path brokerLog) {
        this.brokerLog = brokerLog;
        this.mark = counts();
    }

    /** Counts from now on, in the broker log under the stack's directory. */
    static Rebalances from(Path stackDir) {
        return new Rebalances(stackDir.resolve("kafka/server.log"));
    }

    /** Rebalances per group since the mark; null when the broker's log cannot be read. */
    Map<String, Integer> since() {
        Map<String, Integer> now = counts();
        if (now == null || mark == null) {
            return null;
        }
        Map<String, Integer> since = new LinkedHashMap<>();
        GROUPS.forEach(g -> since.put(g, now.get(g) - mark.get(g)));
        return since;
    }

    private Map<String, Integer> counts() {
        try (var lines = Files.lines(brokerLog)) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            GROUPS.forEach(g -> counts.put(g, 0));
            lines.forEach(line -> GROUPS.stream().filter(g -> line.contains("Stabilized group " + g + " generation"))
                    .forEach(g -> counts.merge(g, 1, Integer::sum)));
            return counts;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }
}
