package io.ordersvc.fault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The suite's results: {@code results.json} (every figure) and {@code results.md} (one row per scenario). */
final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {
    }

    static String json(Object value) throws JsonProcessingException {
        return JSON.writeValueAsString(value);
    }

    static void write(Path out, List<Map<String, Object>> results, boolean quick) throws IOException {
        Files.writeString(out.resolve("results.json"), json(Map.of("quick", quick, "scenarios", results)));
        StringBuilder md = new StringBuilder();
        md.append("| scenario | commands/s offered → acknowledged (during fault) | failed command requests | failed reads |")
                .append(" acknowledged / lost | divergent views, lists, sales | SSE missing / dup / disorder (resets) |")
                .append(" recovery | goals |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : results) {
            md.append("| ").append(r.get("scenario"));
            if (Boolean.FALSE.equals(r.get("settled"))) {
                // the service never answered calmly before the fault: the machine was overloaded
                md.append(" (not settled, load ").append(r.get("loadavg_at_start")).append(")");
            }
            md.append(" | ");
            if (r.containsKey("error") && !r.containsKey("load")) {
                md.append("run broke off: ").append(r.get("error")).append(" | | | | | | | FAILED |\n");
                continue;
            }
            Map<?, ?> load = (Map<?, ?>) r.get("load");
            Map<?, ?> commands = (Map<?, ?>) r.get("commands");
            Map<?, ?> reads = (Map<?, ?>) r.get("reads");
            Map<?, ?> conv = (Map<?, ?>) r.get("convergence");
            Map<?, ?> sse = (Map<?, ?>) r.get("sse");
            Map<?, ?> recovery = (Map<?, ?>) r.get("recovery");
            md.append(load.get("commands_per_s_offered")).append(" → ").append(load.get("commands_per_s_acknowledged"))
                    .append(" (").append(load.get("commands_per_s_acknowledged_during_fault")).append(") | ")
                    .append(counts(commands.get("attempts_failed_by_outcome"))).append(" | ")
                    .append(counts(reads.get("failed_by_outcome"))).append(" | ")
                    .append(commands.get("acknowledged")).append(" / ").append(commands.get("lost")).append(" | ")
                    .append(conv.get("divergent_views")).append(", ").append(conv.get("divergent_lists")).append(", ")
                    .append(Boolean.TRUE.equals(conv.get("sales_match")) ? "ok" : "off").append(" | ")
                    .append(sse.get("missing")).append(" / ").append(sse.get("duplicates")).append(" / ")
                    .append(sse.get("out_of_order_or_unexpected")).append(" (").append(sse.get("resets")).append(") | ")
                    .append("catch-up ").append(orNever(recovery.get("catch_up_s")));
            if ("primary-down".equals(r.get("scenario"))) {
                md.append(", commands ok after ").append(recovery.get("commands_ok_after_heal_s")).append(" s, answered within 1 s of the fault ")
                        .append(commands.get("share_answered_in_time_503_problem_retry_after_or_result"));
                if (r.get("timeline") instanceof Map<?, ?> t && t.get("unresolved_resent_after_heal") instanceof Map<?, ?> resent) {
                    md.append(", left unknown and sent again: ").append(counts(resent));
                }
            }
            if (recovery.get("outbox_drained_after_heal_s") != null && String.valueOf(r.get("scenario")).startsWith("kafka")) {
                md.append(", outbox drained after ").append(recovery.get("outbox_drained_after_heal_s")).append(" s");
            }
            Map<?, ?> timeline = (Map<?, ?>) r.get("timeline");
            if (timeline != null && timeline.containsKey("failover_s")) {
                md.append(", failover ").append(orNever(timeline.get("failover_s")));
            }
            if (RedisMaxmemory.NAME.equals(r.get("scenario"))) {
                md.append(", reads during the fault ").append(reads.get("answered_during_fault")).append(" answered (")
                        .append(counts(reads.get("sources_during_fault"))).append("), ").append(reads.get("failed_during_fault"))
                        .append(" failed");
            }
            if (r.get("sigterm_to_exit_max_s_under_load_by_role") instanceof Map<?, ?> stops && !stops.isEmpty()) {
                md.append(", SIGTERM → exit ").append(stops.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " s")
                        .collect(Collectors.joining(", ")));
            }
            if (timeline != null && timeline.get("rebalances_from_fault_to_load_end") instanceof Map<?, ?> rebalances) {
                md.append(", rebalances ").append(counts(rebalances));
            }
            if (recovery.get("dead_lettered") instanceof Number n && n.intValue() > 0) {
                md.append(", ").append(n).append(" dead-lettered");
            }
            md.append(" | ").append(Boolean.TRUE.equals(r.get("passed")) ? "met" : "MISSED: " + missed(r)).append(" |\n");
        }
        Files.writeString(out.resolve("results.md"), md.toString());
    }

    private static String orNever(Object seconds) {
        return seconds == null ? "never" : seconds + " s";
    }

    private static String counts(Object map) {
        Map<?, ?> m = (Map<?, ?>) map;
        return m == null || m.isEmpty() ? "0" : m.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String missed(Map<String, Object> r) {
        Object goals = r.get("goals");
        if (!(goals instanceof List<?> list)) {
            return String.valueOf(r.get("error"));
        }
        return list.stream().map(g -> (Map<?, ?>) g).filter(g -> !Boolean.TRUE.equals(g.get("met")))
                .map(g -> g.get("goal") + " (" + g.get("measured") + ")").collect(Collectors.joining("; "));
    }
}
