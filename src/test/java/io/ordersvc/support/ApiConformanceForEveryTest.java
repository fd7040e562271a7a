package io.ordersvc.support;

import io.quarkus.test.junit.callback.QuarkusTestAfterAllCallback;
import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestContext;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Holds every REST Assured exchange of every {@code @QuarkusTest} to the API document: installs
 * {@link ApiConformanceFilter} before each test (registered in {@code META-INF/services}, so that no
 * specification has to ask for it), fails a test whose disagreement was swallowed (an
 * {@code ignoreExceptions()} wait, a caught error), and writes what each test class's traffic had
 * checked to {@code target/api-conformance.log}.
 */
public final class ApiConformanceForEveryTest implements QuarkusTestBeforeClassCallback, QuarkusTestBeforeEachCallback,
        QuarkusTestAfterEachCallback, QuarkusTestAfterAllCallback {

    private static final Path LOG = Path.of("target", "api-conformance.log");
    private static volatile String testClass = "?";

    @Override
    public void beforeClass(Class<?> testClass) {
        ApiConformanceForEveryTest.testClass = testClass.getName();
        ApiConformanceFilter.startCounting();
        ApiConformanceFilter.forgetDocuments();
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(ApiConformanceFilter.class::isInstance)) {
            RestAssured.filters(ApiConformanceFilter.served());
        }
    }

    @Override
    public void afterEach(QuarkusTestMethodContext context) {
        List<String> disagreements = ApiConformanceFilter.drainDisagreements();
        if (!disagreements.isEmpty() && !context.getTestStatus().isTestFailed()) {
            throw new AssertionError(context.getTestMethod().getName() + ": the API document (/q/openapi) and the wire "
                    + "disagree, though the test went on:\n  " + String.join("\n  ", disagreements));
        }
    }

    @Override
    public void afterAll(QuarkusTestContext context) {
        Map<String, Long> counts = ApiConformanceFilter.counts();
        String line = testClass + ": " + (counts.isEmpty() ? "no REST Assured traffic"
                : counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                + "; " + ApiConformanceFilter.checkingMillis() + " ms checking");
        System.out.println("API document on the wire, " + line);
        try {
            Files.createDirectories(LOG.getParent());
            Files.writeString(LOG, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
