package io.ordersvc.deploy;

import static io.ordersvc.deploy.Manifests.SERVICE;
import static io.ordersvc.deploy.Manifests.container;
import static io.ordersvc.deploy.Manifests.environment;
import static io.ordersvc.deploy.Manifests.host;
import static io.ordersvc.deploy.Manifests.labels;
import static io.ordersvc.deploy.Manifests.name;
import static io.ordersvc.deploy.Manifests.named;
import static io.ordersvc.deploy.Manifests.ofKind;
import static io.ordersvc.deploy.Manifests.podLabels;
import static io.ordersvc.deploy.Manifests.podSpec;
import static io.ordersvc.deploy.Manifests.port;
import static io.ordersvc.deploy.Manifests.reaches;
import static io.ordersvc.deploy.Manifests.redisCluster;
import static io.ordersvc.deploy.Manifests.redisSettings;
import static io.ordersvc.deploy.Manifests.redisStatefulSet;
import static io.ordersvc.deploy.Manifests.redisUrls;
import static io.ordersvc.deploy.Manifests.selects;
import static io.ordersvc.deploy.Manifests.serviceConfig;
import static io.ordersvc.deploy.Manifests.workloadsByRole;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Redis in each overlay, checked offline like the rest of the manifests ({@link ManifestsTest}):
 * production runs a Redis Cluster (k8s/components/redis-cluster) of three primaries with a replica
 * each, formed by a Job, with the service configured as its client; development keeps the single
 * Redis of the base.
 */
class RedisClusterManifestsTest {

    private static final String PROD = "prod";
    private static final String DEV = "dev";
    private static final int BUS_OFFSET = 10_000;

    @Test
    void the_prod_overlay_runs_a_redis_cluster_of_three_primaries_and_three_replicas() {
        ObjectNode nodes = redisStatefulSet(PROD);
        assertThat(nodes.path("spec").path("replicas").asInt()).as("cluster nodes").isEqualTo(6);
        Map<String, String> settings = redisSettings(PROD, nodes);
        assertThat(settings).as("every node in cluster mode").containsEntry("cluster-enabled", "yes");
        assertThat(settings.get("cluster-config-file")).as("the node's identity (nodes.conf) survives a restart")
                .startsWith(dataMountPath(nodes) + "/");
        assertThat(settings).as("the append-only file, on the volume too").containsEntry("appendonly", "yes");
        assertThat(settings.get("dir")).isEqualTo(dataMountPath(nodes));
        assertThat(formingScript()).as("a replica for each primary: 6 nodes make 3 primaries and 3 replicas")
                .contains("--cluster-replicas 1");

        JsonNode redis = podSpec(nodes).path("containers").get(0);
        assertThat(ports(redis)).as("the client port and the cluster bus")
                .containsEntry(6379, "redis").containsEntry(6379 + BUS_OFFSET, "cluster-bus");
        assertThat(redis.path("readinessProbe").path("exec").path("command").toString())
                .as("ready only once part of a formed cluster").contains("cluster_state:ok");

        JsonNode headless = named(PROD, "Service", nodes.path("spec").path("serviceName").asText());
        assertThat(headless.path("spec").path("clusterIP").asText()).as("a headless governing Service").isEqualTo("None");
        assertThat(headless.path("spec").path("publishNotReadyAddresses").asBoolean())
                .as("the nodes' names resolve before the cluster is formed (they are not ready until then)").isTrue();
        assertThat(selects(selector(headless), labels(podLabels(nodes)))).isTrue();

        List<JsonNode> budgets = ofKind(PROD, "PodDisruptionBudget").stream()
                .filter(pdb -> selects(pdb.path("spec").path("selector"), labels(podLabels(nodes))))
                .map(JsonNode.class::cast).toList();
        assertThat(budgets).as("a disruption budget for the nodes").hasSize(1);
        assertThat(budgets.get(0).path("spec").path("maxUnavailable").asInt()).as("a drain takes one node at a time")
                .isEqualTo(1);
    }

    @Test
    void the_cluster_nodes_keep_the_single_redis_memory_policy_and_persistence() {
        Map<String, String> single = redisSettings(DEV, redisStatefulSet(DEV));
        Map<String, String> node = redisSettings(PROD, redisStatefulSet(PROD));
        for (String setting : List.of("maxmemory", "maxmemory-policy", "appendonly", "appendfsync", "save")) {
            assertThat(node.get(setting)).as("a cluster node's %s, as the single Redis's", setting)
                    .isEqualTo(single.get(setting)).isNotNull();
        }
    }

