package io.ordersvc.support;

import static io.ordersvc.stack.RealmUsers.quoted;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.stack.SigningKeys;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Bearer tokens for specs whose caller needs no person behind it (a customer id made up by the spec,
 * a staff member): signed (RS256) with the test stack's own key, which the stack's realm publishes
 * among its keys, and shaped as the realm's own tokens are (issuer, audience, {@code groups}, kid).
 * The service verifies them exactly as it verifies the provider's: by the key the issuer's JWKS names
 * for their kid. Test code only: the service has no way to mint a token, and the benchmark, the fault
 * suite and the drivers take theirs from the provider ({@code LocalStack.users()}).
 */
public final class Tokens {

    /** The audience the service requires (the realm's tokens name it through a mapper). */
    public static final String AUDIENCE = "ordersvc";

    private static final Pattern JWK = Pattern.compile("\\{[^{}]*\"kid\"\\s*:\\s*\"([^\"]+)\"[^{}]*\\}");
    private static final Pattern MODULUS = Pattern.compile("\"n\"\\s*:\\s*\"([^\"]+)\"");

    private final PrivateKey key;
    private final String kid;
    private final String issuer;

    private Tokens(PrivateKey key, String kid, String issuer) {
        this.key = key;
        this.kid = kid;
        this.issuer = issuer;
    }

    /** Tokens of the test stack's realm, signed with the stack's key as its JWKS publishes it. */
    public static Tokens of(LocalStack stack) {
        PrivateKey key = stack.keys().privateKey();
        return new Tokens(key, publishedKid(stack.issuer(), key), stack.issuer());
    }

    /** Tokens signed with a key no issuer publishes, claiming to be from {@code issuer}: refused. */
    public static Tokens unpublished(SigningKeys keys, String issuer) {
        return new Tokens(keys.privateKey(), "unpublished-" + UUID.randomUUID(), issuer);
    }

    public String issuer() {
        return issuer;
    }

    public String customer(UUID customerId) {
        return token(customerId.toString(), List.of("customer"), Duration.ofHours(1));
    }

    public String staff() {
        return token("staff-" + UUID.randomUUID(), List.of("staff"), Duration.ofHours(1));
    }

    public String admin() {
        return token("admin-" + UUID.randomUUID(), List.of("admin"), Duration.ofHours(1));
    }

    /** A token for {@code subject} with {@code roles}, valid for {@code lifetime} from now (negative: expired). */
    public String token(String subject, List<String> roles, Duration lifetime) {
        return token(subject, roles, issuer, AUDIENCE, lifetime);
    }

    public String token(String subject, List<String> roles, String issuer, String audience, Duration lifetime) {
        Instant now = Instant.now();
        String claims = "{\"iss\":" + quoted(issuer) + ",\"aud\":" + quoted(audience) + ",\"sub\":" + quoted(subject)
                + ",\"typ\":\"Bearer\",\"azp\":\"order-cli\""
                + ",\"groups\":[" + roles.stream().map(RealmUsers::quoted).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(lifetime).getEpochSecond()
                + ",\"jti\":" + quoted(UUID.randomUUID().toString()) + "}";
        String signed = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":" + quoted(kid) + "}") + "." + base64(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kid under which the issuer's JWKS publishes the public half of {@code key}. */
    private static String publishedKid(String issuer, PrivateKey key) {
        BigInteger modulus = ((RSAPrivateCrtKey) key).getModulus();
        String jwks = get(URI.create(issuer + "/protocol/openid-connect/certs"));
        Matcher jwk = JWK.matcher(jwks);
        while (jwk.find()) {
            Matcher n = MODULUS.matcher(jwk.group());
            if (n.find() && new BigInteger(1, Base64.getUrlDecoder().decode(n.group(1))).equals(modulus)) {
                return jwk.group(1);
            }
        }
        throw new IllegalStateException("the issuer " + issuer + " does not publish the test stack's key: " + jwks);
    }

    private static String get(URI uri) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(uri + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

}
