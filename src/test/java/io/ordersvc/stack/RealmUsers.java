package io.ordersvc.stack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The people of the stack's realm and their tokens, through the identity provider's own endpoints:
 * the dev realm's password grant ({@code order-cli}) for a token, its admin API for a new person.
 * JDK only, so that the stack's command line, the benchmark and the fault suite can use it.
 *
 * <p>The seeded people are {@code ada} and {@code grace} (customers), {@code staff} and {@code admin},
 * each with their name as password. {@link #newCustomer} adds one more customer, as a test or a
 * load driver needs many.
 */
public final class RealmUsers {

    /** The dev realm's client for scripts: the password grant, no secret. */
    public static final String CLI_CLIENT = "order-cli";

    /** The master realm's administrator, for a driver that calls the admin API itself (the browser tests). */
    public static final String ADMIN_USER = KeycloakServer.ADMIN_USER;
    public static final String ADMIN_PASSWORD = KeycloakServer.ADMIN_PASSWORD;

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String adminToken;
    private long adminTokenUntil;

    RealmUsers(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The issuer of the realm's tokens. */
    public String issuer() {
        return base + "/realms/" + KeycloakServer.REALM;
    }

    /** A person of the realm: its subject (for a customer, its customer id), name and password. */
    public record Person(UUID id, String username, String password) {
    }

    /** An access token for a person of the realm, by the password grant of {@code order-cli}. */
    public String token(String username, String password) {
        return token(KeycloakServer.REALM, CLI_CLIENT, username, password);
    }

    public String token(Person person) {
        return token(person.username(), person.password());
    }

    /** A seeded staff member's token. */
    public String staff() {
        return token("staff", "staff");
    }

    /** The seeded administrator's token. */
    public String admin() {
        return token("admin", "admin");
    }

    /** A new customer of the realm, made through its admin API; {@code label} goes into its name. */
    public Person newCustomer(String label) {
        return newPerson(label, List.of("customer"));
    }

    /** A new person with these realm roles (none: a person the service lets no further than sign-in). */
    public Person newPerson(String label, List<String> roles) {
        String username = label.toLowerCase().replaceAll("[^a-z0-9]+", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        HttpResponse<String> created = admin("POST", "/users", """
                {"username": %s, "email": %s, "firstName": %s, "lastName": "Test", "enabled": true, "emailVerified": true,
                 "credentials": [{"type": "password", "value": %s, "temporary": false}]}"""
                .formatted(quoted(username), quoted(username + "@example.com"), quoted(label), quoted(password)), 201);
        String location = created.headers().firstValue("Location").orElseThrow();
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        if (!roles.isEmpty()) {
            String representations = roles.stream()
                    .map(role -> admin("GET", "/roles/" + role, null, 200).body())
                    .collect(Collectors.joining(",", "[", "]"));
            admin("POST", "/users/" + id + "/role-mappings/realm", representations, 204);
        }
        return new Person(id, username, password);
    }

    /** A call to the realm's admin API ({@code path} under {@code /admin/realms/ordersvc}), expecting {@code status}. */
    public HttpResponse<String> admin(String method, String path, String json, int status) {
        return admin(KeycloakServer.REALM, method, path, json, status);
    }

    /** A call to the admin API of {@code realm} ({@code ""}: the realms themselves), expecting {@code status}. */
    public HttpResponse<String> admin(String realm, String method, String path, String json, int status) {
        String realmPath = realm.isEmpty() ? "" : "/" + realm;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/admin/realms" + realmPath + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + adminToken());
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
        if (response.statusCode() != status) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ", not " + status
                    + ": " + response.body());
        }
        return response;
    }

    private synchronized String adminToken() {
        if (adminToken == null || System.currentTimeMillis() > adminTokenUntil) {
            adminToken = token("master", "admin-cli", KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
            adminTokenUntil = System.currentTimeMillis() + 30_000; // the master realm's tokens live 60 s
        }
        return adminToken;
    }

    /** An access token of {@code realm} for a person, by the password grant of {@code client}. */
    public String token(String realm, String client, String username, String password) {
        String form = Map.of("grant_type", "password", "client_id", client, "username", username, "password", password)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/realms/" + realm
                        + "/protocol/openid-connect/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("no token for " + username + " in realm " + realm + ": "
                    + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the identity provider at " + base + " did not answer " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as a JSON string: the one quoting the stack's and the specs' hand-written JSON uses. */
    public static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