    @Test
    void each_node_announces_its_current_ip_on_the_bus_and_its_stable_name_to_clients() {
        ObjectNode nodes = redisStatefulSet(PROD);
        JsonNode redis = podSpec(nodes).path("containers").get(0);
        Map<String, String> args = arguments(redis);
        Map<String, String> env = environment(PROD, redis);
        assertThat(env.get(variable(args.get("--cluster-announce-ip")))).as("the pod's IP, which changes at a reschedule")
                .isEqualTo("field:status.podIP");
        assertThat(args.get("--cluster-announce-hostname"))
                .as("the pod's name under its governing Service, the names the seeds use")
                .matches("\\$\\([A-Z_]+\\)\\." + nodes.path("spec").path("serviceName").asText());
        assertThat(env.get(variable(args.get("--cluster-announce-hostname").replaceFirst("\\..*", ""))))
                .isEqualTo("field:metadata.name");
        assertThat(redisSettings(PROD, nodes)).as("redirections name the nodes by those names")
                .containsEntry("cluster-preferred-endpoint-type", "hostname");
    }

    @Test
    void a_job_forms_the_cluster_of_every_node_only_when_cluster_info_says_it_is_not_formed() {
        ObjectNode nodes = redisStatefulSet(PROD);
        List<ObjectNode> jobs = ofKind(PROD, "Job");
        assertThat(jobs).as("the forming Job").hasSize(1);
        JsonNode job = jobs.get(0);
        JsonNode form = podSpec(job).path("containers").get(0);
        assertThat(podSpec(job).path("restartPolicy").asText()).isIn("OnFailure", "Never");
        assertThat(form.path("image").asText()).as("redis-cli of the servers' own version")
                .isEqualTo(podSpec(nodes).path("containers").get(0).path("image").asText());

        Map<String, String> env = environment(PROD, form);
        assertThat(List.of(env.get("NODES").trim().split("\\s+"))).as("the Job forms the cluster of every pod")
                .isEqualTo(podAddresses(nodes));
        String password = environment(PROD, podSpec(nodes).path("containers").get(0)).get("REDIS_PASSWORD");
        assertThat(env.get("REDISCLI_AUTH")).as("the Job logs in with the nodes' password").isEqualTo(password)
                .startsWith("secret:");

        String script = formingScript();
        assertThat(String.join(" ", strings(form.path("command")))).as("the Job runs the forming script")
                .endsWith(mountPathOf(job, "form-cluster.sh") + "/form-cluster.sh");
        int asked = script.indexOf("cluster info");
        int created = script.indexOf("--cluster create");
        assertThat(asked).as("it asks each node CLUSTER INFO").isNotNegative();
        assertThat(created).as("and creates the cluster only after").isGreaterThan(asked);
        assertThat(script).as("without a question to answer").contains("--cluster-yes")
                .as("only when no node belongs to a cluster yet").contains("elif [ -z \"$members\" ]")
                .as("and stops at the first failure, to be run again").contains("set -eu");
    }

    @Test
    void the_service_talks_to_the_cluster_with_every_node_as_a_seed_and_the_nodes_password() {
        ObjectNode nodes = redisStatefulSet(PROD);
        Map<String, String> config = serviceConfig(PROD);
        assertThat(config).as("the prod ConfigMap").containsEntry("ORDERS_REDIS_CLIENT_TYPE", "cluster");
        assertThat(redisUrls(PROD).stream().map(url -> host(url) + ":" + port(url)).toList())
                .as("ORDERS_REDIS_CLUSTER_URL names every node").isEqualTo(podAddresses(nodes));
        assertThat(redisUrls(PROD)).allMatch(url -> url.startsWith("redis://"));

        // ORDERS_REDIS_URL, which the cluster's URL overrides, names no Redis that is not there
        String standalone = host(config.get("ORDERS_REDIS_URL"));
        JsonNode service = named(PROD, "Service", standalone);
        assertThat(selects(selector(service), labels(podLabels(nodes)))).as("ORDERS_REDIS_URL's Service").isTrue();
        assertThat(ofKind(PROD, "StatefulSet").stream().map(Manifests::name)).as("the single Redis is gone")
                .doesNotContain(name(redisStatefulSet(DEV)));

        String password = environment(PROD, podSpec(nodes).path("containers").get(0)).get("REDIS_PASSWORD");
        Map<String, String> args = arguments(podSpec(nodes).path("containers").get(0));
        assertThat(args.get("--requirepass")).isEqualTo("$(REDIS_PASSWORD)");
        assertThat(args.get("--masterauth")).as("replicas log in to their primary").isEqualTo("$(REDIS_PASSWORD)");
        workloadsByRole(PROD).forEach((role, workload) -> {
            String given = environment(PROD, container(workload, SERVICE)).get("QUARKUS_REDIS_PASSWORD");
            if (given != null) {
                assertThat(given).as("the %s role's Redis password", role).isEqualTo(password);
            }
        });
    }

