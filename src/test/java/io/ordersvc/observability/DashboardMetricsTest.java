package io.ordersvc.observability;

import static io.ordersvc.support.Callers.asAdmin;
import static io.ordersvc.support.Callers.asCustomer;
import static io.ordersvc.support.Callers.bearer;
import static io.ordersvc.support.Fixtures.customer;
import static io.ordersvc.support.Fixtures.product;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.stack.LocalStack;
import io.ordersvc.support.Fixtures;
import io.ordersvc.support.KafkaSupport;
import io.ordersvc.support.Metrics;
import io.ordersvc.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alert rules under k8s/observability name only metrics the service exports,
 * and the metrics they rest on tell the truth: lag per partition, a leader, and a replay that is
 * never taken for lag while a real delay is.
 */
@QuarkusTest
class DashboardMetricsTest {

    private static final Path DASHBOARD = Path.of("k8s/observability/grafana-dashboard.json");
    private static final Path RULES = Path.of("k8s/observability/prometheus-rules.yaml");
    /** PromQL's functions, aggregations and keywords: every other name in an expression is a metric. */
    private static final Set<String> PROMQL = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "rate", "irate", "increase", "delta", "idelta", "deriv",
            "histogram_quantile", "absent", "absent_over_time", "vector", "scalar", "clamp_min", "clamp_max", "changes",
            "resets", "max_over_time", "min_over_time", "avg_over_time", "label_replace", "time", "and", "or", "unless",
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @TestHTTPResource("/")
    URI base;

    @Test
    void every_metric_the_dashboard_and_the_alert_rules_name_is_one_the_service_exports() throws IOException {
        UUID buyer = customer("Hedy Lamarr");
        UUID id = Fixtures.order(buyer, product("Frequency-hopping patent", "12.00"), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(buyer).get("/orders/" + id).statusCode() == 200);
        Set<String> referenced = new TreeSet<>();
        referenced.addAll(metricsIn(dashboardExpressions()));
        referenced.addAll(metricsIn(ruleExpressions()));
        assertThat(referenced).hasSizeGreaterThan(15).contains("ordersvc_commit_to_visible_seconds_bucket",
                "ordersvc_projector_consumer_lag", "ordersvc_relay_leader", "ordersvc_dead_letters",
                "http_server_requests_seconds_bucket");

        try (SseClient stream = SseClient.connect(bearer(buyer), base.resolve("/orders/" + id + "/changes"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(exported()).containsAll(referenced));
        }
    }

    @Test
    void consumer_lag_has_a_series_for_every_partition_of_every_projector_group() throws Exception {
        Fixtures.order(customer("Radia Perlman"), product("Spanning tree", "3.00"), 1);
        for (String[] consumption : List.of(new String[] {"order-projector", "orders.events"},
                new String[] {"catalog-projector", "products.events"})) {
            int partitions = partitionsOf(consumption[1]);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(samples("ordersvc_projector_consumer_lag").keySet()
                    .stream().filter(s -> s.contains("group=\"" + consumption[0] + "\"") && s.contains("topic=\"" + consumption[1] + "\""))
                    .map(s -> s.replaceAll(".*partition=\"(\\d+)\".*", "$1")).collect(Collectors.toSet()))
                    .hasSize(partitions));
        }
    }

