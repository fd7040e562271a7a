package io.ordersvc.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * After the load stops: does what users see agree with what the primary holds? The primary is the
 * judge. Its state rows ({@code orders}, {@code order_lines}) are what {@code evolve} folded from each
 * order's events, written in the same transaction as the events, so comparing a view with them
 * compares it with the fold of its events without a second implementation of the fold here (and
 * without the history endpoint, which reads the replica); that the rows follow the events is
 * checked too (each order's version is its last event's). Everything is read until it agrees or a
 * bound passes, since projections trail their commits:
 *
 * <ul>
 *   <li>every order view ({@code GET /orders/{id}}) equals its rows: status, version, total, address, lines;
 *   <li>every acknowledged command is in its view at the acknowledged version or later (orders,
 *       products), or in the primary (customers, which have no view): else it is lost;
 *   <li>every customer's list ({@code GET /customers/{id}/orders}, every page) lists exactly its orders;
 *   <li>the sales dashboard ({@code GET /stats}) equals a recount of the primary's orders;
 *   <li>every SSE follower got every change once and in order, or a reset and a refetch ({@link FollowerCheck}).
 * </ul>
 *
 * <p>The API is read as staff, who may read every customer's orders and the sales dashboard.
 */
final class Convergence {

    private static final ObjectMapper JSON = new ObjectMapper();

    record OrderRow(UUID id, UUID customerId, String status, BigDecimal total, long version, List<String> address,
            List<String> lines) {
    }

    record FollowerResult(String follower, int connects, int cleanEnds, int breaks, Map<String, Integer> refusals,
            List<String> resetReasons, FollowerCheck.Verdict verdict) {
    }

    record Result(int orders, int divergentViews, List<String> divergentExamples, int productsChecked, int divergentProducts,
            int acknowledged, int lost, Map<String, Integer> lostByKind, int writeSideMismatches, int customers,
            int divergentLists, int missingListEntries, boolean salesMatch, String salesDifference,
            List<FollowerResult> followers, Double secondsToConverge) {

        int sseDuplicates() {
            return followers.stream().mapToInt(f -> f.verdict().duplicates()).sum();
        }

        int sseMissing() {
            return followers.stream().mapToInt(f -> f.verdict().missing()).sum();
        }

        int sseOutOfOrder() {
            return followers.stream().mapToInt(f -> f.verdict().outOfOrder() + f.verdict().unexpected()).sum();
        }

        int sseResets() {
            return followers.stream().mapToInt(f -> f.verdict().resets()).sum();
        }
    }

    private final String jdbcUrl;
    private final Instances instances;
    private final MixedLoad load;
    private final SseFollowers followers;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<UUID, Long> observedVersion = new ConcurrentHashMap<>();
    /** A staff member's {@code Authorization}. */
    private final String staff;

    Convergence(String jdbcUrl, Instances instances, MixedLoad load, SseFollowers followers, String staff) {
        this.staff = staff;
        this.jdbcUrl = jdbcUrl;
        this.instances = instances;
        this.load = load;
        this.followers = followers;
    }

    Result check(Duration bound) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + bound.toNanos();
        Map<UUID, OrderRow> rows = Map.of();
        Map<UUID, String> divergent = new LinkedHashMap<>();
        int listsOff = Integer.MAX_VALUE;
        int missingEntries = 0;
        String salesDifference = "not read";
        Double converged = null;
        Set<UUID> toCheck = null;
        while (true) {
            rows = orderRows();
            if (toCheck == null) {
                toCheck = new HashSet<>(rows.keySet());
            } else {
                // orders committed since the last pass (a command answered late) are checked as well
                rows.keySet().stream().filter(id -> !observedVersion.containsKey(id)).forEach(toCheck::add);
            }
            divergent = divergentViews(rows, toCheck);
            toCheck = new HashSet<>(divergent.keySet());
            int[] lists = listDifferences(rows);
            listsOff = lists[0];
            missingEntries = lists[1];
            salesDifference = salesDifference(rows);
            if (divergent.isEmpty() && listsOff == 0 && salesDifference.isEmpty()) {
                converged = (System.nanoTime() - t0) / 1e9;
                break;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Instances.sleep(500);
        }
        // a final full pass: views that agreed earlier must still agree
        divergent = divergentViews(rows, rows.keySet());
        Map<UUID, String> products = divergentProducts();
        Map<String, Integer> lostByKind = lost(rows);
        List<FollowerResult> sse = followersResult(rows, deadline + Duration.ofSeconds(20).toNanos());
        return new Result(rows.size(), divergent.size(), divergent.values().stream().limit(5).toList(),
                productCount, products.size(), load.acks.size(), lostByKind.values().stream().mapToInt(Integer::intValue).sum(),
                lostByKind, writeSideMismatches(), customerCount, listsOff, missingEntries, salesDifference.isEmpty(),
                salesDifference, sse, divergent.isEmpty() && products.isEmpty() ? converged : null);
    }

