package io.ordersvc.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the fuzzer saw: statuses by endpoint and by mutation, latencies, and each kind of finding. */
public final class FuzzReport {

    public static final String SERVER_ERROR = "5xx";
    public static final String NO_ANSWER = "no answer";
    public static final String ACCEPTED = "state-changing method answered 2xx";
    public static final String NOT_A_PROBLEM = "4xx not application/problem+json";
    public static final String NO_FIELD = "400 naming no field";
    public static final String NOT_UNAUTHORIZED = "spoiled token not refused with 401 problem+json and WWW-Authenticate: Bearer";
    /**
     * Not a finding: a request that is not HTTP (a control character in a header line, a target
     * that is not a URI, such as {@code ?limit=%zz}) or passes the server's limit of the request
     * line (4096 bytes) is refused by the HTTP server itself (Netty, and Quarkus's check of the
     * target) with a bare 400 or 414, before the service sees it.
     */
    public static final String NOT_HTTP = "not HTTP or over the request line's limit, refused by the HTTP server (bare 400/414)";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT_PER_FINDING = 15;

    private final Map<String, Map<Integer, AtomicLong>> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, AtomicLong>> byMutation = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> findingCounts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> findingExamples = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> slowestByEndpoint = new ConcurrentHashMap<>();
    private final AtomicLongArray nanos;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong raw = new AtomicLong();

    public FuzzReport(int capacity) {
        this.nanos = new AtomicLongArray(capacity);
    }

    public void record(RequestFuzzer.Request request, FuzzClient.Outcome outcome) {
        sent.incrementAndGet();
        if (outcome.raw()) {
            raw.incrementAndGet();
        }
        nanos.set((int) request.index(), outcome.nanos());
        slowestByEndpoint.computeIfAbsent(request.endpoint(), e -> new AtomicLong()).accumulateAndGet(outcome.nanos(), Math::max);
        count(byEndpoint, request.endpoint(), outcome.status());
        count(byMutation, request.mutation().replaceFirst("@.*", ""), outcome.status());
        int status = outcome.status();
        if (status == 0) {
            finding(NO_ANSWER, request, outcome);
        } else if (status >= 500) {
            finding(SERVER_ERROR, request, outcome);
        } else {
            if (request.badToken() && !unauthorized(outcome)) {
                finding(NOT_UNAUTHORIZED, request, outcome);
            }
            if (status < 300 && request.unsafe()) {
                finding(ACCEPTED, request, outcome);
            } else if (status >= 400) {
                checkProblem(request, outcome);
            }
        }
    }

    /** A 401 problem+json that challenges for a bearer token. */
    private static boolean unauthorized(FuzzClient.Outcome outcome) {
        if (outcome.status() != 401 || !outcome.contentType().startsWith("application/problem+json")
                || !outcome.wwwAuthenticate().startsWith("Bearer")) {
            return false;
        }
        try {
            return JSON.readTree(outcome.body()).path("status").asInt() == 401;
        } catch (Exception e) {
            return false;
        }
    }

    private void checkProblem(RequestFuzzer.Request request, FuzzClient.Outcome outcome) {
        if ((outcome.status() == 400 || outcome.status() == 414) && outcome.contentType().isEmpty() && notHttp(request)) {
            finding(NOT_HTTP, request, outcome);
            return;
        }
        if (!outcome.contentType().startsWith("application/problem+json")) {
            finding(NOT_A_PROBLEM, request, outcome);
            return;
        }
        try {
            JsonNode problem = JSON.readTree(outcome.body());
            if (problem.path("status").asInt() != outcome.status()) {
                finding(NOT_A_PROBLEM, request, outcome);
            } else if (outcome.status() == 400 && !problem.path("errors").path(0).hasNonNull("field")) {
                finding(NO_FIELD, request, outcome);
            }
        } catch (Exception e) {
            finding(NOT_A_PROBLEM, request, outcome);
        }
    }