    @Test
    void the_relay_that_holds_the_outbox_lock_shows_as_the_one_leader() {
        Fixtures.customer("Edsger Dijkstra");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(samples("ordersvc_relay_leader"))
                .containsOnlyKeys("ordersvc_relay_leader").containsValue(1.0));
    }

    @Test
    void a_rebuild_replays_the_log_without_being_counted_as_commit_to_visible_or_as_lag() {
        UUID buyer = customer("Frances Allen");
        UUID id = Fixtures.order(buyer, product("Optimizing compiler", "40.00"), 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> asCustomer(buyer).get("/orders/" + id).statusCode() == 200);
        // the count settles once the order's change was applied, and nothing else is written meanwhile
        await().atMost(Duration.ofSeconds(10)).until(() -> commitToVisibleCount() > 0);
        double timedBefore = commitToVisibleCount();

        asAdmin().post("/admin/rebuild").then().statusCode(202);
        JsonPath done = await().atMost(Duration.ofSeconds(60)).until(
                () -> asAdmin().get("/admin/rebuild").then().extract().jsonPath(), s -> "DONE".equals(s.getString("state")));

        assertThat(done.getLong("processed")).isPositive();
        Map<String, Double> metrics = samples("ordersvc_");
        assertThat(metrics).containsEntry("ordersvc_rebuild_running", 0.0)
                .containsEntry("ordersvc_rebuild_processed", (double) done.getLong("processed"));
        assertThat(commitToVisibleCount()).isEqualTo(timedBefore);
        assertThat(samples("ordersvc_projector_lag_seconds").values()).containsOnly(0.0);
    }

    @Test
    void a_projector_held_up_by_a_redis_outage_shows_its_lag_growing_and_its_late_changes_as_lag() {
        UUID buyer = customer("Barbara Liskov");
        UUID item = product("Substitution principle", "7.00");
        LocalStack stack = LocalStack.forTests();
        double timedBefore = commitToVisibleCount();
        try {
            stack.stop(LocalStack.REDIS);
            Fixtures.order(buyer, item, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> lagSeconds() >= 3);
        } finally {
            stack.start(LocalStack.REDIS);
        }
        // the projector applies the order's change itself (no read is made meanwhile that could fill its view first)
        await().atMost(Duration.ofSeconds(30)).until(() -> lagSeconds() == 0 && commitToVisibleCount() > timedBefore);
        assertThat(samples("ordersvc_commit_to_visible_seconds_max{topic=\"orders.events\"").values())
                .allSatisfy(max -> assertThat(max).isGreaterThanOrEqualTo(3));
    }

    @Test
    void a_request_no_endpoint_takes_adds_no_uri_tag_of_its_own() {
        String id = UUID.randomUUID().toString();
        // no method of /orders/{id} deletes: answered 405 with no route template, its raw path would become a tag
        asAdmin().delete("/orders/" + id).then().statusCode(405);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(samples("http_server_requests_seconds_count"))
                .anySatisfy((series, count) -> assertThat(series).contains("status=\"405\"").contains("uri=\"UNKNOWN\""))
                .noneSatisfy((series, count) -> assertThat(series).contains(id)));
    }

    private double lagSeconds() {
        return samples("ordersvc_projector_lag_seconds{topic=\"orders.events\"").values().stream().mapToDouble(d -> d).sum();
    }

    private double commitToVisibleCount() {
        return samples("ordersvc_commit_to_visible_seconds_count{topic=\"orders.events\"").values().stream()
                .mapToDouble(d -> d).sum();
    }

    private static int partitionsOf(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSupport.bootstrap()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    /** Every sample of /q/metrics whose series starts with {@code prefix}, by series (name and labels). */
    private static Map<String, Double> samples(String prefix) {
        return Metrics.samples(scrape(), prefix);
    }

    private static Set<String> exported() {
        return scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String scrape() {
        return Metrics.scrape();
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        collect(new ObjectMapper().readTree(DASHBOARD.toFile()), expressions);
        assertThat(expressions).as("expressions in " + DASHBOARD).isNotEmpty();
        return expressions;
    }

    private static void collect(JsonNode node, List<String> expressions) {
        if (node.has("expr")) {
            expressions.add(node.get("expr").asText());
        }
        node.forEach(child -> collect(child, expressions));
    }

    /** The rules' {@code expr:} values, each written on one line (a block scalar would be missed, so it fails here). */
    private static List<String> ruleExpressions() throws IOException {
        List<String> expressions = Files.readAllLines(RULES).stream().map(String::strip).filter(l -> l.startsWith("expr:"))
                .map(l -> l.substring("expr:".length()).strip()).toList();
        assertThat(expressions).as("expressions in " + RULES).isNotEmpty()
                .allSatisfy(e -> assertThat(e).as("an expr on one line").isNotEmpty().doesNotStartWith("|").doesNotStartWith(">"));
        return expressions;
    }

    /** The metric names of PromQL expressions: what is left once labels, ranges, strings, variables and keywords are gone. */
    static Set<String> metricsIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
                    .replaceAll("\\{[^}]*}", "")
                    .replaceAll("\\[[^]]*]", "")
                    .replaceAll("\\$\\w+", "")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
            Matcher m = NAME.matcher(bare);
            while (m.find()) {
                if (!PROMQL.contains(m.group())) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }
}
