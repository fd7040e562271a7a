package io.ordersvc.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether one exchange on the wire, a request and its answer, agrees with the API document: the
 * operation exists, the answer's status is one it declares, with the headers, media type and body
 * it declares; and, for a request the service did not refuse, the parameters, body and caller the
 * document asks for. Schemas are checked by networknt's JSON Schema validator in OpenAPI 3.1's
 * dialect, formats asserted (a {@code uuid} must be one), against the document itself, so that
 * every {@code $ref} means what it means to any client.
 *
 * <p>Outside the document, and so not checked (each decided where it is met, and counted as
 * {@link Verdict#outOfScope()}): Quarkus's own endpoints under {@code /q/} (health, metrics, this
 * document, Swagger UI); the web UI's files; {@code OPTIONS}, HTTP's own question; a request the service
 * refused with a 4xx (its answer is checked); and the events inside a {@code text/event-stream}
 * (the stream's status, headers and media type are checked). The dev-only token endpoint is in the
 * document of the dev and test builds, and is checked like any other operation.
 */
public final class ApiConformance {

    /** Where the schemas see the document: a name that resolves nowhere, so nothing is ever fetched. */
    private static final String DOCUMENT_IRI = "https://ordersvc.invalid/q/openapi";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final String EVENT_STREAM = "text/event-stream";

    /** One request and its answer as they went over the wire; header names in lower case, a body null when absent or not read. */
    public record Exchange(String method, String path, Map<String, List<String>> query, Map<String, List<String>> requestHeaders,
            String requestBody, int status, Map<String, List<String>> answerHeaders, String answerBody) {

        String requestHeader(String name) {
            List<String> values = requestHeaders.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String answerHeader(String name) {
            List<String> values = answerHeaders.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        boolean refused() {
            return status >= 400 && status < 500;
        }

        @Override
        public String toString() {
            return method + " " + path + " answered " + status;
        }
    }

    /**
     * What the check found: the operation ({@code POST /orders/{id}/confirm}) or null, whether the
     * request and the answer were checked, why the exchange is outside the document (null when it is
     * inside), and every disagreement, each naming the request, the operation and what disagrees.
     */
    public record Verdict(String operation, boolean requestChecked, boolean answerChecked, String outOfScope,
            List<String> disagreements) {

        public boolean agrees() {
            return disagreements.isEmpty();
        }
    }

    /** A path template of the document as a pattern, literal segments before parameters. */
    private record Route(String template, Pattern pattern, List<String> parameters) {
    }

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiConformance(JsonNode document) {
        this.document = document;
        String text = document.toString();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, text)).schemaRegistryConfig(config));
        document.path("paths").properties().forEach(path -> routes.add(route(path.getKey())));
        // OpenAPI: a concrete path matches before a templated one (/products/changes before /products/{id})
        routes.sort(Comparator.comparingInt((Route r) -> r.parameters().size()).thenComparing(Route::template));
    }

    public static ApiConformance of(JsonNode document) {
        return new ApiConformance(document);
    }

    public static ApiConformance of(String json) {
        try {
            return of(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the API document is not JSON", e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** Checks one exchange against the document. */
    public Verdict check(Exchange exchange) {
        if (exchange.path().startsWith("/q/")) {
            // Quarkus's own endpoints (health, metrics, this document, Swagger UI) are not the service's API
            return new Verdict(null, false, false, "/q/*: Quarkus's own endpoints", List.of());
        }
        if (isWebUiFile(exchange)) {
            // the web UI's pages, scripts and styles (META-INF/resources) are files, not operations
            return new Verdict(null, false, false, "the web UI's files", List.of());
        }
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(exchange.path());
            if (!matcher.matches()) {
                continue;
            }
            String method = exchange.method().toLowerCase(Locale.ROOT);
            String pointer = "/paths/" + escape(route.template());
            JsonNode operation = document.at(pointer + "/" + method);
            if (operation.isMissingNode()) {
                return undocumented(exchange, route.template() + " has no " + exchange.method());
            }
            Map<String, String> pathValues = new LinkedHashMap<>();
            for (int i = 0; i < route.parameters().size(); i++) {
                pathValues.put(route.parameters().get(i), decode(matcher.group(i + 1)));
            }
            String name = exchange.method() + " " + route.template();
            List<String> found = new ArrayList<>();
            checkAnswer(exchange, pointer + "/" + method, operation, found);
            // The specifications send malformed requests on purpose: a request the service refused (4xx)
            // is not held to the document; the refusal is, as an answer. A request it took (or failed on)
            // must be one the document allows.
            boolean requestChecked = !exchange.refused();
            if (requestChecked) {
                checkRequest(exchange, pointer, method, operation, pathValues, found);
            }
            List<String> disagreements = found.stream().map(what -> exchange + " (" + name + "): " + what).toList();
            return new Verdict(name, requestChecked, true, null, disagreements);
        }
        return undocumented(exchange, "no path of the document matches");
    }

    private static boolean isWebUiFile(Exchange exchange) {
        String file = exchange.path().equals("/") ? "/index.html" : exchange.path();
        return (exchange.method().equals("GET") || exchange.method().equals("HEAD")) && !file.contains("..")
                && Thread.currentThread().getContextClassLoader().getResource("META-INF/resources" + file) != null;
    }

    /** A request to no operation of the document: refusing it agrees with the document, serving it does not. */
    private Verdict undocumented(Exchange exchange, String why) {
        if (exchange.method().equals("OPTIONS")) {
            // HTTP's own question (which methods a path allows, a CORS preflight), answered by the server, not an operation
            return new Verdict(null, false, false, "OPTIONS: HTTP's own", List.of());
        }
        if (exchange.refused()) {
            return new Verdict(null, false, false, "no such operation, refused (" + why + ")", List.of());
        }
        return new Verdict(null, false, false, null, List.of(exchange + ": the document has no such operation (" + why + ")"));
    }

    // --- the answer

    private void checkAnswer(Exchange exchange, String operationPointer, JsonNode operation, List<String> found) {
        String code = String.valueOf(exchange.status());
        JsonNode responses = operation.path("responses");
        String key = responses.has(code) ? code : responses.has(code.charAt(0) + "XX") ? code.charAt(0) + "XX"
                : responses.has("default") ? "default" : null;
        if (key == null) {
            found.add("the document does not declare " + code + " (it declares " + names(responses) + ")");
            return;
        }
        Located response = resolve(new Located(responses.path(key), operationPointer + "/responses/" + escape(key)));
        response.json().path("headers").properties().forEach(header -> checkAnswerHeader(exchange,
                header.getKey(), resolve(new Located(header.getValue(), response.pointer() + "/headers/" + escape(header.getKey()))),
                found));
        String mediaType = mediaType(exchange.answerHeader("Content-Type"));
        JsonNode content = response.json().path("content");
        boolean hasBody = exchange.answerBody() != null && !exchange.answerBody().isEmpty();
        if (content.isEmpty()) {
            if (hasBody) {
                found.add("the answer has a body (" + mediaType + ") where the document declares none");
            }
            return;
        }
        String declared = declaredMediaType(content, mediaType);
        if (declared == null) {
            found.add("the answer is " + (mediaType == null ? "without Content-Type" : mediaType) + " where the document declares "
                    + names(content));
            return;
        }
        if (EVENT_STREAM.equals(mediaType)) {
            // the events of a change stream are outside JSON Schema's reach: their type is checked, not their frames
            return;
        }
        if (!hasBody) {
            if (!exchange.method().equals("HEAD")) {
                found.add("the answer has no body where the document declares " + declared);
            }
            return;
        }
        String schemaPointer = response.pointer() + "/content/" + escape(declared) + "/schema";
        checkBody("the answer's body", exchange.answerBody(), mediaType, content.path(declared), schemaPointer, found);
    }

    private void checkAnswerHeader(Exchange exchange, String name, Located header, List<String> found) {
        String value = exchange.answerHeader(name);
        if (value == null) {
            if (header.json().path("required").asBoolean(false)) {
                found.add("the answer lacks the header " + name + ", which the document requires");
            }
            return;
        }
        if (header.json().has("schema")) {
            checkValue("the answer's header " + name, value, new Located(header.json().path("schema"), header.pointer() + "/schema"),
                    found);
        }
    }

    // --- the request

    private void checkRequest(Exchange exchange, String pathPointer, String method, JsonNode operation,
            Map<String, String> pathValues, List<String> found) {
        for (Located parameter : parameters(pathPointer, method)) {
            String name = parameter.json().path("name").asText();
            String in = parameter.json().path("in").asText();
            String value = switch (in) {
                case "path" -> pathValues.get(name);
                case "query" -> first(exchange.query().get(name));
                case "header" -> exchange.requestHeader(name);
                default -> null; // cookies: the service reads none
            };
            if (value == null) {
                if (parameter.json().path("required").asBoolean(false) && !in.equals("cookie")) {
                    found.add("the request lacks the " + in + " parameter " + name + ", which the document requires");
                }
                continue;
            }
            if (parameter.json().has("schema")) {
                checkValue("the request's " + in + " parameter " + name, value,
                        new Located(parameter.json().path("schema"), parameter.pointer() + "/schema"), found);
            }
        }
        checkRequestBody(exchange, pathPointer + "/" + method, operation, found);
        checkCaller(exchange, operation, found);
    }

    private void checkRequestBody(Exchange exchange, String operationPointer, JsonNode operation, List<String> found) {
        boolean hasBody = exchange.requestBody() != null && !exchange.requestBody().isEmpty();
        String mediaType = mediaType(exchange.requestHeader("Content-Type"));
        if (!operation.has("requestBody")) {
            if (hasBody) {
                found.add("the request has a body (" + mediaType + ") where the document declares none");
            }
            return;
        }
        Located body = resolve(new Located(operation.path("requestBody"), operationPointer + "/requestBody"));
        if (!hasBody) {
            if (body.json().path("required").asBoolean(false)) {
                found.add("the request has no body where the document requires one");
            }
            return;
        }
        JsonNode content = body.json().path("content");
        String declared = declaredMediaType(content, mediaType);
        if (declared == null) {
            found.add("the request's body is " + mediaType + " where the document takes " + names(content));
            return;
        }
        checkBody("the request's body", exchange.requestBody(), mediaType, content.path(declared),
                body.pointer() + "/content/" + escape(declared) + "/schema", found);
    }

    /** A request the service served must come from a caller the document lets call the operation. */
    private void checkCaller(Exchange exchange, JsonNode operation, List<String> found) {
        JsonNode security = operation.has("security") ? operation.path("security") : document.path("security");
        if (security.isEmpty() || exchange.status() >= 500) {
            return;
        }
        Set<String> roles = new TreeSet<>();
        boolean anyRole = false;
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return; // an empty requirement: anyone may call it
            }
            for (JsonNode scopes : requirement) {
                scopes.forEach(scope -> roles.add(scope.asText()));
                anyRole |= scopes.isEmpty();
            }
        }
        String authorization = exchange.requestHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            found.add("the service served a request without a bearer token, which the document requires");
            return;
        }
        Set<String> groups = groups(authorization.substring(7).strip());
        if (!anyRole && groups.stream().noneMatch(roles::contains)) {
            found.add("the service served a caller whose roles are " + groups + " where the document lets only " + roles);
        }
    }

    /** The groups of a JWT, read without checking its signature (the service did that). */
    private static Set<String> groups(String token) {
        Set<String> groups = new TreeSet<>();
        String[] parts = token.split("\\.");
        if (parts.length == 3) {
            try {
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                claims.path("groups").forEach(group -> groups.add(group.asText()));
            } catch (Exception e) {
                // not a JWT this test made: no groups
            }
        }
        return groups;
    }

    /** The operation's parameters: the path item's, with the operation's own in place of those of the same name and place. */
    private List<Located> parameters(String pathPointer, String method) {
        Map<String, Located> parameters = new LinkedHashMap<>();
        for (String owner : List.of(pathPointer, pathPointer + "/" + method)) {
            JsonNode list = document.at(owner + "/parameters");
            for (int i = 0; i < list.size(); i++) {
                Located parameter = resolve(new Located(list.get(i), owner + "/parameters/" + i));
                parameters.put(parameter.json().path("in").asText() + ":" + parameter.json().path("name").asText(), parameter);
            }
        }
        return List.copyOf(parameters.values());
    }

    // --- values and bodies against schemas

    private void checkBody(String what, String body, String mediaType, JsonNode media, String schemaPointer, List<String> found) {
        if (!isJson(mediaType) || !media.has("schema")) {
            return;
        }
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            found.add(what + " is not JSON (" + mediaType + ")");
            return;
        }
        validate(what, value, schemaPointer, found);
    }

    /** A parameter or header: text on the wire, read as the type its schema names. */
    private void checkValue(String what, String text, Located schema, List<String> found) {
        JsonNode type = resolve(schema).json().path("type");
        JsonNode value = TextNode.valueOf(text);
        if (typed(type, "integer") || typed(type, "number")) {
            try {
                value = DecimalNode.valueOf(new BigDecimal(text.strip()));
            } catch (NumberFormatException e) {
                // left as text: the schema's type says what is wrong
            }
        } else if (typed(type, "boolean") && (text.equals("true") || text.equals("false"))) {
            value = BooleanNode.valueOf(Boolean.parseBoolean(text));
        }
        validate(what, value, schema.pointer(), found);
    }

    private static boolean typed(JsonNode type, String name) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (t.asText().equals(name)) {
                    return true;
                }
            }
            return false;
        }
        return type.asText().equals(name);
    }

    private void validate(String what, JsonNode value, String schemaPointer, List<String> found) {
        Schema schema = schemas.computeIfAbsent(schemaPointer,
                pointer -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + fragment(pointer))));
        schema.validate(value).forEach(error -> found.add(what + " disagrees with " + schemaPointer + ": " + error));
    }

    // --- reading the document

    /** A node of the document and where it stands, so that a schema inside it is validated in place. */
    private record Located(JsonNode json, String pointer) {
    }

    /** Follows {@code $ref}s within the document. */
    private Located resolve(Located node) {
        Located current = node;
        for (int hops = 0; hops < 20 && current.json().has("$ref"); hops++) {
            String ref = current.json().path("$ref").asText();
            if (!ref.startsWith("#")) {
                throw new IllegalStateException("a reference outside the document: " + ref);
            }
            String pointer = ref.substring(1);
            current = new Located(document.at(pointer), pointer);
        }
        return current;
    }

    /** The declared media type that the actual one falls under: itself, then {@code type/*}, then {@code *}{@code /*}. */
    private static String declaredMediaType(JsonNode content, String actual) {
        if (actual == null) {
            return null;
        }
        for (String candidate : List.of(actual, actual.substring(0, actual.indexOf('/') + 1) + "*", "*/*")) {
            for (var declared : (Iterable<Map.Entry<String, JsonNode>>) content.properties()::iterator) {
                if (mediaType(declared.getKey()).equals(candidate)) {
                    return declared.getKey();
                }
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String mediaType) {
        return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
    }

    private static Route route(String template) {
        List<String> parameters = new ArrayList<>();
        StringBuilder pattern = new StringBuilder();
        Matcher m = TEMPLATE_PARAMETER.matcher(template);
        int at = 0;
        while (m.find()) {
            pattern.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
            parameters.add(m.group(1));
            at = m.end();
        }
        pattern.append(Pattern.quote(template.substring(at)));
        return new Route(template, Pattern.compile(pattern.toString()), parameters);
    }

    /** A JSON pointer's reference token. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: what a URI may not hold literally ({@code {id}}) percent-encoded. */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(p -> names.add(p.getKey()));
        return String.join(", ", names);
    }
}
