package io.ordersvc.cqrs.projector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.cqrs.projector.ProjectorMembershipConfig.OnStop;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whether this stop is for good, so that a static member leaves its groups, or a restart, so that
 * it stays and takes its partitions back when it returns ({@code ordersvc.projector.on-stop}):
 * <ul>
 * <li>{@code stay}, {@code leave}: as configured, for every stop.</li>
 * <li>{@code kubernetes}: asked of the API server at the moment of stopping. The pod (a StatefulSet's,
 * named {@code <set>-<ordinal>}) stays when its StatefulSet is rolling it over to a newer revision
 * (its {@code controller-revision-hash} label, given by the downward API, differs from the set's
 * {@code status.updateRevision}), and leaves otherwise: scaled down (its ordinal is not below
 * {@code spec.replicas}), or stopped at the current revision (a drain, an eviction, a deletion:
 * it comes back later, maybe elsewhere, and its partitions should not wait for it). When the API
 * server does not answer within a second, it leaves: partitions that move cost one rebalance,
 * partitions that wait for a member that does not come back stall for the session timeout.</li>
 * </ul>
 */
@ApplicationScoped
class StopIntent {

    /** Leave or stay, and why (for the log line of the stop). */
    record Decision(boolean leave, String why) {

        static Decision dynamic() {
            return new Decision(true, "dynamic members leave as they close");
        }
    }

    /** What a StatefulSet says of one of its pods that is stopping. */
    record StatefulSetView(String name, int ordinal, String podRevision, int replicas, String updateRevision) {

        Decision decision() {
            if (ordinal >= replicas) {
                return new Decision(true, "StatefulSet " + name + " scaled down to " + replicas + ": pod " + ordinal + " goes for good");
            }
            if (!podRevision.equals(updateRevision)) {
                return new Decision(false, "StatefulSet " + name + " rolls its pods over to revision " + updateRevision
                        + ": this one (" + podRevision + ") restarts");
            }
            return new Decision(true, "pod stopped at its StatefulSet's current revision (drain, eviction, deletion)");
        }

        /** The view of pod {@code pod} (named {@code <set>-<ordinal>}) from the StatefulSet as the API server answers it. */
        static StatefulSetView of(String pod, String podRevision, JsonNode statefulSet) {
            int dash = pod.lastIndexOf('-');
            return new StatefulSetView(pod.substring(0, dash), Integer.parseInt(pod.substring(dash + 1)), podRevision,
                    statefulSet.path("spec").path("replicas").asInt(1), statefulSet.path("status").path("updateRevision").asText());
        }
    }

    private static final Path ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final Duration API_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProjectorMembershipConfig config;

    StopIntent(ProjectorMembershipConfig config) {
        this.config = config;
    }

    /** Asked once, when the instance stops. */
    Decision decide() {
        OnStop onStop = config.projector().onStop();
        return switch (onStop) {
            case STAY -> new Decision(false, "ordersvc.projector.on-stop=stay");
            case LEAVE -> new Decision(true, "ordersvc.projector.on-stop=leave");
            case KUBERNETES -> kubernetes(System.getenv());
        };
    }

    /** The API server's view of this pod's stop; leave when it cannot be had. */
    Decision kubernetes(Map<String, String> env) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String pod = config.instanceId().orElse("");
        String revision = config.projector().podRevision().orElse("");
        if (host == null || pod.lastIndexOf('-') < 0 || revision.isBlank()) {
            return new Decision(true, "on-stop=kubernetes, but not in a StatefulSet's pod with its revision"
                    + " (KUBERNETES_SERVICE_HOST, ORDERS_INSTANCE_ID=<set>-<ordinal>, ORDERSVC_PROJECTOR_POD_REVISION)");
        }
        try {
            String namespace = Files.readString(ACCOUNT.resolve("namespace")).trim();
            String set = pod.substring(0, pod.lastIndexOf('-'));
            URI uri = URI.create("https://" + host + ":" + env.getOrDefault("KUBERNETES_SERVICE_PORT", "443")
                    + "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/" + set);
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(ACCOUNT.resolve("ca.crt"))).connectTimeout(API_TIMEOUT).build();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(API_TIMEOUT)
                    .header("Authorization", "Bearer " + Files.readString(ACCOUNT.resolve("token")).trim())
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return new Decision(true, "the API server answered " + answer.statusCode() + " for StatefulSet " + set);
            }
            return StatefulSetView.of(pod, revision, JSON.readTree(answer.body())).decision();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return new Decision(true, "the API server could not be asked: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Decision(true, "interrupted while asking the API server");
        }
    }

    /** TLS that trusts the cluster's CA, as the service account's mount gives it. */
    private static SSLContext trusting(Path caCertificate) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