    /** Whether a header line holds a control character (tab aside), or the target is not a URI or too long. */
    private static boolean notHttp(RequestFuzzer.Request request) {
        if (request.method().length() + request.target().length() + " HTTP/1.1".length() + 1 > 4096) {
            return true;
        }
        try {
            new URI(request.target());
        } catch (URISyntaxException e) {
            return true;
        }
        return request.headers().stream().anyMatch(h -> h.value().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F));
    }

    private static void count(Map<String, Map<Integer, AtomicLong>> table, String row, int status) {
        table.computeIfAbsent(row, r -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    private void finding(String kind, RequestFuzzer.Request request, FuzzClient.Outcome outcome) {
        findingCounts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        List<String> examples = findingExamples.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>()));
        if (examples.size() < KEPT_PER_FINDING) {
            examples.add(describe(request, outcome));
        }
    }

    public long sent() {
        return sent.get();
    }

    public long count(String finding) {
        AtomicLong n = findingCounts.get(finding);
        return n == null ? 0 : n.get();
    }

    public List<String> examples(String finding) {
        return findingExamples.getOrDefault(finding, List.of());
    }

    public Map<Integer, Long> statuses() {
        Map<Integer, Long> all = new TreeMap<>();
        byEndpoint.values().forEach(row -> row.forEach((status, n) -> all.merge(status, n.get(), Long::sum)));
        return all;
    }

    /** The tables and findings, for the test's output. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        long[] sorted = new long[(int) sent.get()];
        for (int i = 0, j = 0; i < nanos.length() && j < sorted.length; i++) {
            if (nanos.get(i) > 0) {
                sorted[j++] = nanos.get(i);
            }
        }
        Arrays.sort(sorted);
        sb.append(String.format("statuses: %s; sent raw over a socket: %d%n", statuses(), raw.get()));
        if (sorted.length > 0) {
            sb.append(String.format("latency ms: p50 %.1f, p99 %.1f, max %.1f%n", ms(sorted[sorted.length / 2]),
                    ms(sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]), ms(sorted[sorted.length - 1])));
        }
        sb.append(table("endpoint", byEndpoint, true));
        sb.append(table("first mutation", byMutation, false));
        for (String kind : List.of(SERVER_ERROR, NO_ANSWER, ACCEPTED, NOT_A_PROBLEM, NO_FIELD, NOT_UNAUTHORIZED, NOT_HTTP)) {
            sb.append(String.format("%s: %d%n", kind, count(kind)));
            examples(kind).forEach(e -> sb.append("    ").append(e).append('\n'));
        }
        return sb.toString();
    }

    private String table(String title, Map<String, Map<Integer, AtomicLong>> rows, boolean slowest) {
        TreeSet<Integer> statuses = new TreeSet<>();
        rows.values().forEach(r -> statuses.addAll(r.keySet()));
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10) + 2;
        StringBuilder sb = new StringBuilder(String.format("%-" + width + "s%7s", title, "total"));
        statuses.forEach(s -> sb.append(String.format("%6d", s)));
        sb.append(slowest ? String.format("%10s", "max ms") : "").append('\n');
        new TreeMap<>(rows).forEach((row, counts) -> {
            sb.append(String.format("%-" + width + "s%7d", row, counts.values().stream().mapToLong(AtomicLong::get).sum()));
            statuses.forEach(s -> sb.append(String.format("%6s", counts.containsKey(s) ? counts.get(s).get() : "")));
            if (slowest) {
                sb.append(String.format("%10.0f", ms(slowestByEndpoint.get(row).get())));
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String describe(RequestFuzzer.Request request, FuzzClient.Outcome outcome) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(request.index()).append(' ').append(request.mutations()).append(": ")
                .append(request.method()).append(' ').append(excerpt(request.target(), 120));
        request.headers().forEach(h -> sb.append(" [").append(h.name()).append(": ").append(excerpt(h.value(), 60)).append(']'));
        if (request.body() != null) {
            sb.append(" body ").append(excerpt(new String(request.body(), StandardCharsets.UTF_8), 200));
        }
        sb.append(" -> ").append(outcome.status()).append(' ').append(outcome.contentType()).append(' ')
                .append(outcome.error() != null ? outcome.error() : excerpt(new String(outcome.body(), StandardCharsets.UTF_8), 300));
        return sb.toString();
    }

    /** The start of a text, with control characters made visible. */
    private static String excerpt(String text, int max) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(max).forEach(c -> {
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || (c >= 0xD800 && c <= 0xDFFF)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return text.length() > max ? sb + "…(" + text.length() + ")" : sb.toString();
    }
}
