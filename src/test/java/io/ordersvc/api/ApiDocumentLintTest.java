package io.ordersvc.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersvc.support.NodePackages;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The API document as a tool no one here wrote judges it: {@code @redocly/cli lint} with its
 * recommended rules, on the document this service serves at {@code /q/openapi}. Redocly comes from
 * npm, pinned by {@code src/test/redocly/package-lock.json}; the document and the report are kept in
 * {@code target/api-lint}.
 */
@QuarkusTest
class ApiDocumentLintTest {

    private static final Path SOURCES = Path.of("src/test/redocly");
    private static final Path WORK = Path.of("target/api-lint").toAbsolutePath();
    private static final long LINT_TIMEOUT_S = 120;

    @Test
    void the_served_document_has_no_error_under_redoclys_recommended_rules() throws Exception {
        NodePackages.install(SOURCES, WORK, "@redocly/cli");
        String document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        Files.writeString(WORK.resolve("openapi.json"), document, StandardCharsets.UTF_8);

        JsonNode report = lint("openapi.json");

        List<String> errors = new ArrayList<>();
        for (JsonNode problem : report.path("problems")) {
            if (problem.path("severity").asText().equals("error")) {
                errors.add(problem.path("ruleId").asText() + " at " + problem.at("/location/0/pointer").asText() + ": "
                        + problem.path("message").asText());
            }
        }
        assertThat(report.has("totals")).as("redocly's report in %s", WORK.resolve("lint.json")).isTrue();
        assertThat(errors).as("redocly lint errors in the served document (%s; warnings: %d)", WORK.resolve("lint.json"),
                report.at("/totals/warnings").asInt()).isEmpty();
    }

    /** Runs {@code redocly lint} with the committed configuration; answers its JSON report. */
    private static JsonNode lint(String document) throws Exception {
        Path report = WORK.resolve("lint.json");
        Path log = WORK.resolve("logs").resolve("lint.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(report);
        ProcessBuilder redocly = new ProcessBuilder("node", "node_modules/@redocly/cli/bin/cli.js", "lint", document,
                "--config", "redocly.yaml", "--format", "json").directory(WORK.toFile())
                .redirectOutput(report.toFile()).redirectError(log.toFile());
        // no usage data sent and no update check: the build talks to no one but the service
        redocly.environment().putAll(Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"));
        Process process = redocly.start();
        boolean finished = process.waitFor(LINT_TIMEOUT_S, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        assertThat(finished).as("redocly lint finished within %d s (%s)", LINT_TIMEOUT_S, log).isTrue();
        String json = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(json).as("redocly's report; its log: %s", Files.readString(log, StandardCharsets.UTF_8)).isNotBlank();
        return new ObjectMapper().readTree(json);
    }
}
