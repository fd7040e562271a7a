package io.ordersvc.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Malformed requests to every endpoint, each one a valid request with at least one mutation that
 * makes it invalid by construction: a command so mutated must be refused and change nothing. A few
 * mutations that are harmless on their own ("noise": a stray header, an odd charset) are only ever
 * added on top of an invalidating one. Request {@code i} of seed {@code s} is always the same, so a
 * finding is reproduced with {@link #request(long)} alone.
 *
 * <p>Each request carries a valid bearer token of a role that may call its endpoint (the order's
 * customer for what a customer does, staff to confirm or ship, an admin for the dead letters), so
 * that what is refused is the input, not the caller. One request in eight is instead the valid
 * request with only its token spoiled (missing, garbage, truncated, {@code alg} "none" or another
 * algorithm, expired, another issuer or audience, another token's signature, another scheme): it
 * must be refused with a 401.
 *
 * <p>Not fuzzed: {@code POST /admin/rebuild}, which reads no input at all (any request starts a
 * rebuild), and {@code /q/*}, which is Quarkus's own.
 */
public final class RequestFuzzer {

    /** What the valid requests refer to, created before the fuzzing starts, and the tokens they are sent with. */
    public record Seed(UUID customer, UUID product, UUID order, Credentials tokens) {
    }

    /**
     * Bearer tokens (without the scheme): valid ones of the seed's customer, of a customer not
     * registered yet (the one that registers), of staff and of an admin; and refused ones signed
     * with the right key: expired, of another issuer, for another audience.
     */
    public record Credentials(String customer, String newcomer, String staff, String admin, String expired,
            String otherIssuer, String otherAudience) {
    }

    public record Header(String name, String value) {
    }

    /**
     * One generated request. {@code target} is the path and query as sent (possibly not a legal
     * URI); header values are sent one byte a character (ISO-8859-1), as HTTP/1.1 carries them.
     */
    public record Request(long index, String endpoint, List<String> mutations, String method, String target,
            List<Header> headers, byte[] body, boolean sse) {

        /** Whether only the token was spoiled: the request must be refused as unauthenticated (401). */
        public boolean badToken() {
            return mutations.get(0).startsWith("token-");
        }

        /** Whether the method may change state, so that any 2xx to it is a finding. */
        public boolean unsafe() {
            return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }

        public String mutation() {
            return mutations.get(0);
        }
    }

    /** UUID_SELF: the signed-in customer's own id, which may be left out (it is the token's subject). */
    private enum Kind { TEXT, UUID_REF, UUID_NEW, UUID_SELF, INT, DECIMAL, OBJECT, ARRAY }

    /** A field of a command body: its path ("lines.0.quantity"), its kind, the longest valid text. */
    private record Field(String path, Kind kind, int max) {
    }

    /** An endpoint: its valid request, who may send it, and the mutations that make it invalid. */
    private record Endpoint(String name, String method, String path, Body body, boolean ifMatch, Reads reads, Who who) {
    }

    /** The caller a request is sent as: one the access rules let call the endpoint. */
    private enum Who { CUSTOMER, NEWCOMER, STAFF, ADMIN }

    private enum Body { NONE, CUSTOMER, PRODUCT, PRICE, ORDER, ADDRESS, CANCEL }

    private enum Reads { COMMAND, ORDER, HISTORY, ORDER_CHANGES, CUSTOMER_ORDERS, CUSTOMER_CHANGES, CATALOG, PRODUCT,
        CATALOG_CHANGES, STATS, DEAD_LETTERS, REDRIVE, REBUILD_STATUS, UNKNOWN }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST /customers", "POST", "/customers", Body.CUSTOMER, false, Reads.COMMAND, Who.NEWCOMER),
            new Endpoint("POST /products", "POST", "/products", Body.PRODUCT, false, Reads.COMMAND, Who.STAFF),
            new Endpoint("POST /products/{id}/price", "POST", "/products/{product}/price", Body.PRICE, true,
                    Reads.COMMAND, Who.STAFF),
            new Endpoint("POST /products/{id}/discontinue", "POST", "/products/{product}/discontinue", Body.NONE, true,
                    Reads.COMMAND, Who.STAFF),
            new Endpoint("POST /orders", "POST", "/orders", Body.ORDER, false, Reads.COMMAND, Who.CUSTOMER),
            new Endpoint("PUT /orders/{id}/shipping-address", "PUT", "/orders/{order}/shipping-address", Body.ADDRESS, true,
                    Reads.COMMAND, Who.CUSTOMER),
            new Endpoint("POST /orders/{id}/confirm", "POST", "/orders/{order}/confirm", Body.NONE, true,
                    Reads.COMMAND, Who.STAFF),
            new Endpoint("POST /orders/{id}/ship", "POST", "/orders/{order}/ship", Body.NONE, true,
                    Reads.COMMAND, Who.STAFF),
            new Endpoint("POST /orders/{id}/cancel", "POST", "/orders/{order}/cancel", Body.CANCEL, true,
                    Reads.COMMAND, Who.CUSTOMER),
            new Endpoint("GET /orders/{id}", "GET", "/orders/{order}", Body.NONE, false, Reads.ORDER, Who.CUSTOMER),
            new Endpoint("GET /orders/{id}/history", "GET", "/orders/{order}/history", Body.NONE, false,
                    Reads.HISTORY, Who.CUSTOMER),
            new Endpoint("GET /orders/{id}/changes", "GET", "/orders/{order}/changes", Body.NONE, false,
                    Reads.ORDER_CHANGES, Who.CUSTOMER),
            new Endpoint("GET /customers/{id}/orders", "GET", "/customers/{customer}/orders", Body.NONE, false,
                    Reads.CUSTOMER_ORDERS, Who.CUSTOMER),
            new Endpoint("GET /customers/{id}/orders/changes", "GET", "/customers/{customer}/orders/changes", Body.NONE, false,
                    Reads.CUSTOMER_CHANGES, Who.CUSTOMER),
            new Endpoint("GET /products", "GET", "/products", Body.NONE, false, Reads.CATALOG, Who.CUSTOMER),
            new Endpoint("GET /products/{id}", "GET", "/products/{product}", Body.NONE, false, Reads.PRODUCT, Who.CUSTOMER),
            new Endpoint("GET /products/changes", "GET", "/products/changes", Body.NONE, false,
                    Reads.CATALOG_CHANGES, Who.CUSTOMER),
            new Endpoint("GET /stats", "GET", "/stats", Body.NONE, false, Reads.STATS, Who.STAFF),
            new Endpoint("GET /admin/dead-letters", "GET", "/admin/dead-letters", Body.NONE, false,
                    Reads.DEAD_LETTERS, Who.ADMIN),
            new Endpoint("POST /admin/dead-letters/redrive", "POST", "/admin/dead-letters/redrive", Body.NONE, false,
                    Reads.REDRIVE, Who.ADMIN),
            new Endpoint("GET /admin/rebuild", "GET", "/admin/rebuild", Body.NONE, false, Reads.REBUILD_STATUS, Who.ADMIN),
            new Endpoint("(unknown path)", "GET", "/orders/{order}/frobnicate", Body.NONE, false,
                    Reads.UNKNOWN, Who.CUSTOMER));

    private static final List<Field> CUSTOMER = List.of(new Field("name", Kind.TEXT, 200), new Field("email", Kind.TEXT, 254));
    private static final List<Field> PRODUCT = List.of(new Field("sku", Kind.TEXT, 64), new Field("name", Kind.TEXT, 200),
            new Field("unitPrice", Kind.DECIMAL, 0));
    private static final List<Field> PRICE = List.of(new Field("unitPrice", Kind.DECIMAL, 0));
    private static final List<Field> ADDRESS = List.of(new Field("line1", Kind.TEXT, 200), new Field("city", Kind.TEXT, 100),
            new Field("postalCode", Kind.TEXT, 20), new Field("country", Kind.TEXT, 2));
    private static final List<Field> ORDER = List.of(new Field("orderId", Kind.UUID_NEW, 0),
            new Field("customerId", Kind.UUID_SELF, 0), new Field("shippingAddress", Kind.OBJECT, 0),
            new Field("shippingAddress.line1", Kind.TEXT, 200), new Field("shippingAddress.city", Kind.TEXT, 100),
            new Field("shippingAddress.postalCode", Kind.TEXT, 20), new Field("shippingAddress.country", Kind.TEXT, 2),
            new Field("lines", Kind.ARRAY, 0), new Field("lines.0", Kind.OBJECT, 0),
            new Field("lines.0.productId", Kind.UUID_REF, 0), new Field("lines.0.quantity", Kind.INT, 0));
    private static final List<Field> CANCEL = List.of(new Field("reason", Kind.TEXT, 500));

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every non-ASCII character escaped, so that a lone surrogate reaches the service as {@code \\ud800}, not as '?'. */
    private static final ObjectWriter ESCAPING = JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final long seed;
    private final Seed data;

    public RequestFuzzer(long seed, Seed data) {
        this.seed = seed;
        this.data = data;
    }

    /** Request number {@code index}: the same for the same seed, whoever asks and when. */
    public Request request(long index) {
        Random rnd = new Random(seed * 1_000_003L + index);
        Endpoint endpoint = ENDPOINTS.get(rnd.nextInt(ENDPOINTS.size()));
        Draft draft = new Draft(index, endpoint, rnd, data);
        if (endpoint.reads() != Reads.UNKNOWN && spoilsToken(index)) {
            // the valid request but for its token: nothing else may be what is refused
            draft.spoilToken();
            return draft.build();
        }
        draft.invalidate();
        int more = rnd.nextInt(10) < 3 ? 1 + rnd.nextInt(2) : 0;
        for (int i = 0; i < more; i++) {
            draft.invalidate();
        }
        if (rnd.nextInt(5) == 0) {
            draft.noise();
        }
        return draft.build();
    }

    /**
     * Whether request {@code index} is one of the one in eight whose only fault is its token. Not
     * drawn from the request's {@link Random}: the first draws of neighbouring seeds are alike, so
     * that a draw after the endpoint's would favour some endpoints; a SplitMix64 hash of the index is not.
     */
    private boolean spoilsToken(long index) {
        long z = (seed * 1_000_003L + index) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return ((z ^ (z >>> 31)) & 7) == 0;
    }

    /** A request being mutated. */
    private static final class Draft {

        final long index;
        final Endpoint endpoint;
        final Random rnd;
        final Seed data;
        final List<String> mutations = new ArrayList<>();
        String method;
        String path;
        final List<String[]> query = new ArrayList<>();
        final List<Header> headers = new ArrayList<>();
        ObjectNode json;
        /** Set once the body is no longer a tree: bytes mutated below JSON. */
        byte[] bytes;
        boolean sse;

        Draft(long index, Endpoint endpoint, Random rnd, Seed data) {
            this.index = index;
            this.endpoint = endpoint;
            this.rnd = rnd;
            this.data = data;
            this.method = endpoint.method();
            this.path = endpoint.path().replace("{order}", data.order().toString())
                    .replace("{customer}", data.customer().toString()).replace("{product}", data.product().toString());
            this.json = validBody(endpoint.body(), rnd, data);
            this.sse = endpoint.reads() == Reads.ORDER_CHANGES || endpoint.reads() == Reads.CUSTOMER_CHANGES
                    || endpoint.reads() == Reads.CATALOG_CHANGES;
            headers.add(new Header("Authorization", "Bearer " + token(endpoint.who())));
            if (json != null) {
                headers.add(new Header("Content-Type", "application/json"));
            }
            if (sse) {
                headers.add(new Header("Accept", "text/event-stream"));
            }
        }

        Request build() {
            StringBuilder target = new StringBuilder(path);
            for (int i = 0; i < query.size(); i++) {
                target.append(i == 0 ? '?' : '&').append(query.get(i)[0]).append('=').append(query.get(i)[1]);
            }
            byte[] body = bytes != null ? bytes : json != null ? serialized(json).getBytes(StandardCharsets.UTF_8) : null;
            return new Request(index, endpoint.name(), List.copyOf(mutations), method, target.toString(), List.copyOf(headers),
                    body, sse);
        }

        /** Applies one mutation that makes the request invalid. */
        void invalidate() {
            List<Runnable> choices = new ArrayList<>();
            switch (endpoint.reads()) {
                case COMMAND -> commandMutations(choices);
                case ORDER -> {
                    choices.add(this::badPathId);
                    choices.add(this::unknownPathId);
                    choices.add(this::badMinVersion);
                    choices.add(this::badMinVersion);
                    choices.add(this::wrongMethod);
                    choices.add(this::wrongAccept);
                }
                case HISTORY, PRODUCT -> {
                    choices.add(this::badPathId);
                    choices.add(this::unknownPathId);
                    choices.add(this::wrongMethod);
                    choices.add(this::wrongAccept);
                }
                case ORDER_CHANGES, CUSTOMER_CHANGES, CATALOG_CHANGES -> {
                    if (endpoint.reads() != Reads.CATALOG_CHANGES) {
                        choices.add(this::badPathId);
                    }
                    choices.add(this::badLastEventIdHeader);
                    choices.add(this::badLastEventIdQuery);
                    choices.add(this::wrongMethod);
                    choices.add(this::wrongAccept);
                }
                case CUSTOMER_ORDERS, CATALOG -> {
                    if (endpoint.reads() == Reads.CUSTOMER_ORDERS) {
                        choices.add(this::badPathId);
                    }
                    choices.add(() -> badNumberParam("limit", 1, 100));
                    choices.add(this::badCursor);
                    choices.add(this::wrongMethod);
                }
                case STATS -> {
                    choices.add(() -> badNumberParam("days", 1, 366));
                    choices.add(this::wrongMethod);
                }
                case DEAD_LETTERS, REDRIVE -> choices.add(this::badTopic);
                case REBUILD_STATUS -> {
                    choices.add(this::wrongMethodNotPost);
                    choices.add(this::junkQuery);
                }
                case UNKNOWN -> choices.add(this::unknownPath);
            }
            choices.get(rnd.nextInt(choices.size())).run();
        }

        private void commandMutations(List<Runnable> choices) {
            if (endpoint.body() != Body.NONE) {
                for (int i = 0; i < 6; i++) {
                    choices.add(this::badFieldValue);
                }
                choices.add(this::missingField);
                choices.add(this::unknownField);
                choices.add(this::duplicateKey);
                choices.add(this::deepNesting);
                choices.add(this::brokenJson);
                choices.add(this::brokenJson);
                choices.add(this::invalidUtf8);
                choices.add(this::notJson);
                choices.add(this::wrongContentType);
                if (rnd.nextInt(10) == 0) {
                    choices.add(this::tooLarge);
                }
            }
            if (path.contains(data.order().toString()) || path.contains(data.product().toString())) {
                choices.add(this::badPathId);
                choices.add(this::unknownPathId);
            }
            if (endpoint.ifMatch()) {
                choices.add(this::badIfMatch);
                choices.add(this::badIfMatch);
                choices.add(this::staleIfMatch);
            }
            choices.add(this::badIdempotencyKey);
            choices.add(this::badIdempotencyKey);
            choices.add(this::badCorrelationId);
            choices.add(this::wrongMethod);
            choices.add(this::wrongAccept);
        }

        /** Harmless on its own; only ever added to a request that is invalid already. */
        void noise() {
            switch (rnd.nextInt(6)) {
                case 0 -> addIfAbsent("noise:unknown-header", new Header("X-" + word(8), printable(rnd.nextInt(40))));
                case 1 -> addIfAbsent("noise:fresh-idempotency-key", new Header("Idempotency-Key", uuid(rnd).toString()));
                case 2 -> addIfAbsent("noise:correlation-id", new Header("X-Correlation-Id", "fuzz-" + index));
                case 3 -> addIfAbsent("noise:if-none-match", new Header("If-None-Match", pick("\"1\"", "*", "W/\"x\"", "garbage", "")));
                case 4 -> {
                    if (!sse) {
                        mutations.add("noise:unknown-param");
                        query.add(new String[] {"x" + word(5), enc(printable(rnd.nextInt(20)))});
                    }
                }
                default -> {
                    if (headers.contains(new Header("Content-Type", "application/json"))) {
                        replaceHeader("noise:charset", "Content-Type",
                                pick("application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON",
                                        "application/json; charset=latin1", "application/json; charset=nonsense",
                                        "application/json; foo=bar"));
                    }
                }
            }
        }

        // --- body mutations (commands) ---

        private void badFieldValue() {
            List<Field> fields = fields(endpoint.body()).stream().filter(f -> present(f.path())).toList();
            if (fields.isEmpty()) {
                instead();
                return;
            }
            Field field = fields.get(rnd.nextInt(fields.size()));
            Function<Random, JsonNode> value = switch (field.kind()) {
                case TEXT -> r -> badText(field);
                case UUID_REF -> r -> badUuid(true, false);
                case UUID_SELF -> r -> badUuid(true, true);
                case UUID_NEW -> r -> badUuid(false, false);
                case INT -> r -> badQuantity();
                case DECIMAL -> r -> badPrice();
                case OBJECT -> r -> badContainer(false);
                case ARRAY -> r -> badContainer(true);
            };
            set(field.path(), value.apply(rnd));
        }

        private JsonNode badText(Field field) {
            String valid = at(field.path()).asText();
            int kind = rnd.nextInt(12);
            return switch (kind) {
                case 0, 1 -> text("text-nul", insert(valid, "\u0000"));
                case 2, 3 -> text("text-control", insert(valid, String.valueOf(control())));
                case 4 -> text("text-lone-surrogate", insert(valid, String.valueOf((char) (0xD800 + rnd.nextInt(0x800)))));
                case 5 -> text("text-line-separator", insert(valid, rnd.nextBoolean() ? "\u2028" : "\u2029"));
                case 6 -> text("text-too-long", "x".repeat(field.max() + 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 20_000)));
                case 7 -> text("text-blank", pick("", " ", "   "));
                case 8 -> {
                    mutations.add("text-not-a-string@" + field.path());
                    yield scalarOtherThanString();
                }
                case 9 -> {
                    mutations.add("text-null@" + field.path());
                    yield JSON.nullNode();
                }
                default -> text("text-breaks-its-rule", switch (field.path().replaceFirst(".*\\.", "")) {
                    case "country" -> pick("de", "DEU", "D1", "Ü1", "D");
                    case "sku" -> pick("-abc", "a b", "ab/c", "ä", ".x");
                    case "email" -> pick("not-an-email", "a@", "@b", "a b@c.d");
                    default -> "x".repeat(field.max() + 1);
                });
            };
        }

        private JsonNode text(String mutation, String value) {
            mutations.add(mutation);
            return JSON.getNodeFactory().textNode(value);
        }

        private JsonNode scalarOtherThanString() {
            return switch (rnd.nextInt(6)) {
                case 0 -> JSON.getNodeFactory().numberNode(rnd.nextInt(100_000));
                case 1 -> JSON.getNodeFactory().numberNode(new BigDecimal("12.345"));
                case 2 -> JSON.getNodeFactory().booleanNode(rnd.nextBoolean());
                case 3 -> JSON.createArrayNode().add("x");
                case 4 -> JSON.createObjectNode().put("x", "y");
                default -> JSON.createArrayNode();
            };
        }

        /** {@code own}: the caller's own id, which may be null or left out, and is refused (403) when another's. */
        private JsonNode badUuid(boolean reference, boolean own) {
            String id = uuid(rnd).toString();
            int kind = rnd.nextInt(reference ? 9 : 8);
            if (own && kind == 7) {
                kind = 8;
            }
            mutations.add("uuid-" + switch (kind) {
                case 0 -> "not-a-uuid";
                case 1 -> "empty";
                case 2 -> "short";
                case 3 -> "long";
                case 4 -> "not-hex";
                case 5 -> "nul";
                case 6 -> "not-a-string";
                case 7 -> reference ? "null" : "taken";
                default -> "unknown";
            });
            return switch (kind) {
                case 0 -> JSON.getNodeFactory().textNode(pick("not-a-uuid", "null", "undefined", "{}", "1234"));
                case 1 -> JSON.getNodeFactory().textNode("");
                case 2 -> JSON.getNodeFactory().textNode(id.substring(0, 35));
                case 3 -> JSON.getNodeFactory().textNode(id + "0");
                case 4 -> JSON.getNodeFactory().textNode("g" + id.substring(1));
                case 5 -> JSON.getNodeFactory().textNode(id.substring(0, 35) + "\u0000");
                case 6 -> scalarOtherThanString();
                // an order id that is taken is refused (409); a reference must not be null
                case 7 -> reference ? JSON.nullNode() : JSON.getNodeFactory().textNode(data.order().toString());
                default -> JSON.getNodeFactory().textNode(id);
            };
        }

        private JsonNode badQuantity() {
            String[] numbers = {"0", "-1", "-2147483648", "1000", "2147483648", "9223372036854775808", "18446744073709551616",
                    "1234567890123456789012345678901234567890", "1.5", "1.0", "1e3", "2e0", "-0", "999.9"};
            int kind = rnd.nextInt(numbers.length + 5);
            if (kind < numbers.length) {
                mutations.add("quantity-out-of-range");
                return raw(numbers[kind]);
            }
            mutations.add("quantity-not-a-number");
            return switch (kind - numbers.length) {
                case 0 -> JSON.getNodeFactory().textNode("2");
                case 1 -> JSON.getNodeFactory().textNode("two");
                case 2 -> JSON.getNodeFactory().booleanNode(true);
                case 3 -> JSON.nullNode();
                default -> JSON.createArrayNode().add(2);
            };
        }

        private JsonNode badPrice() {
            String[] numbers = {"0", "0.00", "-1", "-0.01", "0.001", "1234567890123456789012345678901234567890",
                    "12345678901", "12345678901.00", "1e400", "1e2147483647", "1E+10", "1e-5", "1e-2147483647", "-1e400",
                    "99999999999999999999.99"};
            int kind = rnd.nextInt(numbers.length + 5);
            if (kind < numbers.length) {
                mutations.add("price-out-of-range");
                return raw(numbers[kind]);
            }
            mutations.add("price-not-a-number");
            return switch (kind - numbers.length) {
                case 0 -> JSON.getNodeFactory().textNode("12.50");
                case 1 -> JSON.getNodeFactory().textNode("");
                case 2 -> JSON.getNodeFactory().booleanNode(false);
                case 3 -> JSON.nullNode();
                default -> JSON.createObjectNode().put("amount", 12.5);
            };
        }

        private JsonNode badContainer(boolean array) {
            mutations.add(array ? "lines-not-a-list" : "object-not-an-object");
            return switch (rnd.nextInt(array ? 7 : 6)) {
                case 0 -> JSON.getNodeFactory().textNode("many");
                case 1 -> JSON.getNodeFactory().textNode("");
                case 2 -> JSON.getNodeFactory().numberNode(3);
                case 3 -> JSON.nullNode();
                case 4 -> JSON.getNodeFactory().booleanNode(true);
                case 5 -> array ? JSON.createObjectNode() : JSON.createArrayNode();
                default -> {
                    ArrayNode many = JSON.createArrayNode();
                    int n = rnd.nextBoolean() ? 0 : 101;
                    for (int i = 0; i < n; i++) {
                        many.add(JSON.createObjectNode().put("productId", data.product().toString()).put("quantity", 1));
                    }
                    yield many;
                }
            };
        }

        private void missingField() {
            List<Field> required = fields(endpoint.body()).stream()
                    .filter(f -> f.kind() != Kind.UUID_NEW && f.kind() != Kind.UUID_SELF && present(f.path())).toList();
            if (required.isEmpty()) {
                instead();
                return;
            }
            Field field = required.get(rnd.nextInt(required.size()));
            mutations.add("missing-field@" + field.path());
            remove(field.path());
        }

        private void unknownField() {
            if (json == null) {
                instead();
                return;
            }
            String name = pick("status", "version", "total", "id", "admin", "__proto__", "x".repeat(1 + rnd.nextInt(3000)),
                    "na\u0000me", "\ud800", "");
            ObjectNode where = json;
            if (json.get("shippingAddress") instanceof ObjectNode address && rnd.nextBoolean()) {
                where = address;
            }
            where.put(name, pick("SHIPPED", "1", "true"));
            mutations.add("unknown-field");
        }

        private void duplicateKey() {
            if (json == null || json.isEmpty()) {
                instead();
                return;
            }
            String first = json.fieldNames().next();
            bytes = ("{\"" + first + "\":\"dup\"," + serialized(json).substring(1)).getBytes(StandardCharsets.UTF_8);
            json = null;
            mutations.add("duplicate-key");
        }

        private void deepNesting() {
            if (json == null || json.isEmpty()) {
                instead();
                return;
            }
            int depth = 2 + rnd.nextInt(rnd.nextBoolean() ? 50 : 5000);
            boolean arrays = rnd.nextBoolean();
            String nested = (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
            String first = json.fieldNames().next();
            ObjectNode rest = json.deepCopy();
            rest.remove(first);
            bytes = ("{\"" + first + "\":" + nested + (rest.isEmpty() ? "}" : "," + serialized(rest).substring(1)))
                    .getBytes(StandardCharsets.UTF_8);
            json = null;
            mutations.add("deep-nesting");
        }

        private void brokenJson() {
            if (bytes != null || json == null) {
                instead();
                return;
            }
            byte[] valid = currentBody();
            int kind = rnd.nextInt(4);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (kind == 0 && valid.length > 0) {
                out.write(valid, 0, rnd.nextInt(valid.length));
                mutations.add("json-truncated");
            } else if (kind == 1) {
                out.writeBytes(valid.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : valid);
                out.writeBytes(pick("}", "]", ",", "x", "{}", " {\"a\":1}", "\u0000", "null", "/*c*/")
                        .getBytes(StandardCharsets.UTF_8));
                mutations.add("json-trailing-garbage");
            } else if (kind == 2) {
                String text = new String(valid, StandardCharsets.UTF_8);
                String broken = pick(text.replaceFirst(":", ""), text.replaceFirst(",", ",,"), text.replace('"', '\''),
                        text.replaceFirst("\\{", "{,"), text.replaceFirst("}$", ",}"), "{" + text);
                out.writeBytes((broken.equals(text) ? "{" + text : broken).getBytes(StandardCharsets.UTF_8));
                mutations.add("json-syntax");
            } else {
                // a control character inside a string, unescaped: not JSON
                String text = new String(valid, StandardCharsets.UTF_8);
                int quote = text.indexOf(":\"");
                if (quote < 0) {
                    instead();
                    return;
                }
                out.writeBytes((text.substring(0, quote + 2) + (char) rnd.nextInt(0x20) + text.substring(quote + 2))
                        .getBytes(StandardCharsets.UTF_8));
                mutations.add("json-raw-control");
            }
            bytes = out.toByteArray();
            json = null;
        }

        private void notJson() {
            if (bytes != null) {
                instead();
                return;
            }
            bytes = pick("", "null", "[]", "\"text\"", "42", "true", "not json", "<order/>", "NaN", "{}", "[{}]", "\u0000",
                    "\ufeff").getBytes(StandardCharsets.UTF_8);
            json = null;
            mutations.add("body-not-the-command");
        }

        private void invalidUtf8() {
            if (bytes != null || json == null) {
                instead();
                return;
            }
            byte[] valid = currentBody();
            String text = new String(valid, StandardCharsets.UTF_8);
            int quote = text.indexOf(":\"");
            if (quote < 0) {
                instead();
                return;
            }
            byte[][] junk = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
                    {(byte) 0xC3}, {(byte) 0xFE, (byte) 0xFF}};
            int at = text.substring(0, quote + 2).getBytes(StandardCharsets.UTF_8).length;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(valid, 0, at);
            out.writeBytes(junk[rnd.nextInt(junk.length)]);
            out.write(valid, at, valid.length - at);
            bytes = out.toByteArray();
            json = null;
            mutations.add("invalid-utf8");
        }

        private void wrongContentType() {
            replaceHeader("wrong-content-type", "Content-Type", pick("text/plain", "application/xml", "text/html",
                    "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/octet-stream",
                    "application/jsonx", "json", "image/png"));
        }

        private void tooLarge() {
            if (bytes != null) {
                instead();
                return;
            }
            byte[] valid = currentBody();
            byte[] padded = new byte[70_000 + valid.length];
            java.util.Arrays.fill(padded, (byte) ' ');
            System.arraycopy(valid, 0, padded, 0, valid.length);
            bytes = padded;
            json = null;
            mutations.add("body-too-large");
        }

        /**
         * For a body that is bytes already (broken below JSON), a second body mutation could undo the
         * first (truncating trailing garbage away): a header mutation is made instead.
         */
        private void instead() {
            badIdempotencyKey();
        }

        private byte[] currentBody() {
            return bytes != null ? bytes : json != null ? serialized(json).getBytes(StandardCharsets.UTF_8) : new byte[0];
        }

        // --- the bearer token ---

        private String token(Who who) {
            return switch (who) {
                case CUSTOMER -> data.tokens().customer();
                case NEWCOMER -> data.tokens().newcomer();
                case STAFF -> data.tokens().staff();
                case ADMIN -> data.tokens().admin();
            };
        }

        /** Replaces the valid token with one the service must refuse as no token at all (401). */
        void spoilToken() {
            String valid = token(endpoint.who());
            String[] parts = valid.split("\\.", -1);
            String another = token(endpoint.who() == Who.STAFF ? Who.CUSTOMER : Who.STAFF);
            switch (rnd.nextInt(10)) {
                case 0 -> {
                    headers.removeIf(h -> h.name().equals("Authorization"));
                    mutations.add("token-missing");
                }
                case 1 -> bearer("token-garbage", pick(printable(1 + rnd.nextInt(300)), "null", "undefined", "Bearer", "a.b.c",
                        "..", "e30.e30.", "k".repeat(4000),
                        base64url(printable(40)) + "." + base64url(printable(80)) + "." + base64url(printable(64))));
                case 2 -> bearer("token-truncated", valid.substring(0, 1 + rnd.nextInt(valid.length() - 1)));
                case 3 -> bearer("token-alg-none", base64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "."
                        + pick("", parts[parts.length - 1]));
                case 4 -> bearer("token-alg-other", base64url("{\"alg\":\"" + pick("HS256", "RS512", "ES256", "PS256")
                        + "\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[parts.length - 1]);
                case 5 -> bearer("token-expired", data.tokens().expired());
                case 6 -> bearer("token-other-issuer", data.tokens().otherIssuer());
                case 7 -> bearer("token-other-audience", data.tokens().otherAudience());
                case 8 -> bearer("token-signature-of-another", parts[0] + "." + parts[1] + "."
                        + another.substring(another.lastIndexOf('.') + 1));
                default -> replaceHeader("token-wrong-scheme", "Authorization", pick("Basic " + base64url("staff:staff"),
                        "Token " + valid, valid, "JWT " + valid));
            }
        }

        private void bearer(String mutation, String token) {
            replaceHeader(mutation, "Authorization", "Bearer " + token);
        }

        // --- headers ---

        private void badIdempotencyKey() {
            replaceHeader("bad-idempotency-key", "Idempotency-Key", badHeaderValue(200));
        }

        private void badCorrelationId() {
            String value = badHeaderValue(64);
            // a blank correlation id is no id: the service makes one, as without the header
            replaceHeader("bad-correlation-id", "X-Correlation-Id", value.isBlank() ? value + "\u0001" : value);
        }

        /** A value no rule of "1 to max printable ASCII characters" admits. */
        private String badHeaderValue(int max) {
            return switch (rnd.nextInt(8)) {
                case 0 -> "k".repeat(max + 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 6000));
                case 1 -> insert(uuid(rnd).toString(), "\u0000");
                case 2 -> insert(uuid(rnd).toString(), String.valueOf(control()));
                case 3 -> insert(uuid(rnd).toString(), "\u00e9");
                case 4 -> latin1Bytes("clé-" + uuid(rnd));
                case 5 -> "";
                case 6 -> "   ";
                default -> insert(uuid(rnd).toString(), "\u007f");
            };
        }

        private void badIfMatch() {
            replaceHeader("bad-if-match", "If-Match", pick("1", "\"\"", "\"-1\"", "\"1.0\"", "\"abc\"", "\"99999999999999999999\"",
                    "W/1", "\"1\" \"2\"", "\"1\", \"2\"", "\"1", "1\"", "\"\u00001\"", "\"" + "9".repeat(3000) + "\"",
                    latin1Bytes("\"١\""), "\"+1\"", "\" 1\""));
        }

        private void staleIfMatch() {
            replaceHeader("stale-if-match", "If-Match", "\"" + (1000 + rnd.nextInt(1_000_000)) + "\"");
        }

        private void badMinVersion() {
            replaceHeader("bad-x-min-version", "X-Min-Version", pick("0", "-1", "abc", "1.5", "+1", "1e3", "0x10",
                    "99999999999999999999", "9223372036854775807", "999999999999999999", "1000000", "", " ", "1 2",
                    latin1Bytes("١"), "\u00001", "9".repeat(5000), "2147483648"));
        }

        private void badLastEventIdHeader() {
            replaceHeader("bad-last-event-id", "Last-Event-ID", pick("yesterday", "-1", "1.5", "+1", "99999999999999999999",
                    "0x1", "1e3", latin1Bytes("١"), "\u00003", "9".repeat(5000), "1 2", "abc"));
        }

        private void badLastEventIdQuery() {
            headers.removeIf(h -> h.name().equals("Last-Event-ID"));
            mutations.add("bad-lastEventId-param");
            query.removeIf(q -> q[0].equals("lastEventId"));
            query.add(new String[] {"lastEventId", pick("yesterday", "-3", "1.5", "%2B1", "99999999999999999999", "0x1",
                    "%00", "%E2%80%8B1", "9".repeat(3000), "%zz", "1%202", "%D9%A1")});
        }

        private void wrongAccept() {
            replaceHeader("wrong-accept", "Accept", sse ? pick("application/json", "text/html", "application/xml")
                    : pick("application/xml", "text/html", "image/png", "text/event-stream"));
        }

        // --- path, query, method ---

        private void badPathId() {
            String id = path.contains(data.order().toString()) ? data.order().toString()
                    : path.contains(data.customer().toString()) ? data.customer().toString() : data.product().toString();
            String bad = pick("123", "null", "not-a-uuid", id + "x", id.substring(1), "g" + id.substring(1), "%00",
                    "%2e%2e", "x".repeat(3000), "%C3%A9", "%zz", id.replace("-", ""), "%ED%A0%80", "%20" + id, "{id}",
                    id.toUpperCase().replace('-', '_'));
            path = path.replace(id, bad);
            mutations.add("bad-path-id");
        }

        private void unknownPathId() {
            String id = path.contains(data.order().toString()) ? data.order().toString()
                    : path.contains(data.customer().toString()) ? data.customer().toString() : data.product().toString();
            path = path.replace(id, uuid(rnd).toString());
            mutations.add("unknown-path-id");
        }

        private void badNumberParam(String name, int min, int max) {
            query.removeIf(q -> q[0].equals(name));
            query.add(new String[] {name, pick(Integer.toString(min - 1), Integer.toString(max + 1), "-1", "abc", "1.5",
                    "2147483648", "9223372036854775808", "", "%00", "1e2", "0x10", "%2B5", "%D9%A1", "9".repeat(3000), "%zz")});
            mutations.add("bad-" + name);
        }

        private void badCursor() {
            query.removeIf(q -> q[0].equals("cursor"));
            query.add(new String[] {"cursor", pick("abc", "%00", "x".repeat(3000), "%ff%fe", "Zm9vOmJhcg", "!!!!", "%zz",
                    enc(printable(30)), "MTIzOm5vdC1hLXV1aWQ", "%E2%80%A8", "%0A%0D")});
            mutations.add("bad-cursor");
        }

        private void badTopic() {
            query.removeIf(q -> q[0].equals("topic"));
            query.add(new String[] {"topic", pick("nope", "", "orders.events", "%00", "x".repeat(3000), "%C3%A9", "%zz",
                    "orders.events.dlq%00", "..%2F..", "%0D%0AX-Injected:%201")});
            mutations.add("bad-topic");
        }

        private void junkQuery() {
            query.add(new String[] {"x" + word(4), pick("%00", "%zz", "1", "x".repeat(2000))});
            mutations.add("junk-param");
        }

        private void unknownPath() {
            path = pick("/nope", "/orders/" + data.order() + "/confirm/extra", "/orders/" + data.order() + "/frobnicate",
                    "/%00", "/orders//confirm", "/products/changes/price", "/orders/%zz/cancel", "/" + "x".repeat(3000),
                    "/admin/rebuild/now", "/customers/" + data.customer());
            mutations.add("unknown-path");
        }

        private void wrongMethod() {
            // wrong for the endpoint, whatever an earlier mutation chose: a second one must not swap it back
            method = pick("DELETE", "PATCH", "DELETE", "PATCH", endpoint.method().equals("POST") ? "PUT" : "POST");
            if (method.equals("POST") && endpoint.reads() != Reads.COMMAND && path.equals("/products")) {
                method = "DELETE";
            }
            mutations.add("wrong-method");
        }

        private void wrongMethodNotPost() {
            method = pick("DELETE", "PATCH", "PUT");
            mutations.add("wrong-method");
        }

        // --- helpers ---

        /** A header only where the request has none of that name: noise never replaces a mutated header. */
        private void addIfAbsent(String mutation, Header header) {
            if (headers.stream().noneMatch(h -> h.name().equalsIgnoreCase(header.name()))) {
                mutations.add(mutation);
                headers.add(header);
            }
        }

        private void replaceHeader(String mutation, String name, String value) {
            headers.removeIf(h -> h.name().equalsIgnoreCase(name));
            headers.add(new Header(name, value));
            mutations.add(mutation);
        }

        private boolean present(String path) {
            return json != null && !at(path).isMissingNode();
        }

        private JsonNode at(String path) {
            return json.at("/" + path.replace('.', '/'));
        }

        private void set(String path, JsonNode value) {
            int dot = path.lastIndexOf('.');
            JsonNode parent = dot < 0 ? json : at(path.substring(0, dot));
            String last = path.substring(dot + 1);
            if (parent instanceof ObjectNode o) {
                o.set(last, value);
            } else if (parent instanceof ArrayNode a) {
                a.set(Integer.parseInt(last), value);
            }
        }

        private void remove(String path) {
            int dot = path.lastIndexOf('.');
            JsonNode parent = dot < 0 ? json : at(path.substring(0, dot));
            String last = path.substring(dot + 1);
            if (parent instanceof ObjectNode o) {
                o.remove(last);
            } else if (parent instanceof ArrayNode a) {
                a.remove(Integer.parseInt(last));
            }
        }

        /** A number written exactly as given ("2.0" stays "2.0", "1e2147483647" is not expanded). */
        private JsonNode raw(String number) {
            return JSON.getNodeFactory().rawValueNode(new RawValue(number));
        }

        private String insert(String into, String what) {
            int at = into.isEmpty() ? 0 : rnd.nextInt(into.length() + 1);
            return into.substring(0, at) + what + into.substring(at);
        }

        /** A C0 or C1 control, or DEL. */
        private char control() {
            int n = rnd.nextInt(32 + 1 + 32);
            return (char) (n < 32 ? n : n == 32 ? 0x7F : 0x80 + n - 33);
        }

        private String word(int length) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
            return sb.toString();
        }

        private String printable(int length) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append((char) (0x21 + rnd.nextInt(0x7E - 0x21)));
            }
            return sb.toString();
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[rnd.nextInt(options.length)];
        }
    }

    private static String serialized(JsonNode node) {
        try {
            return ESCAPING.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A version 4 UUID drawn from the request's own random numbers, so that the request is reproducible. */
    private static UUID uuid(Random rnd) {
        return new UUID(rnd.nextLong() & ~0xF000L | 0x4000L, rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
    }

    private static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A Unicode text as the bytes a client sends it in, one character a byte. */
    static String latin1Bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<Field> fields(Body body) {
        return switch (body) {
            case CUSTOMER -> CUSTOMER;
            case PRODUCT -> PRODUCT;
            case PRICE -> PRICE;
            case ORDER -> ORDER;
            case ADDRESS -> ADDRESS;
            case CANCEL -> CANCEL;
            case NONE -> List.of();
        };
    }

    private static ObjectNode validBody(Body body, Random rnd, Seed data) {
        String tag = Long.toHexString(rnd.nextLong());
        return switch (body) {
            case NONE -> null;
            case CUSTOMER -> JSON.createObjectNode().put("name", "Fuzz Buyer").put("email", "fuzz-" + tag + "@example.com");
            case PRODUCT -> JSON.createObjectNode().put("sku", "FUZZ-" + tag).put("name", "Fuzz gadget")
                    .put("unitPrice", new BigDecimal("12.50"));
            case PRICE -> JSON.createObjectNode().put("unitPrice", new BigDecimal("13.25"));
            case ADDRESS -> address();
            case CANCEL -> JSON.createObjectNode().put("reason", "changed my mind");
            case ORDER -> {
                ObjectNode order = JSON.createObjectNode();
                if (rnd.nextBoolean()) {
                    order.put("orderId", uuid(rnd).toString());
                }
                if (rnd.nextBoolean()) {
                    order.put("customerId", data.customer().toString());
                }
                order.set("shippingAddress", address());
                order.set("lines", JSON.createArrayNode().add(JSON.createObjectNode()
                        .put("productId", data.product().toString()).put("quantity", 2)));
                yield order;
            }
        };
    }

    private static ObjectNode address() {
        return JSON.createObjectNode().put("line1", "1 Harbour Street").put("city", "Hamburg").put("postalCode", "20457")
                .put("country", "DE");
    }
}
