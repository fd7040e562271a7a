package io.ordersvc.deploy;

import static io.ordersvc.deploy.Manifests.SERVICE;
import static io.ordersvc.deploy.Manifests.container;
import static io.ordersvc.deploy.Manifests.workloadsByRole;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every probe path of the manifests, asked of the running service: each answers UP. (In the tests
 * the health paths are on the HTTP port; in %prod the management interface serves the same paths on
 * its own port, which {@link ManifestsTest} checks the probes use.)
 */
@QuarkusTest
class ManifestsProbePathsTest {

    @Test
    void every_probe_path_of_the_manifests_is_one_the_service_answers_up() {
        Set<String> paths = new TreeSet<>();
        for (String overlay : Manifests.overlays()) {
            for (JsonNode workload : workloadsByRole(overlay).values()) {
                JsonNode c = container(workload, SERVICE);
                for (String probe : ManifestsTest.PROBES.keySet()) {
                    paths.add(c.path(probe).path("httpGet").path("path").asText());
                }
            }
        }
        assertThat(paths).as("probe paths in the manifests").isNotEmpty().doesNotContain("");
        for (String path : paths) {
            // readiness waits for the instance's connections to open (WarmUp)
            Awaitility.await(path + " answers UP").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get(path).then().statusCode(200).body("status", equalTo("UP")));
        }
    }
}
