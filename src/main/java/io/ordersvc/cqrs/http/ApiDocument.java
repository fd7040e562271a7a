package io.ordersvc.cqrs.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * What every operation of the API document shares, written once: the {@code Problem} schema that
 * every error answers with; on every secured operation the roles that may call it ({@code x-roles},
 * from its {@code @RolesAllowed}) and its 401 and 403, and on an open one that it needs no token
 * ({@code security: []}); on every operation 500 and 503; on every request that may change something
 * the refusals of the web layer (400 for a malformed header, 413, 415); on every command what
 * {@link #completeCommand commands share}; on every change stream the protocol of {@code changes.SseChanges}
 * and its 429; and the meaning of the headers the web layer reads. An error response an endpoint
 * declares with a code and a description only gets the problem body here, and a 429 or 503 its
 * {@code Retry-After}.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocument implements OASFilter {

    private static final String PROBLEM = "Problem";
    private static final String ROLES = "x-roles";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    private static final Set<PathItem.HttpMethod> WRITES = Set.of(PathItem.HttpMethod.POST, PathItem.HttpMethod.PUT,
            PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE);

    private static final String IF_MATCH = "If-Match";
    private static final String JSON = "application/json";

    /** What Quarkus writes for a secured operation's 401 and 403 when the endpoint declares none. */
    private static final Set<String> PLACEHOLDERS = Set.of("Not Authorized", "Not Allowed");

    /** What a header this service reads means, wherever an operation takes it. */
    private static final Map<String, String> HEADERS = Map.of(
            IdempotencyKeyHeader.NAME, "1 to 200 printable ASCII characters, such as a UUID, sent once. A retry with the same key "
                    + "and the same request gets the original answer and has no second effect; the same key with another "
                    + "request is a 422. Keys are the caller's own and are kept 24 h.",
            IF_MATCH, "The version the client last saw, as an entity tag (\"3\"); when it is not the current one the "
                    + "request is refused with 412 and `currentVersion`. Without it the request applies to whatever "
                    + "version is current.",
            Correlation.HEADER, "1 to 64 printable ASCII characters that tie this request to the events it causes "
                    + "(see the history); none or blank: a new one.",
            "Last-Event-ID", "Resume after this position (the `id` of the last event received); sent by an EventSource "
                    + "when it reconnects. A position this stream no longer keeps starts with a `reset` event.",
            "If-None-Match", "An entity tag the client holds (\"3\", or *): when it is current the answer is 304 with no body.");
    private static final Map<String, String> QUERY_PARAMETERS = Map.of(
            "lastEventId", "For a first connection: start after this position (such as a list's `changesPosition` or an "
                    + "order's version); `Last-Event-ID` wins when both are sent.");

    private static final String STREAM_PROTOCOL = """

            **Stream.** Each event has `id` = its position in this stream, `event` = its name and `data` = one line \
            of JSON. Resume with `Last-Event-ID` (or, on a first connection, `?lastEventId=`): nothing is missed and \
            nothing comes twice. An event named `reset` (data `{position, reason}`) means the client missed more than \
            the stream keeps, the stream started anew or the read models were rebuilt: refetch what it shows, then \
            carry on from `position`. A comment line (`: heartbeat`) comes every 15 s (by default). A client that reads too slowly \
            is disconnected and resumes; the stream ends when the instance stops (resume on another).""";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Components components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        api.setComponents(components.addSchema(PROBLEM, problemSchema()).addSchema("FieldError", fieldErrorSchema()));
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> complete(components, path, method, operation)));
    }

    private static void complete(Components components, String path, PathItem.HttpMethod method, Operation operation) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        dropGuessedSuccess(responses);
        List<String> roles = roles(operation);
        if (roles == null) {
            // said, not left out: an operation without a requirement would read as "not stated"
            operation.setSecurity(new ArrayList<>());
        } else {
            operation.addExtension(ROLES, roles);
            operation.setDescription(join(operation.getDescription(), "**Who may call it:** " + String.join(", ", roles)
                    + " (a bearer JWT whose groups name one of these roles)."));
            putUnlessDeclared(responses, "401", "No bearer token, or one that is expired, badly signed, from another issuer or for "
                    + "another audience (with `WWW-Authenticate: Bearer`)");
            putUnlessDeclared(responses, "403", "The token's roles may not call this operation");
        }
        if (WRITES.contains(method)) {
            putIfAbsent(responses, "400", "A malformed header (`Idempotency-Key` empty, sent twice or not printable "
                    + "ASCII, `X-Correlation-Id`) or body: `errors` names each field, header or parameter");
            putIfAbsent(responses, "413", "The body is over 64 KiB");
            putIfAbsent(responses, "415", "A body that is not JSON (`Content-Type` names the refusal)");
        }
        if (takes(operation, IdempotencyKeyHeader.NAME)) {
            completeCommand(components, path, operation, responses);
        }
        if (isStream(responses)) {
            operation.setDescription(join(operation.getDescription(), STREAM_PROTOCOL));
            putIfAbsent(responses, "400", "`Last-Event-ID` or `lastEventId` is not a position this stream handed out");
            putIfAbsent(responses, "429", "The caller has as many change streams open on this instance as it may");
            putIfAbsent(responses, "503", "This instance serves as many change streams as it may, or none now: try "
                    + "again after `Retry-After` (another instance may take it)");
        }
        putIfAbsent(responses, "503", "A server the request needs is out, or did not answer in time: try again after "
                + "`Retry-After` (a command with the same `Idempotency-Key` learns whether it took effect)");
        putIfAbsent(responses, "500", "An unexpected failure; nothing about it is disclosed");
        responses.getAPIResponses().forEach(ApiDocument::asProblem);
        responses.setAPIResponses(new TreeMap<>(responses.getAPIResponses()));
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(ApiDocument::describe);
        }
    }

    /**
     * The scanner answers "200 OK" for a method that returns a {@code Response}; where the document
     * declares the operation's own success (a 201, a 202 written in {@code META-INF/openapi.yaml}), that
     * guess goes, as it does on every command (which has its own success).
     */
    private static void dropGuessedSuccess(APIResponses responses) {
        boolean declared = responses.getAPIResponses().keySet().stream().anyMatch(code -> code.matches("2(0[1-9]|[1-9][0-9])"));
        if (declared) {
            dropGuess(responses);
        }
    }

    private static void dropGuess(APIResponses responses) {
        APIResponse guessed = responses.getAPIResponse("200");
        if (guessed != null && "OK".equals(guessed.getDescription()) && (guessed.getContent() == null
                || guessed.getContent().getMediaTypes().values().stream().allMatch(media -> media.getSchema() == null))) {
            responses.removeAPIResponse("200");
        }
    }

    /**
     * What every command shares (a command is what takes an {@code Idempotency-Key}): its success,
     * 202 unless the endpoint declares its own, says where the aggregate is read ({@code Location})
     * and its new version ({@code ETag}, also in the body, {@code <Aggregate>Accepted} of
     * {@code META-INF/openapi.yaml}); it answers 422 to a key reused for another request and 429 past
     * the caller's allowance; and a command on an existing aggregate (it takes {@code If-Match})
     * answers 412 to a stale version and 409 to a state that does not allow it. The aggregate is named
     * by the path's first segment: {@code /orders/...} acts on an order and answers {@code OrderAccepted}.
     */
    private static void completeCommand(Components components, String path, Operation operation, APIResponses responses) {
        String aggregate = aggregate(path);
        String accepted = Character.toUpperCase(aggregate.charAt(0)) + aggregate.substring(1) + "Accepted";
        if (components.getSchemas() == null || !components.getSchemas().containsKey(accepted)) {
            throw new IllegalStateException("the command " + path + " answers with the schema " + accepted
                    + ": declare it in META-INF/openapi.yaml");
        }
        dropGuess(responses);
        String success = responses.getAPIResponses().keySet().stream().filter(code -> code.startsWith("2")).findFirst()
                .orElse("202");
        putIfAbsent(responses, success, "Accepted: the " + aggregate + "'s view reaches this version shortly");
        APIResponse answer = responses.getAPIResponse(success);
        addHeader(answer, "Location", OASFactory.createHeader().ref("Location"));
        addHeader(answer, "ETag", OASFactory.createHeader().ref("ETag"));
        if (answer.getContent() == null || answer.getContent().getMediaTypes() == null
                || answer.getContent().getMediaTypes().isEmpty()) {
            answer.setContent(OASFactory.createContent().addMediaType(JSON,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(accepted))));
        }
        putIfAbsent(responses, "422", "The `Idempotency-Key` was used for a different request");
        putIfAbsent(responses, "429", "The caller sent more commands than it may, at a sustained rate or in a burst");
        if (takes(operation, IF_MATCH)) {
            putIfAbsent(responses, "409", "The " + aggregate + "'s state does not allow it: `currentVersion` says where "
                    + "it is (and `currentStatus`, if " + aggregate + "s have a status)");
            putIfAbsent(responses, "412", "`If-Match` names another version than the current one, which `currentVersion` gives");
        }
    }

    /** The aggregate a command acts on, named by its path's collection: {@code /orders/{id}/confirm}, an order. */
    private static String aggregate(String path) {
        String collection = path.replaceFirst("^/", "").replaceFirst("/.*", "");
        return collection.endsWith("s") ? collection.substring(0, collection.length() - 1) : collection;
    }

    private static boolean takes(Operation operation, String header) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && header.equalsIgnoreCase(p.getName()));
    }

    /** The roles that may call a secured operation (listed in its bearer requirement), or null when it is open. */
    private static List<String> roles(Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            return null;
        }
        List<String> roles = new ArrayList<>();
        for (SecurityRequirement requirement : operation.getSecurity()) {
            requirement.getSchemes().values().forEach(scopes -> scopes.stream().filter(r -> !roles.contains(r)).forEach(roles::add));
        }
        return roles;
    }

    private static boolean isStream(APIResponses responses) {
        return responses.getAPIResponses().values().stream().anyMatch(r -> r.getContent() != null
                && r.getContent().hasMediaType(EVENT_STREAM));
    }

    /** An error response gets the problem body, and its headers: {@code Retry-After}, {@code WWW-Authenticate}. */
    private static void asProblem(String code, APIResponse response) {
        if (!code.matches("[45][0-9][0-9]") || response.getRef() != null) {
            return;
        }
        if (response.getContent() == null || response.getContent().getMediaTypes() == null
                || response.getContent().getMediaTypes().isEmpty()) {
            response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
        }
        if (code.equals("429") || code.equals("503")) {
            addHeader(response, "Retry-After", "Seconds to wait before trying again", integer());
        }
        if (code.equals("401")) {
            addHeader(response, "WWW-Authenticate", "`Bearer`, with the reason when a token was sent", string());
        }
    }

    private static void describe(Parameter parameter) {
        Map<String, String> meanings = parameter.getIn() == Parameter.In.HEADER ? HEADERS
                : parameter.getIn() == Parameter.In.QUERY ? QUERY_PARAMETERS : Map.of();
        String meaning = meanings.get(parameter.getName());
        if (meaning != null && parameter.getDescription() == null) {
            parameter.setDescription(meaning);
        }
    }

    private static void put(APIResponses responses, String code, String description) {
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
    }

    private static void putIfAbsent(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            put(responses, code, description);
        }
    }

    /** As {@link #putIfAbsent}, but in place of the placeholder Quarkus adds to a secured operation. */
    private static void putUnlessDeclared(APIResponses responses, String code, String description) {
        APIResponse declared = responses.getAPIResponse(code);
        if (declared == null || PLACEHOLDERS.contains(declared.getDescription())) {
            put(responses, code, description);
        }
    }

    private static void addHeader(APIResponse response, String name, String description, Schema schema) {
        addHeader(response, name, OASFactory.createHeader().description(description).schema(schema));
    }

    private static void addHeader(APIResponse response, String name, Header header) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeader(name, header);
        }
    }

    private static String join(String description, String more) {
        return description == null || description.isBlank() ? more.strip() : description + "\n\n" + more.strip();
    }

    /** RFC 9457, as {@link Problem} writes it. */
    private static Schema problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", string().description("`about:blank`: the status and title say what went wrong"));
        properties.put("title", string().description("The status's phrase, such as `Conflict`"));
        properties.put("status", integer().description("The HTTP status"));
        properties.put("detail", string().description("What went wrong, for a person"));
        properties.put("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                .items(OASFactory.createSchema().ref("#/components/schemas/FieldError"))
                .description("Each field, header or parameter refused, and why: `lines[0].quantity`, `If-Match`, `limit`"));
        properties.put("currentVersion", integer().format("int64").description("The aggregate's version now (409, 412)"));
        properties.put("currentStatus", string().description("The aggregate's status now, where it has one (409)"));
        properties.put("version", integer().format("int64").description("The version the aggregate has reached "
                + "(400 on `X-Min-Version`)"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem: every error has this shape, as `application/problem+json`. Some "
                        + "add members a client reconciles with: `currentVersion`, `currentStatus`, `version`.")
                .properties(properties)
                .required(List.of("type", "title", "status"))
                .additionalPropertiesBoolean(Boolean.TRUE);
    }

    private static Schema fieldErrorSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("field", string().description("The field (a JSON path such as `lines[0].quantity`), header or parameter"));
        properties.put("message", string().description("Why it was refused"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).properties(properties)
                .required(List.of("field", "message"));
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    }

    private static Schema integer() {
        return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER);
    }
}
