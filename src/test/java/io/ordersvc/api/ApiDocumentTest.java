package io.ordersvc.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ordersvc.cqrs.process.Side;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API document at {@code /q/openapi} describes every endpoint the service has, as the code
 * declares it: found by reflection, so that an endpoint added without its description fails here.
 */
@QuarkusTest
class ApiDocumentTest {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Set<String> TAGS = Set.of("orders", "customers", "catalog", "sales", "admin", "ui", "dev");

    private static JsonNode document;
    private static List<Endpoint> endpoints;

    /** One resource method: its HTTP method, its full path template, and the Java method. */
    record Endpoint(String httpMethod, String path, Method method) {

        Class<?> resource() {
            return method.getDeclaringClass();
        }

        @Override
        public String toString() {
            return httpMethod + " " + path + " (" + resource().getSimpleName() + "." + method.getName() + ")";
        }
    }

    /** Read once, in the first test (the application, and RestAssured's port, are set up by then). */
    @BeforeEach
    void read_the_document_and_the_endpoints() throws Exception {
        if (document != null) {
            return;
        }
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        document = new ObjectMapper().readTree(json);
        endpoints = endpoints();
        assertThat(endpoints).as("resource methods found").hasSizeGreaterThan(20);
    }

    @Test
    void the_document_is_served_to_anyone_without_a_token() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi: 3.1"));
        assertThat(document.at("/info/title").asText()).isNotBlank();
        assertThat(document.at("/info/version").asText()).isNotBlank();
        assertThat(document.at("/info/description").asText()).isNotBlank();
    }

    @Test
    void every_endpoint_is_in_the_document_with_a_summary_a_feature_tag_and_a_success() {
        for (Endpoint e : endpoints) {
            JsonNode operation = operation(e);
            assertThat(operation.path("summary").asText()).as("summary of %s", e).isNotBlank();
            assertThat(operation.path("tags")).as("tags of %s", e).hasSize(1);
            assertThat(TAGS).as("tag of %s", e).contains(operation.path("tags").get(0).asText());
            assertThat(codes(operation)).as("responses of %s", e).anyMatch(code -> code.startsWith("2"));
        }
    }

    @Test
    void the_document_describes_no_endpoint_the_service_does_not_have() {
        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path -> fieldNames(path.getValue())
                .forEach(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        Set<String> real = new TreeSet<>(endpoints.stream().map(e -> e.httpMethod() + " " + e.path()).toList());
        assertThat(documented).isEqualTo(real);
    }

    @Test
    void every_error_an_endpoint_answers_is_a_problem_with_the_shared_schema() {
        for (Endpoint e : endpoints) {
            JsonNode responses = operation(e).path("responses");
            for (String code : codes(operation(e))) {
                if (code.startsWith("4") || code.startsWith("5")) {
                    JsonNode content = responses.path(code).path("content");
                    assertThat(fieldNames(content)).as("%s of %s", code, e).containsExactly("application/problem+json");
                    assertThat(content.at("/application~1problem+json/schema/$ref").asText()).as("%s of %s", code, e)
                            .isEqualTo(PROBLEM_REF);
                }
            }
        }
        JsonNode problem = document.at("/components/schemas/Problem/properties");
        assertThat(fieldNames(problem)).contains("type", "title", "status", "detail", "errors");
        assertThat(document.at("/components/schemas/FieldError/properties").has("field")).isTrue();
    }

    @Test
    void a_secured_endpoint_needs_a_bearer_token_names_its_roles_and_answers_401_and_403() {
        assertThat(document.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/bearer/bearerFormat").asText()).isEqualTo("JWT");
        for (Endpoint e : endpoints) {
            JsonNode operation = operation(e);
            List<String> roles = roles(e);
            if (roles == null) {
                // said, not left out: `security: []`
                assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
                        .as("security of open %s", e).isTrue();
                continue;
            }
            assertThat(texts(operation.at("/security/0/bearer"))).as("bearer requirement of %s", e)
                    .containsExactlyInAnyOrderElementsOf(roles);
            assertThat(texts(operation.path("x-roles"))).as("x-roles of %s", e).containsExactlyInAnyOrderElementsOf(roles);
            assertThat(codes(operation)).as("responses of %s", e).contains("401", "403", "503");
            assertThat(operation.at("/responses/401/headers/WWW-Authenticate").isMissingNode()).as("401 of %s", e).isFalse();
        }
    }

    @Test
    void a_change_stream_is_an_event_stream_that_resumes_and_explains_its_events() {
        List<Endpoint> streams = endpoints.stream().filter(ApiDocumentTest::isStream).toList();
        assertThat(streams).hasSize(4);
        for (Endpoint e : streams) {
            JsonNode operation = operation(e);
            assertThat(fieldNames(operation.at("/responses/200/content"))).as("200 of %s", e)
                    .containsExactly(MediaType.SERVER_SENT_EVENTS);
            assertThat(headers(operation)).as("headers of %s", e).contains("Last-Event-ID");
            assertThat(operation.path("description").asText()).as("description of %s", e)
                    .contains("`reset`", "heartbeat", "`id`");
            assertThat(codes(operation)).as("responses of %s", e).contains("400", "429", "503");
            assertThat(operation.at("/responses/429/headers/Retry-After").isMissingNode()).as("429 of %s", e).isFalse();
        }
    }

    @Test
    void every_header_an_endpoint_reads_is_documented_with_its_meaning() {
        for (Endpoint e : endpoints) {
            Set<String> read = new TreeSet<>();
            for (var parameter : e.method().getParameters()) {
                HeaderParam header = parameter.getAnnotation(HeaderParam.class);
                if (header != null) {
                    read.add(header.value());
                }
            }
            assertThat(headers(operation(e))).as("headers of %s", e).containsAll(read);
            for (JsonNode parameter : operation(e).path("parameters")) {
                if (parameter.path("in").asText().equals("header")) {
                    assertThat(parameter.path("description").asText()).as("%s of %s", parameter.path("name"), e).isNotBlank();
                }
            }
        }
    }

    @Test
    void a_command_takes_an_idempotency_key_and_answers_where_its_aggregate_is_and_its_version() {
        List<Endpoint> commands = endpoints.stream().filter(e -> side(e) == Side.Kind.COMMAND).toList();
        assertThat(commands).hasSizeGreaterThanOrEqualTo(9);
        for (Endpoint e : commands) {
            JsonNode operation = operation(e);
            assertThat(headers(operation)).as("headers of %s", e).contains("Idempotency-Key", "X-Correlation-Id");
            if (e.path().contains("{id}")) {
                assertThat(headers(operation)).as("headers of %s", e).contains("If-Match");
                assertThat(codes(operation)).as("responses of %s", e).contains("404", "409", "412");
            }
            JsonNode success = successOf(operation);
            assertThat(fieldNames(success.path("headers"))).as("success headers of %s", e).contains("ETag", "Location");
            for (String header : List.of("ETag", "Location")) {
                assertThat(resolved(success.path("headers").path(header)).path("required").asBoolean())
                        .as("%s of %s is always sent", header, e).isTrue();
            }
            String accepted = success.at("/content/application~1json/schema/$ref").asText();
            assertThat(accepted).as("success body of %s", e).matches("#/components/schemas/[A-Z][a-z]+Accepted");
            assertThat(document.at(accepted.substring(1) + "/required")).as("%s of %s", accepted, e).hasSize(2);
            assertThat(codes(operation)).as("responses of %s", e).contains("400", "413", "415", "422", "429");
            assertThat(operation.path("requestBody").isMissingNode() && takesBody(e)).as("body of %s", e).isFalse();
            assertThat(operation.path("requestBody").isMissingNode() || takesBody(e)).as("body of %s", e).isTrue();
        }
    }

    /** The document completes what every command shares by this mark, so only commands may bear it. */
    @Test
    void what_takes_an_idempotency_key_is_a_command() {
        for (Endpoint e : endpoints) {
            if (headers(operation(e)).contains("Idempotency-Key")) {
                assertThat(side(e)).as("side of %s", e).isEqualTo(Side.Kind.COMMAND);
            }
        }
    }

    @Test
    void reading_an_order_tells_its_version_and_where_it_was_read_from() {
        JsonNode details = document.at("/paths/~1orders~1{id}/get");
        assertThat(fieldNames(details.at("/responses/200/headers"))).contains("ETag", "X-Read-Source");
        assertThat(headers(details)).contains("X-Min-Version", "If-None-Match");
        assertThat(codes(details)).contains("304", "400", "404");
    }

    @Test
    void swagger_ui_is_served_in_tests_and_only_its_pages_may_run_inline_code() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self' 'unsafe-inline'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        given().get("/q/openapi").then().statusCode(200)
                .header("Content-Security-Policy", not(containsString("unsafe-inline")));
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", not(containsString("unsafe-inline")));
    }

    // --- the endpoints, as the code declares them

    private static List<Endpoint> endpoints() throws ClassNotFoundException {
        List<Endpoint> found = new ArrayList<>();
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ordersvc");
        for (var imported : classes) {
            if (!imported.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = Class.forName(imported.getName(), false, Thread.currentThread().getContextClassLoader());
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod != null && Modifier.isPublic(method.getModifiers())) {
                    Path sub = method.getAnnotation(Path.class);
                    found.add(new Endpoint(httpMethod, normalized(base + "/" + (sub == null ? "" : sub.value())), method));
                }
            }
        }
        return found;
    }

    private static String httpMethod(Method method) {
        return Arrays.stream(method.getAnnotations())
                .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(m -> m != null).map(HttpMethod::value).findFirst().orElse(null);
    }

    private static String normalized(String path) {
        String p = ("/" + path).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The roles that may call it (the method's own {@code @RolesAllowed}, else its class's), or null when it is open. */
    private static List<String> roles(Endpoint e) {
        if (e.method().isAnnotationPresent(PermitAll.class)) {
            return null;
        }
        RolesAllowed roles = e.method().getAnnotation(RolesAllowed.class);
        if (roles == null) {
            roles = e.resource().getAnnotation(RolesAllowed.class);
        }
        assertThat(roles).as("roles of %s", e).isNotNull();
        return List.of(roles.value());
    }

    private static Side.Kind side(Endpoint e) {
        Side side = e.resource().getAnnotation(Side.class);
        return side == null ? null : side.value();
    }

    private static boolean isStream(Endpoint e) {
        Produces produces = e.method().getAnnotation(Produces.class);
        return produces != null && Arrays.asList(produces.value()).contains(MediaType.SERVER_SENT_EVENTS);
    }

    /** Whether the Java method takes a body: a parameter that is neither a path, query or header parameter nor a context. */
    private static boolean takesBody(Endpoint e) {
        return Arrays.stream(e.method().getParameters()).anyMatch(p -> Arrays.stream(p.getAnnotations())
                .noneMatch(a -> a.annotationType().getPackageName().equals("jakarta.ws.rs")
                        || a.annotationType().getPackageName().equals("jakarta.ws.rs.core")));
    }

    // --- reading the document

    private static JsonNode operation(Endpoint e) {
        JsonNode operation = document.path("paths").path(e.path()).path(e.httpMethod().toLowerCase());
        assertThat(operation.isMissingNode()).as("%s in the document", e).isFalse();
        return operation;
    }

    private static JsonNode resolved(JsonNode node) {
        return node.has("$ref") ? document.at(node.path("$ref").asText().substring(1)) : node;
    }

    private static Set<String> codes(JsonNode operation) {
        return new TreeSet<>(fieldNames(operation.path("responses")));
    }

    private static JsonNode successOf(JsonNode operation) {
        return codes(operation).stream().filter(code -> code.startsWith("2")).findFirst()
                .map(code -> operation.path("responses").path(code)).orElseThrow();
    }

    private static Set<String> headers(JsonNode operation) {
        Set<String> names = new TreeSet<>();
        operation.path("parameters").forEach(p -> {
            if (p.path("in").asText().equals("header")) {
                names.add(p.path("name").asText());
            }
        });
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(property -> names.add(property.getKey()));
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