    private Connection primary() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "orders", "orders");
    }

    private Map<UUID, OrderRow> orderRows() throws SQLException {
        Map<UUID, List<String>> lines = new HashMap<>();
        Map<UUID, OrderRow> rows = new LinkedHashMap<>();
        try (Connection c = primary(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT order_id, product_id, unit_price, quantity, line_total FROM order_lines"
                    + " ORDER BY order_id, line_no")) {
                while (r.next()) {
                    lines.computeIfAbsent((UUID) r.getObject(1), k -> new ArrayList<>()).add(line(r.getObject(2).toString(),
                            r.getBigDecimal(3), r.getInt(4), r.getBigDecimal(5)));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT id, customer_id, status, total, version, ship_line1, ship_city,"
                    + " ship_postal_code, ship_country FROM orders")) {
                while (r.next()) {
                    UUID id = (UUID) r.getObject(1);
                    rows.put(id, new OrderRow(id, (UUID) r.getObject(2), r.getString(3), r.getBigDecimal(4), r.getLong(5),
                            List.of(r.getString(6), r.getString(7), r.getString(8), r.getString(9)),
                            lines.getOrDefault(id, List.of())));
                }
            }
        }
        return rows;
    }

    private static String line(String product, BigDecimal price, int quantity, BigDecimal total) {
        return product + " " + price.stripTrailingZeros().toPlainString() + " x" + quantity + " = "
                + total.stripTrailingZeros().toPlainString();
    }

    /** The orders among {@code ids} whose view differs from their rows, each with what differs. */
    private Map<UUID, String> divergentViews(Map<UUID, OrderRow> rows, Set<UUID> ids) throws InterruptedException {
        Map<UUID, String> divergent = new ConcurrentHashMap<>();
        Semaphore window = new Semaphore(8);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (UUID id : ids) {
            OrderRow row = rows.get(id);
            window.acquire();
            calls.add(http.sendAsync(get(instances.pick(Instances.Role.QUERY).base.resolve("/orders/" + id)), HttpResponse.BodyHandlers.ofString())
                    .handle((r, failure) -> {
                        window.release();
                        String difference = failure != null ? "no answer: " + MixedLoad.errorKind(failure)
                                : r.statusCode() != 200 ? "answered " + r.statusCode() : difference(row, r.body());
                        if (difference != null) {
                            divergent.put(id, id + ": " + difference);
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        return new TreeMap<>(divergent);
    }

    private String difference(OrderRow row, String body) {
        try {
            JsonNode v = JSON.readTree(body);
            observedVersion.put(row.id(), v.path("version").asLong());
            JsonNode a = v.path("shippingAddress");
            List<String> lines = new ArrayList<>();
            v.path("lines").forEach(l -> lines.add(line(l.path("productId").asText(), new BigDecimal(l.path("unitPrice").asText()),
                    l.path("quantity").asInt(), new BigDecimal(l.path("lineTotal").asText()))));
            List<String> differences = new ArrayList<>();
            compare(differences, "version", row.version(), v.path("version").asLong());
            compare(differences, "status", row.status(), v.path("status").asText());
            compare(differences, "total", row.total().stripTrailingZeros().toPlainString(),
                    new BigDecimal(v.path("total").asText()).stripTrailingZeros().toPlainString());
            compare(differences, "customer", row.customerId().toString(), v.path("customer").path("customerId").asText());
            compare(differences, "address", row.address(), List.of(a.path("line1").asText(), a.path("city").asText(),
                    a.path("postalCode").asText(), a.path("country").asText()));
            compare(differences, "lines", row.lines(), lines);
            return differences.isEmpty() ? null : String.join("; ", differences);
        } catch (IOException | RuntimeException e) {
            return "unreadable view: " + e.getMessage();
        }
    }

    private static void compare(List<String> differences, String field, Object primary, Object view) {
        if (!Objects.equals(primary, view)) {
            differences.add(field + " " + view + " in the view, " + primary + " in the primary");
        }
    }

    private int productCount;

    private Map<UUID, String> divergentProducts() throws Exception {
        Map<UUID, long[]> acked = new HashMap<>();
        for (MixedLoad.Ack a : load.acks) {
            if (a.kind() == MixedLoad.Kind.ADD_PRODUCT || a.kind() == MixedLoad.Kind.REPRICE) {
                acked.merge(a.aggregateId(), new long[] {a.version()}, (x, y) -> x[0] >= y[0] ? x : y);
            }
        }
        Map<UUID, String> divergent = new TreeMap<>();
        try (Connection c = primary(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, version, unit_price FROM products")) {
            while (r.next()) {
                productCount++;
                UUID id = (UUID) r.getObject(1);
                long version = r.getLong(2);
                BigDecimal price = r.getBigDecimal(3);
                HttpResponse<String> answer = http.send(get(instances.pick(Instances.Role.QUERY).base.resolve("/products/" + id)),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    divergent.put(id, "answered " + answer.statusCode());
                    continue;
                }
                JsonNode v = JSON.readTree(answer.body());
                observedVersion.put(id, v.path("version").asLong());
                if (v.path("version").asLong() != version || new BigDecimal(v.path("unitPrice").asText()).compareTo(price) != 0) {
                    divergent.put(id, "version " + v.path("version") + " price " + v.path("unitPrice") + " in the view, "
                            + version + " and " + price + " in the primary");
                }
            }
        }
        return divergent;
    }

    /** Acknowledged commands whose aggregate never reached the acknowledged version where users look. */
    private Map<String, Integer> lost(Map<UUID, OrderRow> rows) throws SQLException {
        Map<UUID, Long> customers = new HashMap<>();
        try (Connection c = primary(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, version FROM customers")) {
            while (r.next()) {
                customers.put((UUID) r.getObject(1), r.getLong(2));
            }
        }
        customerCount = customers.size();
        Map<String, Integer> lost = new TreeMap<>();
        for (MixedLoad.Ack a : load.acks) {
            long seen = a.kind() == MixedLoad.Kind.REGISTER_CUSTOMER ? customers.getOrDefault(a.aggregateId(), 0L)
                    : observedVersion.getOrDefault(a.aggregateId(), 0L);
            if (seen < a.version()) {
                lost.merge(a.kind().name(), 1, Integer::sum);
            }
        }
        return lost;
    }

    private int customerCount;

    private int writeSideMismatches() throws SQLException {
        try (Connection c = primary(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM orders o LEFT JOIN (SELECT aggregate_id, max(version) v,"
                        + " count(*) n FROM events WHERE aggregate_type = 'order' GROUP BY aggregate_id) e ON e.aggregate_id = o.id"
                        + " WHERE e.v IS DISTINCT FROM o.version OR e.n IS DISTINCT FROM o.version")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** [customers whose list differs, entries missing from lists]. */
    private int[] listDifferences(Map<UUID, OrderRow> rows) throws SQLException {
        Map<UUID, Set<UUID>> expected = new HashMap<>();
        try (Connection c = primary(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM customers")) {
            while (r.next()) {
                expected.put((UUID) r.getObject(1), new HashSet<>());
            }
        }
        rows.values().forEach(o -> expected.computeIfAbsent(o.customerId(), k -> new HashSet<>()).add(o.id()));
        int off = 0;
        int missing = 0;
        for (Map.Entry<UUID, Set<UUID>> e : expected.entrySet()) {
            Set<UUID> listed = listed(e.getKey());
            if (listed == null || !listed.equals(e.getValue())) {
                off++;
                Set<UUID> absent = new HashSet<>(e.getValue());
                if (listed != null) {
                    absent.removeAll(listed);
                }
                missing += absent.size();
            }
        }
        return new int[] {off, missing};
    }

    private Set<UUID> listed(UUID customer) {
        Set<UUID> ids = new HashSet<>();
        String cursor = null;
        try {
            do {
                URI uri = instances.pick(Instances.Role.QUERY).base.resolve("/customers/" + customer + "/orders?limit=100"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
                HttpResponse<String> r = http.send(get(uri), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return null;
                }
                JsonNode page = JSON.readTree(r.body());
                page.path("items").forEach(i -> ids.add(UUID.fromString(i.path("orderId").asText())));
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null);
            return ids;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** What differs between {@code GET /stats} and a recount of the primary's orders; empty when nothing does. */
    private String salesDifference(Map<UUID, OrderRow> rows) throws Exception {
        Map<String, String> recount = new TreeMap<>();
        long changes;
        try (Connection c = primary(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT status, count(*), sum(total) FROM orders GROUP BY status")) {
                while (r.next()) {
                    recount.put("status " + r.getString(1), r.getLong(2) + " / " + r.getBigDecimal(3).stripTrailingZeros().toPlainString());
                }
            }
            try (ResultSet r = s.executeQuery("SELECT to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*), sum(total)"
                    + " FROM orders GROUP BY 1")) {
                while (r.next()) {
                    recount.put("day " + r.getString(1), r.getLong(2) + " / " + r.getBigDecimal(3).stripTrailingZeros().toPlainString());
                }
            }
            // the dashboard's version counts the events that move it: placings and status changes
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM events WHERE aggregate_type = 'order'"
                    + " AND event_type <> 'ShippingAddressChanged'")) {
                r.next();
                changes = r.getLong(1);
            }
        }
        recount.put("version", Long.toString(changes));
        HttpResponse<String> r = http.send(get(instances.pick(Instances.Role.QUERY).base.resolve("/stats?days=366")),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return "GET /stats answered " + r.statusCode();
        }
        JsonNode stats = JSON.readTree(r.body());
        Map<String, String> shown = new TreeMap<>();
        stats.path("byStatus").forEach(f -> {
            if (f.path("orders").asLong() != 0 || new BigDecimal(f.path("revenue").asText()).signum() != 0) {
                shown.put("status " + f.path("key").asText(), f.path("orders").asLong() + " / "
                        + new BigDecimal(f.path("revenue").asText()).stripTrailingZeros().toPlainString());
            }
        });
        stats.path("byDay").forEach(f -> shown.put("day " + f.path("key").asText(), f.path("orders").asLong() + " / "
                + new BigDecimal(f.path("revenue").asText()).stripTrailingZeros().toPlainString()));
        shown.put("version", Long.toString(stats.path("version").asLong()));
        List<String> differences = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(recount.keySet());
        keys.addAll(shown.keySet());
        for (String k : keys) {
            if (!Objects.equals(recount.get(k), shown.get(k))) {
                differences.add(k + ": " + shown.get(k) + " shown, " + recount.get(k) + " recounted");
            }
        }
        return String.join("; ", differences);
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header("Authorization", staff).build();
    }

    /** Waits (bounded) until every follower has all it should, then judges each one's log. */
    private List<FollowerResult> followersResult(Map<UUID, OrderRow> rows, long deadline) {
        List<FollowerResult> results = new ArrayList<>();
        for (SseFollowers.Follower f : followers.followers) {
            Map<UUID, FollowerCheck.Expected> expected = new HashMap<>();
            if (f.subject == SseFollowers.Subject.ORDER) {
                OrderRow row = rows.get(f.id);
                expected.put(f.id, new FollowerCheck.Expected(2, row == null ? 1 : row.version()));
            } else {
                rows.values().stream().filter(o -> o.customerId().equals(f.id))
                        .forEach(o -> expected.put(o.id(), new FollowerCheck.Expected(1, o.version())));
            }
            FollowerCheck.Verdict verdict = FollowerCheck.check(f.log(), expected);
            while (verdict.missing() > 0 && System.nanoTime() < deadline) {
                Instances.sleep(500);
                verdict = FollowerCheck.check(f.log(), expected);
            }
            Map<String, Integer> refusals;
            List<String> resets;
            synchronized (f) {
                refusals = new TreeMap<>(f.refusals);
                resets = new ArrayList<>(f.resetReasons);
            }
            results.add(new FollowerResult(f.subject.name().toLowerCase() + " " + f.id, f.connects.get(), f.cleanEnds.get(),
                    f.breaks.get(), refusals, resets, verdict));
        }
        return results;
    }
}
