package io.ordersvc.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of latencies in milliseconds. */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static Percentiles ofNanos(List<Long> nanos) {
        double[] ms = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        if (ms.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(ms.length, rank(ms, 50), rank(ms, 95), rank(ms, 99), ms[ms.length - 1]);
    }

    /** The first {@code count} values of {@code nanos}, without boxing: a fan-out step yields a million. */
    static Percentiles ofNanos(long[] nanos, int count) {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        Arrays.sort(ms);
        if (ms.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(ms.length, rank(ms, 50), rank(ms, 95), rank(ms, 99), ms[ms.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50_ms", round(p50));
        m.put("p95_ms", round(p95));
        m.put("p99_ms", round(p99));
        m.put("max_ms", round(max));
        return m;
    }

    String row(String name) {
        return String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f |", name, count, p50, p95, p99, max);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public String toString() {
        return Arrays.toString(new double[] {p50, p95, p99, max});
    }
}
