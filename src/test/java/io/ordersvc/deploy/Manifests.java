package io.ordersvc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests as {@code kubectl kustomize} renders each overlay of {@code k8s/overlays},
 * and what the tests read from them. kubectl comes with these machines' image (not from a registry
 * reachable from them): {@code /usr/bin/kubectl}, or {@code -Dkubectl=/path/to/kubectl}.
 */
final class Manifests {

    static final Path OVERLAYS = Path.of("k8s/overlays");
    static final Path KUBECTL = Path.of(System.getProperty("kubectl", "/usr/bin/kubectl"));
    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");
    /** The label every pod of the service carries; its component label names the role. */
    static final String NAME = "app.kubernetes.io/name";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String SERVICE = "order-service";

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** The overlays' names, from the folder: a new overlay is checked without touching the tests. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            List<String> names = dirs.filter(dir -> Files.exists(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList();
            assertThat(names).as("overlays under %s", OVERLAYS).isNotEmpty();
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of the overlay, as {@code kubectl kustomize} renders it (rendered once per run). */
    static List<ObjectNode> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, Manifests::render);
    }

    private static List<ObjectNode> render(String overlay) {
        assertThat(Files.isExecutable(KUBECTL))
                .as("the manifest checks need kubectl (it renders the overlays offline with `kubectl kustomize`); "
                        + "none at %s: install kubectl (1.32 is the one checked), or pass -Dkubectl=/path/to/kubectl", KUBECTL)
                .isTrue();
        try {
            Path out = Files.createDirectories(Path.of("target/k8s")).resolve(overlay + ".yaml");
            Path err = out.resolveSibling(overlay + ".err");
            Process kubectl = new ProcessBuilder(KUBECTL.toString(), "kustomize", OVERLAYS.resolve(overlay).toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(kubectl.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize %s finished", overlay).isTrue();
            assertThat(kubectl.exitValue()).as("kubectl kustomize %s: %s", overlay, Files.readString(err)).isZero();
            List<ObjectNode> documents = new ArrayList<>();
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(out.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && doc.isObject() && !doc.isEmpty()) {
                        documents.add((ObjectNode) doc);
                    }
                }
            }
            assertThat(documents).as("documents rendered from %s", overlay).isNotEmpty();
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<ObjectNode> ofKind(String overlay, String kind) {
        return rendered(overlay).stream().filter(doc -> kind.equals(doc.path("kind").asText())).toList();
    }

    static ObjectNode named(String overlay, String kind, String name) {
        return ofKind(overlay, kind).stream().filter(doc -> name.equals(name(doc))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " has no " + kind + " " + name));
    }

    static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    /** The service's workloads (Deployments and StatefulSets labelled order-service), by role. */
    static Map<String, ObjectNode> workloadsByRole(String overlay) {
        Map<String, ObjectNode> byRole = new LinkedHashMap<>();
        rendered(overlay).stream()
                .filter(doc -> List.of("Deployment", "StatefulSet").contains(doc.path("kind").asText()))
                .filter(doc -> SERVICE.equals(podLabels(doc).path(NAME).asText()))
                .forEach(doc -> {
                    ObjectNode before = byRole.put(podLabels(doc).path(COMPONENT).asText(), doc);
                    assertThat(before).as("%s: a second workload for role %s", overlay, podLabels(doc).path(COMPONENT))
                            .isNull();
                });
        return byRole;
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode podLabels(JsonNode workload) {
        return workload.path("spec").path("template").path("metadata").path("labels");
    }

    static JsonNode container(JsonNode workload, String name) {
        for (JsonNode c : podSpec(workload).path("containers")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError(name(workload) + " has no container " + name);
    }

    /**
     * The container's environment as the kubelet would build it: envFrom ConfigMaps (looked up in the
     * rendered overlay, keys and values), then env entries (a literal value, or a description of its
     * source: {@code secret:<name>/<key>}, {@code field:<path>}).
     */
    static Map<String, String> environment(String overlay, JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            assertThat(from.has("secretRef")).as("%s: credentials are named one by one (secretKeyRef), never a whole "
                    + "Secret by envFrom: %s", overlay, from).isFalse();
            ObjectNode map = named(overlay, "ConfigMap", from.path("configMapRef").path("name").asText());
            map.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode e : container.path("env")) {
            JsonNode source = e.path("valueFrom");
            String value = e.has("value") ? e.path("value").asText()
                    : source.has("secretKeyRef") ? "secret:" + source.path("secretKeyRef").path("name").asText() + "/"
                            + source.path("secretKeyRef").path("key").asText()
                    : source.has("fieldRef") ? "field:" + source.path("fieldRef").path("fieldPath").asText()
                    : source.has("configMapKeyRef") ? "configmap:" + source.path("configMapKeyRef").path("name").asText()
                            + "/" + source.path("configMapKeyRef").path("key").asText()
                    : null;
            assertThat(value).as("%s: env %s has a value or a known source", overlay, e).isNotNull();
            env.put(e.path("name").asText(), value);
        }
        return env;
    }

    /** The service's configuration as every role reads it (order-service-config: the roles share it). */
    static Map<String, String> serviceConfig(String overlay) {
        JsonNode anyRole = workloadsByRole(overlay).values().iterator().next();
        return environment(overlay, container(anyRole, SERVICE));
    }

    /** Whether the service talks to a Redis Cluster (ORDERS_REDIS_CLIENT_TYPE; standalone when unset). */
    static boolean redisCluster(String overlay) {
        return "cluster".equals(serviceConfig(overlay).getOrDefault("ORDERS_REDIS_CLIENT_TYPE", "standalone"));
    }

    /** The URLs the service connects to: a cluster's seeds (ORDERS_REDIS_CLUSTER_URL), or ORDERS_REDIS_URL. */
    static List<String> redisUrls(String overlay) {
        Map<String, String> config = serviceConfig(overlay);
        String urls = redisCluster(overlay) ? config.get("ORDERS_REDIS_CLUSTER_URL") : config.get("ORDERS_REDIS_URL");
        assertThat(urls).as("%s: the Redis URLs of a %s client", overlay, redisCluster(overlay) ? "cluster" : "standalone")
                .isNotBlank();
        return List.of(urls.split(","));
    }

    /** A redis:// URL's host (no user or password in it). */
    static String host(String url) {
        return url.strip().replaceFirst("^rediss?://([^:/@]*(:[^@]*)?@)?", "").replaceFirst("[:/].*", "");
    }

    static int port(String url) {
        Matcher m = Pattern.compile("^rediss?://(?:[^@/]*@)?[^:/]+:([0-9]+)").matcher(url.strip());
        return m.find() ? Integer.parseInt(m.group(1)) : 6379;
    }

    /**
     * The Redis StatefulSet the service talks to, from its first URL's host: a Service's name (its
     * selector picks the pods), or a pod's stable name in a StatefulSet's governing Service
     * ({@code <statefulset>-<n>.<serviceName>}).
     */
    static ObjectNode redisStatefulSet(String overlay) {
        String host = host(redisUrls(overlay).get(0));
        String[] parts = host.split("\\.");
        if (parts.length > 1) {
            return ofKind(overlay, "StatefulSet").stream()
                    .filter(s -> s.path("spec").path("serviceName").asText().equals(parts[1])
                            && parts[0].matches(Pattern.quote(name(s)) + "-[0-9]+"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": no StatefulSet has a pod named " + host));
        }
        JsonNode service = named(overlay, "Service", host);
        JsonNode selector = YAML.createObjectNode().set("matchLabels", service.path("spec").path("selector"));
        return ofKind(overlay, "StatefulSet").stream().filter(s -> selects(selector, labels(podLabels(s)))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no StatefulSet behind the Redis Service " + host));
    }

    /**
     * The settings a Redis StatefulSet's server reads: the config file it is started with (the
     * official image's first argument ending in .conf), from the ConfigMap mounted there, with each
     * {@code include} read in place as redis-server does; a later line wins.
     */
    static Map<String, String> redisSettings(String overlay, JsonNode statefulSet) {
        JsonNode redis = podSpec(statefulSet).path("containers").get(0);
        String conf = null;
        for (JsonNode arg : redis.path("args")) {
            if (conf == null && arg.asText().endsWith(".conf")) {
                conf = arg.asText();
            }
        }
        assertThat(conf).as("%s: %s starts redis-server with a config file", overlay, name(statefulSet)).isNotNull();
        Map<String, String> settings = new LinkedHashMap<>();
        readRedisConf(overlay, statefulSet, conf, settings, 0);
        return settings;
    }

    private static void readRedisConf(String overlay, JsonNode statefulSet, String file, Map<String, String> settings,
            int depth) {
        assertThat(depth).as("%s: includes nest no deeper", file).isLessThan(4);
        for (String line : mountedFile(overlay, statefulSet, file).lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] setting = line.split("\\s+", 2);
            String value = setting.length > 1 ? setting[1] : "";
            if (setting[0].equals("include")) {
                readRedisConf(overlay, statefulSet, value, settings, depth + 1);
            } else {
                settings.put(setting[0], value);
            }
        }
    }

    /** A file the StatefulSet's first container sees, from the ConfigMap volume mounted at its folder. */
    private static String mountedFile(String overlay, JsonNode statefulSet, String file) {
        Path path = Path.of(file);
        String folder = path.getParent().toString();
        String fileName = path.getFileName().toString();
        for (JsonNode mount : podSpec(statefulSet).path("containers").get(0).path("volumeMounts")) {
            if (!mount.path("mountPath").asText().equals(folder)) {
                continue;
            }
            for (JsonNode volume : podSpec(statefulSet).path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("configMap")) {
                    String key = fileName;
                    for (JsonNode item : volume.path("configMap").path("items")) {
                        if (item.path("path").asText().equals(fileName)) {
                            key = item.path("key").asText();
                        }
                    }
                    JsonNode data = named(overlay, "ConfigMap", volume.path("configMap").path("name").asText()).path("data");
                    assertThat(data.has(key)).as("%s: %s is in its ConfigMap", overlay, file).isTrue();
                    return data.path(key).asText();
                }
            }
        }
        throw new AssertionError(overlay + ": " + name(statefulSet) + " has no ConfigMap mounted at " + folder);
    }

    /**
     * Whether a pod may open a connection to another on the port, as the NetworkPolicies of both
     * sides allow: the client's egress and the server's ingress.
     */
    static boolean reaches(String overlay, Map<String, String> client, Map<String, String> server, int port) {
        return allowed(overlay, client, server, port, "Egress", "egress", "to")
                && allowed(overlay, server, client, port, "Ingress", "ingress", "from");
    }

    /**
     * Kubernetes' rule, one direction: a pod no policy of that direction selects is open; otherwise
     * the peer must be allowed, on the port, by a rule of one of them. Peers here are pods of the same
     * namespace (podSelector only); the ports are numbers.
     */
    private static boolean allowed(String overlay, Map<String, String> pod, Map<String, String> peer, int port,
            String type, String rules, String peers) {
        boolean isolated = false;
        for (ObjectNode policy : ofKind(overlay, "NetworkPolicy")) {
            JsonNode spec = policy.path("spec");
            if (!selects(spec.path("podSelector"), pod) || !spec.path("policyTypes").toString().contains(type)) {
                continue;
            }
            isolated = true;
            for (JsonNode rule : spec.path(rules)) {
                if (onPort(rule, port) && (!rule.has(peers) || peerIn(rule.path(peers), peer))) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean onPort(JsonNode rule, int port) {
        if (!rule.has("ports")) {
            return true;
        }
        for (JsonNode p : rule.path("ports")) {
            if (!p.has("port") || p.path("port").asInt() == port) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerIn(JsonNode peers, Map<String, String> peer) {
        for (JsonNode p : peers) {
            if (!p.has("namespaceSelector") && !p.has("ipBlock") && selects(p.path("podSelector"), peer)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Kubernetes label selector (matchLabels, matchExpressions) selects these labels. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        var matchLabels = selector.path("matchLabels").fields();
        while (matchLabels.hasNext()) {
            var e = matchLabels.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** application.properties as written (profiles in the keys: {@code %prod.x}). */
    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(APPLICATION_PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** A property as the %prod profile sees it: its %prod value, else its value for every profile. */
    static Optional<String> prod(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty("%prod." + key, properties.getProperty(key)));
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
