package io.ordersvc.support;

import static org.awaitility.Awaitility.await;

import io.ordersvc.stack.FreshTokens;
import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.stack.RealmUsers.Person;
import java.time.Duration;
import java.util.List;

/**
 * Tokens the test stack's identity provider issued itself, for the specs that must show how the
 * service treats real ones: a person's, an expired one, one from another realm, one for another
 * audience, one of a person with no role. What the realm needs for them beyond its committed file
 * (two clients, a second realm) is made here through the admin API, once per stack.
 */
public final class ProviderTokens {

    /** A client whose tokens live one second: for a token the provider issued and that has expired. */
    static final String SHORT_LIVED = "short-lived";
    /** A client whose tokens name no audience: the service is not among their recipients. */
    static final String NO_AUDIENCE = "no-audience";
    /** Another realm of the same provider, with a customer of its own. */
    static final String ELSEWHERE = "elsewhere";

    private static final String GROUPS_MAPPER = """
            {"name": "realm roles as groups", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-realm-role-mapper",
             "config": {"claim.name": "groups", "multivalued": "true", "jsonType.label": "String", "access.token.claim": "true"}}""";
    private static final String AUDIENCE_MAPPER = """
            {"name": "audience ordersvc", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
             "config": {"included.custom.audience": "ordersvc", "access.token.claim": "true"}}""";

    private static ProviderTokens instance;

    private final RealmUsers users;

    private ProviderTokens(RealmUsers users) {
        this.users = users;
    }

    /** The test stack's provider, with what these tokens need made on first use. */
    public static synchronized ProviderTokens ofTestStack() {
        if (instance == null) {
            ProviderTokens tokens = new ProviderTokens(LocalStack.forTests().users());
            tokens.prepare();
            instance = tokens;
        }
        return instance;
    }

    public RealmUsers users() {
        return users;
    }

    public Person newCustomer(String label) {
        return users.newCustomer(label);
    }

    public String token(Person person) {
        return users.token(person);
    }

    public String staff() {
        return users.staff();
    }

    public String admin() {
        return users.admin();
    }

    /** A person the provider knows, with no role at all. */
    public String noRoles() {
        return users.token(users.newPerson("No Role", List.of()));
    }

    /** A token the provider issued to {@code person} and that has expired (waits the second it lives). */
    public String expired(Person person) {
        String token = users.token("ordersvc", SHORT_LIVED, person.username(), person.password());
        long expiry = FreshTokens.expiry(token);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() / 1000 > expiry);
        return token;
    }

    /** A token the provider issued to {@code person}, for clients other than this service. */
    public String forAnotherAudience(Person person) {
        return users.token("ordersvc", NO_AUDIENCE, person.username(), person.password());
    }

    /** A customer's token from another realm of the same provider: another issuer, other keys. */
    public String fromAnotherRealm() {
        return users.token(ELSEWHERE, RealmUsers.CLI_CLIENT, "eve", "eve");
    }

    private void prepare() {
        if (users.admin("ordersvc", "GET", "/clients?clientId=" + SHORT_LIVED, null, 200).body().equals("[]")) {
            users.admin("POST", "/clients", client(SHORT_LIVED, ", \"attributes\": {\"access.token.lifespan\": \"1\"}",
                    GROUPS_MAPPER + "," + AUDIENCE_MAPPER), 201);
            users.admin("POST", "/clients", client(NO_AUDIENCE, "", GROUPS_MAPPER), 201);
        }
        if (users.admin("", "GET", "", null, 200).body().contains("\"realm\":\"" + ELSEWHERE + "\"")) {
            return;
        }
        users.admin("", "POST", "", """
                {"realm": "%s", "enabled": true, "sslRequired": "none",
                 "roles": {"realm": [{"name": "customer"}]},
                 "clients": [%s],
                 "users": [{"username": "eve", "enabled": true, "email": "eve@example.com", "emailVerified": true,
                   "firstName": "Eve", "lastName": "Elsewhere",
                   "credentials": [{"type": "password", "value": "eve", "temporary": false}], "realmRoles": ["customer"]}]}"""
                .formatted(ELSEWHERE, client(RealmUsers.CLI_CLIENT, "", GROUPS_MAPPER + "," + AUDIENCE_MAPPER)), 201);
    }

    private static String client(String clientId, String more, String mappers) {
        return """
                {"clientId": "%s", "enabled": true, "publicClient": true, "standardFlowEnabled": false,
                 "directAccessGrantsEnabled": true%s, "protocolMappers": [%s]}""".formatted(clientId, more, mappers);
    }
}
