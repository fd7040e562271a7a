package io.ordersvc.deploy;

import static io.ordersvc.deploy.Manifests.COMPONENT;
import static io.ordersvc.deploy.Manifests.NAME;
import static io.ordersvc.deploy.Manifests.SERVICE;
import static io.ordersvc.deploy.Manifests.container;
import static io.ordersvc.deploy.Manifests.environment;
import static io.ordersvc.deploy.Manifests.labels;
import static io.ordersvc.deploy.Manifests.name;
import static io.ordersvc.deploy.Manifests.named;
import static io.ordersvc.deploy.Manifests.ofKind;
import static io.ordersvc.deploy.Manifests.podLabels;
import static io.ordersvc.deploy.Manifests.podSpec;
import static io.ordersvc.deploy.Manifests.prod;
import static io.ordersvc.deploy.Manifests.reaches;
import static io.ordersvc.deploy.Manifests.redisSettings;
import static io.ordersvc.deploy.Manifests.redisStatefulSet;
import static io.ordersvc.deploy.Manifests.rendered;
import static io.ordersvc.deploy.Manifests.selects;
import static io.ordersvc.deploy.Manifests.serviceConfig;
import static io.ordersvc.deploy.Manifests.workloadsByRole;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ordersvc.cqrs.process.Roles;
import io.ordersvc.support.NodePackages;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes manifests ({@code k8s/}), checked offline: every overlay renders with
 * {@code kubectl kustomize}; every document fits its kind's schema (core kinds and the Prometheus
 * operator's with the npm {@code kubernetes-models} packages, pinned by
 * {@code src/test/k8s/package-lock.json}, and with no field their Java models (fabric8) do not know;
 * Strimzi's kinds with Strimzi's own Java model; CloudNativePG publishes no model, so its
 * {@code Cluster}'s required fields are checked here by hand); and what the service needs of them
 * holds: every variable %prod requires set for every role, each role running only its role, the
 * projectors no more than the partitions, the servers reachable only by the roles that use them.
 * The probe paths are asked of the running service by {@link ManifestsProbePathsTest}; Redis's topology
 * in each overlay (prod's Redis Cluster) is checked by {@link RedisClusterManifestsTest}.
 */
class ManifestsTest {

    private static final Path SCHEMA_SOURCES = Path.of("src/test/k8s");
    private static final Path SCHEMA_WORK = Path.of("target/k8s-schemas").toAbsolutePath();
    /** Kinds no schema package models, and the check that covers each here instead. */
    private static final Map<String, String> OPERATOR_KINDS = Map.of(
            "kafka.strimzi.io/v1beta2 Kafka", "Strimzi's Java model",
            "kafka.strimzi.io/v1beta2 KafkaNodePool", "Strimzi's Java model",
            "kafka.strimzi.io/v1beta2 KafkaTopic", "Strimzi's Java model",
            "postgresql.cnpg.io/v1 Cluster", "required fields by hand");
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Which health group each probe asks (SmallRye Health's paths under /q/health). */
    static final Map<String, String> PROBES = Map.of("startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready");

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_overlay_renders_with_kubectl_kustomize_into_the_four_roles_and_their_servers(String overlay) {
        assertThat(workloadsByRole(overlay).keySet()).as("%s: one workload per role", overlay)
                .containsExactlyInAnyOrderElementsOf(roles());
        assertThat(ofKind(overlay, "Cluster")).as("%s: PostgreSQL", overlay).hasSize(1);
        assertThat(ofKind(overlay, "Kafka")).as("%s: Kafka", overlay).hasSize(1);
        assertThat(ofKind(overlay, "StatefulSet").stream().filter(s -> name(s).equals(redisName(overlay))))
                .as("%s: Redis", overlay).hasSize(1);
    }

    @Test
    void every_core_and_prometheus_operator_document_fits_its_schema_and_every_other_kind_is_checked_here()
            throws Exception {
        installSchemas();
        List<Map<String, Object>> input = new ArrayList<>();
        for (String overlay : overlays()) {
            List<ObjectNode> docs = rendered(overlay);
            for (int i = 0; i < docs.size(); i++) {
                input.add(Map.of("source", overlay + " #" + i + " " + docs.get(i).path("kind").asText() + " "
                        + name(docs.get(i)), "document", docs.get(i)));
            }
        }
        // the validator must refuse what is wrong, or its silence would prove nothing
        ObjectNode broken = named(overlays().get(0), "Deployment", "order-command").deepCopy();
        ((ObjectNode) broken.path("spec")).put("replicas", "two");
        input.add(Map.of("source", "a broken copy", "document", broken));

        List<JsonNode> results = validate(input);
        assertThat(results).as("one verdict per document").hasSize(input.size());
        JsonNode brokenResult = results.get(results.size() - 1);
        assertThat(brokenResult.path("errors").toString()).as("the validator refuses replicas: \"two\"")
                .contains("/spec/replicas");

        List<String> failures = new ArrayList<>();
        for (JsonNode result : results.subList(0, results.size() - 1)) {
            String kind = result.path("apiVersion").asText() + " " + result.path("kind").asText();
            if (result.path("schema").isNull()) {
                if (!OPERATOR_KINDS.containsKey(kind)) {
                    failures.add(result.path("source").asText() + ": no schema, and no check of " + kind + " here");
                }
            } else if (!result.path("errors").isEmpty()) {
                failures.add(result.path("source").asText() + ": " + result.path("errors"));
            }
        }
        assertThat(failures).as("documents that do not fit their schema").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void core_documents_hold_no_field_kubernetes_does_not_know(String overlay) throws Exception {
        KubernetesSerialization kubernetes = new KubernetesSerialization();
        // the check must see a misspelt field, or its silence would prove nothing
        ObjectNode misspelt = named(overlay, "Deployment", "order-command").deepCopy();
        ((ObjectNode) misspelt.path("spec").path("template").path("spec").path("containers").get(0))
                .set("readinesProbe", JSON.createObjectNode());
        assertThat(unknownFields(kubernetes.unmarshal(JSON.writeValueAsString(misspelt)), "")).isNotEmpty();

        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (ObjectNode doc : rendered(overlay)) {
            String kind = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
            if (OPERATOR_KINDS.containsKey(kind) || kind.startsWith("monitoring.coreos.com/")) {
                continue; // their own checks
            }
            Object model = kubernetes.unmarshal(JSON.writeValueAsString(doc));
            assertThat(model).as("%s: fabric8 models %s %s", overlay, kind, name(doc))
                    .isNotInstanceOf(GenericKubernetesResource.class);
            List<String> fields = unknownFields(model, "");
            if (!fields.isEmpty()) {
                unknown.put(kind + " " + name(doc), fields);
            }
        }
        assertThat(unknown).as("%s: fields Kubernetes does not know", overlay).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void strimzi_resources_read_into_strimzis_model_with_kraft_three_brokers_and_two_in_sync_copies(String overlay)
            throws Exception {
        Kafka kafka = strimzi(named(overlay, "Kafka", "orders-kafka"), Kafka.class);
        List<KafkaNodePool> pools = new ArrayList<>();
        for (ObjectNode pool : ofKind(overlay, "KafkaNodePool")) {
            KafkaNodePool model = strimzi(pool, KafkaNodePool.class);
            assertThat(model.getMetadata().getLabels()).as("%s: pool %s belongs to the cluster", overlay, name(pool))
                    .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            pools.add(model);
        }
        assertThat(replicasWith(pools, ProcessRoles.CONTROLLER)).as("%s: KRaft controllers", overlay).isGreaterThanOrEqualTo(3);
        assertThat(replicasWith(pools, ProcessRoles.BROKER)).as("%s: brokers", overlay).isGreaterThanOrEqualTo(3);
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertThat(String.valueOf(config.get("min.insync.replicas"))).isEqualTo("2");
        assertThat(String.valueOf(config.get("default.replication.factor"))).isEqualTo("3");
        assertThat(String.valueOf(config.get("auto.create.topics.enable"))).as("topics are declared").isEqualTo("false");

        String bootstrap = configMap(overlay).get("ORDERS_KAFKA_BOOTSTRAP_SERVERS");
        var plain = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> bootstrap.equals(kafka.getMetadata().getName() + "-kafka-bootstrap:" + l.getPort()))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no listener behind " + bootstrap));
        assertThat(plain.isTls()).as("the service's clients take bootstrap servers only: no TLS settings").isFalse();
        Set<String> peers = new TreeSet<>();
        for (String role : roles()) {
            Map<String, String> pod = Map.of(NAME, SERVICE, COMPONENT, role);
            if (plain.getNetworkPolicyPeers().stream()
                    .anyMatch(peer -> selects(JSON.valueToTree(peer.getPodSelector()), pod))) {
                peers.add(role);
            }
        }
        assertThat(peers).as("%s: roles that may reach Kafka's listener", overlay).containsExactly("projector", "relay");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_topic_the_service_uses_is_declared_with_three_replicas_and_two_in_sync(String overlay) throws Exception {
        Map<String, KafkaTopic> topics = topics(overlay);
        assertThat(topics.keySet()).as("%s: KafkaTopics", overlay).containsAll(serviceTopics());
        for (String topic : serviceTopics()) {
            KafkaTopic declared = topics.get(topic);
            assertThat(declared.getSpec().getReplicas()).as("%s: replicas of %s", overlay, topic).isEqualTo(3);
            assertThat(String.valueOf(declared.getSpec().getConfig().get("min.insync.replicas")))
                    .as("%s: min.insync.replicas of %s", overlay, topic).isEqualTo("2");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void projectors_are_never_more_than_the_partitions_of_a_topic_they_consume(String overlay) throws Exception {
        Map<String, KafkaTopic> topics = topics(overlay);
        JsonNode projector = workloadsByRole(overlay).get("projector");
        int replicas = projector.path("spec").path("replicas").asInt(1);
        assertThat(consumedTopics()).isNotEmpty();
        for (String topic : consumedTopics()) {
            assertThat(replicas).as("%s: projector replicas vs the partitions of %s", overlay, topic)
                    .isLessThanOrEqualTo(topics.get(topic).getSpec().getPartitions());
        }
        assertThat(ofKind(overlay, "HorizontalPodAutoscaler").stream()
                .map(h -> h.path("spec").path("scaleTargetRef").path("name").asText()))
                .as("%s: nothing scales the projectors past the partitions", overlay)
                .doesNotContain(name(projector));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void the_postgresql_cluster_has_what_cloudnativepg_requires_and_the_urls_name_its_services(String overlay) {
        // CloudNativePG publishes no Java or JavaScript model: its required fields, by hand
        JsonNode cluster = named(overlay, "Cluster", "orders-db");
        assertThat(cluster.path("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
        JsonNode spec = cluster.path("spec");
        assertThat(spec.path("instances").isInt()).as("instances is an integer").isTrue();
        assertThat(spec.path("instances").asInt()).as("%s: a primary and a streaming replica", overlay)
                .isGreaterThanOrEqualTo(2);
        assertThat(spec.path("storage").path("size").asText()).as("storage.size, a quantity")
                .matches("[0-9]+(Ki|Mi|Gi|Ti)");
        assertThat(spec.path("imageName").asText()).as("an image with a version").matches(".+:[0-9]+(\\.[0-9]+)*");
        JsonNode initdb = spec.path("bootstrap").path("initdb");
        assertThat(List.of(initdb.path("database").asText(), initdb.path("owner").asText(),
                initdb.path("secret").path("name").asText())).as("bootstrap.initdb database, owner, secret")
                .doesNotContain("");
        Set<String> unknown = new TreeSet<>();
        spec.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(CLUSTER_SPEC_FIELDS_USED);
        assertThat(unknown).as("%s: Cluster spec fields not among those this test knows to be CloudNativePG's", overlay)
                .isEmpty();
        for (JsonNode role : spec.path("managed").path("roles")) {
            assertThat(role.path("name").asText()).isNotEmpty();
            assertThat(role.path("ensure").asText()).isIn("present", "absent");
            assertThat(role.path("login").isBoolean()).isTrue();
            assertThat(role.path("passwordSecret").path("name").asText()).isNotEmpty();
        }

        Map<String, String> config = configMap(overlay);
        String database = "/" + initdb.path("database").asText();
        assertThat(config.get("ORDERS_DB_URL")).as("%s: the primary through the read-write Service", overlay)
                .isEqualTo("postgresql://" + name(cluster) + "-rw:5432" + database);
        assertThat(config.get("ORDERS_DB_REPLICA_URL")).as("%s: the replica through the read-only Service", overlay)
                .isEqualTo("postgresql://" + name(cluster) + "-ro:5432" + database);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_variable_prod_requires_is_set_for_every_role(String overlay) {
        Set<String> required = requiredVariables();
        assertThat(required).as("variables %prod requires").contains("ORDERS_DB_URL", "ORDERS_OIDC_ISSUER");
        workloadsByRole(overlay).forEach((role, workload) -> {
            Map<String, String> env = environment(overlay, container(workload, SERVICE));
            assertThat(env.keySet()).as("%s: the %s role's environment", overlay, role).containsAll(required);
            assertThat(env.entrySet().stream().filter(e -> required.contains(e.getKey()) && e.getValue().isBlank()))
                    .as("%s: %s variables set empty", overlay, role).isEmpty();
            assertThat(env.get("ORDERS_INSTANCE_ID")).as("%s: %s instance id", overlay, role).isEqualTo("field:metadata.name");
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void each_role_runs_only_its_own_role(String overlay) {
        workloadsByRole(overlay).forEach((role, workload) -> {
            Map<String, String> env = environment(overlay, container(workload, SERVICE));
            for (String other : roles()) {
                assertThat(env.get("ORDERSVC_ROLES_" + other.toUpperCase()))
                        .as("%s: ORDERSVC_ROLES_%s of the %s role", overlay, other.toUpperCase(), role)
                        .isEqualTo(String.valueOf(other.equals(role)));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void roles_that_never_write_log_in_as_a_reader_and_only_the_command_side_migrates(String overlay) {
        JsonNode cluster = named(overlay, "Cluster", "orders-db").path("spec");
        String owner = cluster.path("bootstrap").path("initdb").path("secret").path("name").asText();
        Set<String> readers = new LinkedHashSet<>();
        for (JsonNode role : cluster.path("managed").path("roles")) {
            List<String> granted = new ArrayList<>();
            role.path("inRoles").forEach(r -> granted.add(r.asText()));
            if (granted.equals(List.of("pg_read_all_data")) && !role.path("superuser").asBoolean(false)
                    && !role.path("createdb").asBoolean(false) && !role.path("createrole").asBoolean(false)) {
                readers.add(role.path("passwordSecret").path("name").asText());
            }
        }
        assertThat(readers).as("%s: a read-only login", overlay).isNotEmpty();
        Map<String, Set<String>> writers = Map.of("command", Set.of(owner), "relay", Set.of(owner),
                "projector", readers, "query", readers);
        workloadsByRole(overlay).forEach((role, workload) -> {
            Map<String, String> env = environment(overlay, container(workload, SERVICE));
            for (String variable : List.of("ORDERS_DB_USER", "ORDERS_DB_PASSWORD")) {
                String secret = env.get(variable).replaceFirst("^secret:", "").replaceFirst("/.*", "");
                assertThat(writers.get(role)).as("%s: the %s role's %s comes from", overlay, role, variable).contains(secret);
            }
            assertThat(env.get("QUARKUS_FLYWAY_MIGRATE_AT_START")).as("%s: the %s role migrates", overlay, role)
                    .isEqualTo(String.valueOf(role.equals("command")));
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probes_and_metrics_use_the_management_port(String overlay) {
        Map<String, String> config = configMap(overlay);
        workloadsByRole(overlay).forEach((role, workload) -> {
            JsonNode c = container(workload, SERVICE);
            Map<String, Integer> ports = new LinkedHashMap<>();
            c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            assertThat(ports).as("%s: %s ports", overlay, role)
                    .containsEntry("http", Integer.parseInt(config.get("QUARKUS_HTTP_PORT")))
                    .containsEntry("management", Integer.parseInt(config.get("QUARKUS_MANAGEMENT_PORT")));
            Map<String, String> probes = new LinkedHashMap<>();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode get = c.path(probe).path("httpGet");
                assertThat(get.path("port").asText()).as("%s: %s %s port", overlay, role, probe).isEqualTo("management");
                probes.put(probe, get.path("path").asText());
            }
            assertThat(probes).as("%s: %s probe paths (ManifestsProbePathsTest asks the service for each)", overlay, role)
                    .isEqualTo(PROBES);
        });
        assertThat(prod(Manifests.applicationProperties(), "quarkus.management.enabled")).as("%prod management interface")
                .contains("true");

        JsonNode monitor = ofKind(overlay, "ServiceMonitor").get(0).path("spec");
        JsonNode endpoint = monitor.path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        Set<String> scraped = new TreeSet<>();
        for (ObjectNode service : ofKind(overlay, "Service")) {
            if (selects(monitor.path("selector"), labels(service.path("metadata").path("labels")))) {
                for (JsonNode port : service.path("spec").path("ports")) {
                    if (port.path("name").asText().equals(endpoint.path("port").asText())) {
                        assertThat(port.path("targetPort").asText()).isEqualTo("management");
                        scraped.add(service.path("spec").path("selector").path(COMPONENT).asText());
                    }
                }
            }
        }
        assertThat(scraped).as("%s: roles Prometheus scrapes", overlay).containsExactlyInAnyOrderElementsOf(roles());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void pods_have_a_grace_period_beyond_the_services_shutdown_delay_and_timeout(String overlay) {
        Properties properties = Manifests.applicationProperties();
        Duration shutdown = duration(prod(properties, "quarkus.shutdown.delay").orElse("0s"))
                .plus(duration(prod(properties, "quarkus.shutdown.timeout").orElseThrow()));
        workloadsByRole(overlay).forEach((role, workload) -> assertThat(
                podSpec(workload).path("terminationGracePeriodSeconds").asLong(30))
                .as("%s: %s grace period (s) vs the service's shutdown %s", overlay, role, shutdown)
                .isGreaterThan(shutdown.toSeconds()));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_pod_runs_restricted_non_root_on_a_read_only_root_file_system(String overlay) {
        for (ObjectNode workload : rendered(overlay)) {
            if (!List.of("Deployment", "StatefulSet", "Job").contains(workload.path("kind").asText())) {
                continue;
            }
            JsonNode pod = podSpec(workload);
            String what = overlay + ": " + name(workload);
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(what).isTrue();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).as(what)
                    .isEqualTo("RuntimeDefault");
            for (JsonNode c : pod.path("containers")) {
                JsonNode security = c.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
                assertThat(security.path("capabilities").path("drop").toString()).as(what).isEqualTo("[\"ALL\"]");
                assertThat(security.path("capabilities").path("add").isEmpty()).as(what).isTrue();
                assertThat(c.path("resources").path("requests").has("memory")).as(what + " memory request").isTrue();
                assertThat(c.path("resources").path("limits").has("memory")).as(what + " memory limit").isTrue();
            }
        }
        workloadsByRole(overlay).forEach((role, workload) -> {
            List<String> tmp = new ArrayList<>();
            container(workload, SERVICE).path("volumeMounts").forEach(m -> {
                if (m.path("mountPath").asText().equals("/tmp")) {
                    tmp.add(m.path("name").asText());
                }
            });
            assertThat(tmp).as("%s: %s has /tmp on a volume", overlay, role).hasSize(1);
            boolean emptyDir = false;
            for (JsonNode v : podSpec(workload).path("volumes")) {
                emptyDir |= v.path("name").asText().equals(tmp.get(0)) && v.has("emptyDir");
            }
            assertThat(emptyDir).as("%s: %s /tmp is an emptyDir", overlay, role).isTrue();
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_role_has_a_disruption_budget_and_the_api_sides_an_autoscaler(String overlay) {
        Set<String> budgeted = new TreeSet<>();
        for (ObjectNode pdb : ofKind(overlay, "PodDisruptionBudget")) {
            for (String role : roles()) {
                if (selects(pdb.path("spec").path("selector"), Map.of(NAME, SERVICE, COMPONENT, role))) {
                    budgeted.add(role);
                }
            }
        }
        assertThat(budgeted).as("%s: roles with a PodDisruptionBudget", overlay).containsExactlyInAnyOrderElementsOf(roles());
        Map<String, ObjectNode> workloads = workloadsByRole(overlay);
        Set<String> scaled = ofKind(overlay, "HorizontalPodAutoscaler").stream()
                .map(h -> h.path("spec").path("scaleTargetRef").path("name").asText()).collect(Collectors.toSet());
        assertThat(scaled).as("%s: autoscaled", overlay)
                .containsExactlyInAnyOrder(name(workloads.get("command")), name(workloads.get("query")));
        assertThat(workloads.get("relay").path("spec").path("replicas").asInt())
                .as("%s: a relay that publishes and a standby", overlay).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void redis_keeps_the_memory_policy_the_service_expects(String overlay) throws Exception {
        JsonNode redis = redisStatefulSet(overlay);
        Map<String, String> settings = redisSettings(overlay, redis);
        assertThat(settings.get("maxmemory-policy")).as("%s: Redis maxmemory-policy", overlay).isIn(expectedPolicies());
        long maxmemory = bytes(settings.get("maxmemory"));
        assertThat(maxmemory).as("%s: Redis maxmemory set", overlay).isPositive();
        assertThat(maxmemory).as("%s: Redis maxmemory below the container's limit", overlay)
                .isLessThan(bytes(podSpec(redis).path("containers").get(0).path("resources").path("limits")
                        .path("memory").asText()));
        assertThat(Long.parseLong(settings.getOrDefault("stream-node-max-bytes", "4096")))
                .as("%s: Redis stream nodes small enough for an order's own stream", overlay)
                .isLessThanOrEqualTo(streamNodeBytes());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void each_role_reaches_only_the_servers_it_uses(String overlay) {
        JsonNode cluster = named(overlay, "Cluster", "orders-db");
        String kafka = name(named(overlay, "Kafka", "orders-kafka"));
        JsonNode redis = named(overlay, "StatefulSet", redisName(overlay));
        int kafkaPort = Integer.parseInt(configMap(overlay).get("ORDERS_KAFKA_BOOTSTRAP_SERVERS").replaceFirst(".*:", ""));
        Map<String, ServerPod> servers = new LinkedHashMap<>();
        servers.put("primary", new ServerPod(Map.of("cnpg.io/cluster", name(cluster), "cnpg.io/instanceRole", "primary"), 5432));
        servers.put("replica", new ServerPod(Map.of("cnpg.io/cluster", name(cluster), "cnpg.io/instanceRole", "replica"), 5432));
        servers.put("redis", new ServerPod(labels(podLabels(redis)),
                podSpec(redis).path("containers").get(0).path("ports").get(0).path("containerPort").asInt()));
        servers.put("kafka", new ServerPod(Map.of("strimzi.io/cluster", kafka, "strimzi.io/broker-role", "true"), kafkaPort));

        Map<String, Set<String>> reached = new LinkedHashMap<>();
        for (String role : roles()) {
            Map<String, String> pod = labels(podLabels(workloadsByRole(overlay).get(role)));
            Set<String> servesRole = new TreeSet<>();
            servers.forEach((server, serverPod) -> {
                if (reaches(overlay, pod, serverPod.labels(), serverPod.port())) {
                    servesRole.add(server);
                }
            });
            reached.put(role, servesRole);
        }
        assertThat(reached).as("%s: the servers each role may reach", overlay).isEqualTo(Map.of(
                "command", Set.of("primary"),
                "relay", Set.of("primary", "kafka"),
                "projector", Set.of("primary", "redis", "kafka"),
                "query", Set.of("primary", "replica", "redis")));
    }

    // --- schemas -------------------------------------------------------------------------------

    /** npm ci of the pinned schema packages into target/k8s-schemas, with the validator beside them. */
    private static void installSchemas() throws Exception {
        NodePackages.install(SCHEMA_SOURCES, SCHEMA_WORK, "kubernetes-models");
    }

    private static List<JsonNode> validate(List<Map<String, Object>> documents) throws Exception {
        Path input = SCHEMA_WORK.resolve("documents.json");
        Path output = SCHEMA_WORK.resolve("results.jsonl");
        Path errors = SCHEMA_WORK.resolve("validate.err");
        JSON.writeValue(input.toFile(), documents);
        Process node = new ProcessBuilder("node", "validate.mjs", input.toString()).directory(SCHEMA_WORK.toFile())
                .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node validate.mjs finished").isTrue();
        assertThat(node.exitValue()).as("node validate.mjs: %s", Files.readString(errors)).isZero();
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            results.add(JSON.readTree(line));
        }
        return results;
    }

    /**
     * Every field of a fabric8 or Strimzi model that its class does not declare: both keep such
     * fields aside (additionalProperties) instead of refusing them, so a misspelt field would pass a
     * plain read. Walks the properties Jackson sees.
     */
    static List<String> unknownFields(Object model, String path) {
        List<String> found = new ArrayList<>();
        walk(model, path, found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        String type = value.getClass().getName();
        if (!(type.startsWith("io.fabric8.") || type.startsWith("io.strimzi.")) || !seen.add(value)) {
            return;
        }
        try {
            Method additional = value.getClass().getMethod("getAdditionalProperties");
            if (Modifier.isPublic(additional.getModifiers()) && additional.invoke(value) instanceof Map<?, ?> extra
                    && !extra.isEmpty()) {
                found.add((path.isEmpty() ? "." : path) + " " + extra.keySet());
            }
        } catch (NoSuchMethodException none) {
            // a model without a place for unknown fields refuses them when read
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        BeanDescription bean = JSON.getSerializationConfig().introspect(JSON.constructType(value.getClass()));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.hasGetter()) {
                try {
                    walk(property.getGetter().getAnnotated().invoke(value), path + "." + property.getName(), found, seen);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static <T> T strimzi(ObjectNode doc, Class<T> model) throws IOException {
        T read = JSON.readerFor(model).readValue(doc);
        assertThat(unknownFields(read, "")).as("%s %s: fields Strimzi's model does not know", doc.path("kind").asText(),
                name(doc)).isEmpty();
        return read;
    }

    private static int replicasWith(List<KafkaNodePool> pools, ProcessRoles role) {
        return pools.stream().filter(p -> p.getSpec().getRoles().contains(role))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
    }

    private static Map<String, KafkaTopic> topics(String overlay) throws IOException {
        Map<String, KafkaTopic> topics = new LinkedHashMap<>();
        for (ObjectNode doc : ofKind(overlay, "KafkaTopic")) {
            KafkaTopic topic = strimzi(doc, KafkaTopic.class);
            String topicName = topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName()
                    : topic.getMetadata().getName();
            topics.put(topicName, topic);
        }
        return topics;
    }

    // --- what the service's configuration says -------------------------------------------------

    /** The roles, as the service names them ({@link Roles}'s switches). */
    static List<String> roles() {
        return Arrays.stream(Roles.class.getDeclaredMethods()).map(Method::getName).sorted().toList();
    }

    /** Every {@code ${ENV}} without a default in a value %prod uses. */
    static Set<String> requiredVariables() {
        Properties properties = Manifests.applicationProperties();
        Set<String> required = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (appliesToProd(key)) {
                Matcher m = REQUIRED_VARIABLE.matcher(properties.getProperty(key));
                while (m.find()) {
                    required.add(m.group(1));
                }
            }
        }
        return required;
    }

    private static boolean appliesToProd(String key) {
        if (!key.startsWith("%")) {
            return true;
        }
        String profiles = key.substring(1, key.indexOf('.'));
        return Arrays.asList(profiles.split(",")).contains("prod");
    }

    /** The topics the relay publishes to, the incoming channels consume, and their dead letters go to. */
    static Set<String> serviceTopics() {
        Properties properties = Manifests.applicationProperties();
        Set<String> topics = new TreeSet<>(consumedTopics());
        for (String key : properties.stringPropertyNames()) {
            if (appliesToProd(key) && (key.matches("(%[^.]+\\.)?ordersvc\\.relay\\.topics\\..+")
                    || key.matches("(%[^.]+\\.)?mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic"))) {
                topics.add(properties.getProperty(key));
            }
        }
        return topics;
    }

    static Set<String> consumedTopics() {
        Properties properties = Manifests.applicationProperties();
        Set<String> topics = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (appliesToProd(key) && key.matches("(%[^.]+\\.)?mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                topics.add(properties.getProperty(key));
            }
        }
        return topics;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> expectedPolicies() throws Exception {
        var field = Class.forName("io.ordersvc.cqrs.viewstore.RedisPolicyCheck").getDeclaredField("EXPECTED");
        field.setAccessible(true);
        return (Set<String>) field.get(null);
    }

    private static long streamNodeBytes() throws Exception {
        var field = Class.forName("io.ordersvc.cqrs.viewstore.RedisPolicyCheck").getDeclaredField("STREAM_NODE_BYTES");
        field.setAccessible(true);
        return field.getLong(null);
    }

    private static Map<String, String> configMap(String overlay) {
        return serviceConfig(overlay);
    }

    private static String redisName(String overlay) {
        return name(redisStatefulSet(overlay));
    }

    private static Duration duration(String quarkus) {
        return Duration.parse("PT" + quarkus.toUpperCase());
    }

    private static long bytes(String size) {
        Matcher m = Pattern.compile("(?i)([0-9]+)\\s*(k|kb|m|mb|g|gb|ki|mi|gi)?").matcher(size.strip());
        assertThat(m.matches()).as("a size: %s", size).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase();
        return switch (unit) {
            case "" -> n;
            case "k" -> n * 1000;
            case "kb", "ki" -> n * 1024;
            case "m" -> n * 1000_000;
            case "mb", "mi" -> n * 1024 * 1024;
            case "g" -> n * 1000_000_000;
            case "gb", "gi" -> n * 1024 * 1024 * 1024;
            default -> throw new AssertionError(size);
        };
    }

    // --- network policies ----------------------------------------------------------------------

    private record ServerPod(Map<String, String> labels, int port) {
    }

    /** The fields of CloudNativePG's ClusterSpec these manifests use (its API reference, postgresql.cnpg.io/v1). */
    private static final Set<String> CLUSTER_SPEC_FIELDS_USED = Set.of("instances", "imageName", "primaryUpdateStrategy",
            "postgresql", "bootstrap", "managed", "storage", "resources", "monitoring", "affinity", "walStorage",
            "backup", "description", "enableSuperuserAccess", "superuserSecret", "primaryUpdateMethod",
            "minSyncReplicas", "maxSyncReplicas", "replicationSlots", "topologySpreadConstraints", "env", "certificates");
}