    @Test
    void the_api_roles_reach_every_node_on_6379_and_the_nodes_reach_each_other_on_the_bus() {
        ObjectNode nodes = redisStatefulSet(PROD);
        Map<String, String> node = labels(podLabels(nodes));
        Set<String> clients = new TreeSet<>();
        Set<String> onTheBus = new TreeSet<>();
        workloadsByRole(PROD).forEach((role, workload) -> {
            Map<String, String> pod = labels(podLabels(workload));
            if (reaches(PROD, pod, node, 6379)) {
                clients.add(role);
            }
            if (reaches(PROD, pod, node, 6379 + BUS_OFFSET)) {
                onTheBus.add(role);
            }
        });
        assertThat(clients).as("roles that reach the cluster's nodes on 6379").containsExactly("projector", "query");
        assertThat(onTheBus).as("roles on the cluster bus").isEmpty();
        assertThat(reaches(PROD, node, node, 6379 + BUS_OFFSET)).as("node to node on the cluster bus").isTrue();
        assertThat(reaches(PROD, node, node, 6379)).as("a replica to its primary").isTrue();
        Map<String, String> job = labels(podLabels(ofKind(PROD, "Job").get(0)));
        assertThat(reaches(PROD, job, node, 6379)).as("the forming Job to every node").isTrue();
    }

    @Test
    void the_dev_overlay_keeps_the_single_redis() {
        Map<String, String> config = serviceConfig(DEV);
        assertThat(redisCluster(DEV)).as("dev's client type").isFalse();
        assertThat(config).doesNotContainKey("ORDERS_REDIS_CLUSTER_URL");
        ObjectNode single = redisStatefulSet(DEV);
        assertThat(single.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(redisSettings(DEV, single)).doesNotContainKey("cluster-enabled");
        assertThat(ofKind(DEV, "Job")).as("nothing to form").isEmpty();
        assertThat(ofKind(DEV, "StatefulSet").stream()
                .filter(s -> podSpec(s).path("containers").get(0).path("image").asText().contains("/redis:"))
                .map(Manifests::name))
                .as("no Redis but the single one in dev").containsExactly(name(single));
        Set<String> clients = new TreeSet<>();
        workloadsByRole(DEV).forEach((role, workload) -> {
            if (reaches(DEV, labels(podLabels(workload)), labels(podLabels(single)), port(redisUrls(DEV).get(0)))) {
                clients.add(role);
            }
        });
        assertThat(clients).as("roles that reach the single Redis").containsExactly("projector", "query");
    }

    // --- what the checks read ------------------------------------------------------------------

    /** host:port of every pod of the StatefulSet, by its stable name under its governing Service. */
    private static List<String> podAddresses(JsonNode statefulSet) {
        String service = statefulSet.path("spec").path("serviceName").asText();
        int port = podSpec(statefulSet).path("containers").get(0).path("ports").get(0).path("containerPort").asInt();
        return IntStream.range(0, statefulSet.path("spec").path("replicas").asInt())
                .mapToObj(n -> name(statefulSet) + "-" + n + "." + service + ":" + port).toList();
    }

    /** The forming Job's script, from the ConfigMap mounted where it runs it. */
    private static String formingScript() {
        JsonNode job = ofKind(PROD, "Job").get(0);
        for (JsonNode volume : podSpec(job).path("volumes")) {
            JsonNode data = volume.has("configMap")
                    ? named(PROD, "ConfigMap", volume.path("configMap").path("name").asText()).path("data")
                    : null;
            if (data != null && data.has("form-cluster.sh")) {
                return data.path("form-cluster.sh").asText();
            }
        }
        throw new AssertionError("the forming Job mounts no form-cluster.sh");
    }

    private static String mountPathOf(JsonNode job, String file) {
        for (JsonNode volume : podSpec(job).path("volumes")) {
            if (volume.has("configMap") && named(PROD, "ConfigMap", volume.path("configMap").path("name").asText())
                    .path("data").has(file)) {
                for (JsonNode mount : podSpec(job).path("containers").get(0).path("volumeMounts")) {
                    if (mount.path("name").asText().equals(volume.path("name").asText())) {
                        return mount.path("mountPath").asText();
                    }
                }
            }
        }
        throw new AssertionError(file + " is not mounted");
    }

    /** Where the StatefulSet's volume claim is mounted in its first container. */
    private static String dataMountPath(JsonNode statefulSet) {
        Set<String> claims = new TreeSet<>();
        statefulSet.path("spec").path("volumeClaimTemplates").forEach(c -> claims.add(c.path("metadata").path("name").asText()));
        for (JsonNode mount : podSpec(statefulSet).path("containers").get(0).path("volumeMounts")) {
            if (claims.contains(mount.path("name").asText())) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError(name(statefulSet) + " mounts no volume claim");
    }

    private static Map<Integer, String> ports(JsonNode container) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("containerPort").asInt(), p.path("name").asText()));
        return ports;
    }

    /** redis-server's {@code --option value} arguments. */
    private static Map<String, String> arguments(JsonNode container) {
        List<String> args = strings(container.path("args"));
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).startsWith("--")) {
                options.put(args.get(i), args.get(i + 1));
            }
        }
        return options;
    }

    /** The variable a {@code $(NAME)} argument names. */
    private static String variable(String reference) {
        assertThat(reference).matches("\\$\\([A-Z_]+\\)");
        return reference.substring(2, reference.length() - 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(item.asText()));
        return strings;
    }

    private static JsonNode selector(JsonNode service) {
        return JsonNodeFactory.instance.objectNode().set("matchLabels", service.path("spec").path("selector"));
    }
}
