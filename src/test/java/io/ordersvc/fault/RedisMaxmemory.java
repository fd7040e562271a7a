package io.ordersvc.fault;

import io.ordersvc.fault.FaultScenarios.Goal;
import io.ordersvc.fault.FaultScenarios.Run;
import io.ordersvc.fault.FaultScenarios.Scenario;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The single Redis full: mid-load its {@code maxmemory} is set to half the memory it uses, so that
 * every write is refused with OOM while reads still answer; held for 20 s, then set back. For the
 * fault the memory policy is {@code noeviction}: under the configured {@code volatile-lru} Redis would
 * first evict every key with a time to live (views, change streams, counted versions) before it refused
 * a write, which is another fault (mass eviction), not the one this scenario asks about.
 *
 * <p>Heals when {@code maxmemory} and the policy are back; the projector must catch up within 5 s of
 * that, as after a Redis outage (its retries are at most 1 s apart, and 20 s of backlog is less than
 * {@code redis-down-120s} catches up in about 3 s).
 */
final class RedisMaxmemory {

    static final String NAME = "redis-maxmemory";
    static final int HOLD_SECONDS = 20;

    private RedisMaxmemory() {
    }

    static Scenario scenario(Goal... common) {
        List<Goal> goals = new ArrayList<>(List.of(
                new Goal("writes refused with OOM during the fault (the suite's own probe write)",
                        m -> m.extras.get("probe_write_refused_oom"), Boolean.TRUE::equals),
                new Goal("projection caught up ≤ 5 s after memory was freed", m -> m.catchUpSeconds, FaultScenarios.atMost(5))));
        goals.addAll(List.of(common));
        return new Scenario(NAME, "Redis maxmemory set to half its used memory (policy noeviction) for " + HOLD_SECONDS
                + " s: writes refused with OOM, then memory freed", 1, RedisMaxmemory::fillUp, goals);
    }

    static void fillUp(Run run) throws Exception {
        int port = run.stack.ports().redis();
        String maxmemory = configGet(port, "maxmemory");
        String policy = configGet(port, "maxmemory-policy");
        long used = Long.parseLong(RedisWire.info(port, "memory").get("used_memory"));
        long limit = used / 2;
        Map<String, String> errorsBefore = RedisWire.info(port, "errorstats");
        long evictedBefore = evicted(port);
        run.extras.put("used_memory_mb", megabytes(used));
        run.extras.put("maxmemory_during_fault_mb", megabytes(limit));

        // the policy first: with maxmemory below use, the next write would otherwise start evicting
        RedisWire.call(port, "CONFIG", "SET", "maxmemory-policy", "noeviction");
        RedisWire.call(port, "CONFIG", "SET", "maxmemory", Long.toString(limit));
        run.fault();
        run.extras.put("probe_write_refused_oom", probeRefused(port));
        Instances.sleep(HOLD_SECONDS * 1000L);
        RedisWire.call(port, "CONFIG", "SET", "maxmemory", maxmemory);
        RedisWire.call(port, "CONFIG", "SET", "maxmemory-policy", policy);
        run.heal();

        Map<String, String> errorsAfter = RedisWire.info(port, "errorstats");
        run.extras.put("refused_oom", errorCount(errorsAfter, "OOM") - errorCount(errorsBefore, "OOM"));
        // Redis 6.2 answers a script whose write was refused with ERR ("Error running script ... -OOM ..."), not OOM
        run.extras.put("refused_err", errorCount(errorsAfter, "ERR") - errorCount(errorsBefore, "ERR"));
        run.extras.put("evicted_keys", evicted(port) - evictedBefore);
    }

    /** A write of the suite's own to a key nobody reads: refused with OOM while the fault holds. */
    private static boolean probeRefused(int port) throws IOException {
        try {
            RedisWire.call(port, "SET", "fault:probe", "1");
            RedisWire.call(port, "DEL", "fault:probe");
            return false;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("OOM")) {
                return true;
            }
            throw e;
        }
    }

    private static String configGet(int port, String parameter) throws IOException {
        return String.valueOf(((List<?>) RedisWire.call(port, "CONFIG", "GET", parameter)).get(1));
    }

    private static long evicted(int port) throws IOException {
        return Long.parseLong(RedisWire.info(port, "stats").get("evicted_keys"));
    }

    /** {@code errorstat_OOM:count=3} → 3. */
    private static long errorCount(Map<String, String> errorstats, String code) {
        String value = errorstats.get("errorstat_" + code);
        return value == null ? 0 : Long.parseLong(value.substring(value.indexOf('=') + 1).split(",")[0]);
    }

    private static double megabytes(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 100) / 100.0;
    }
}
