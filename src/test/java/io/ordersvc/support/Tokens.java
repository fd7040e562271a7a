package io.ordersvc.support;

import io.ordersvc.stack.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Bearer tokens for tests and drivers, signed (RS256) with the local stack's key, as an identity
 * provider would issue them: JDK only, so that the benchmark and the fault suite can mint them
 * against the packaged service, which has no token endpoint.
 */
public final class Tokens {

    private final PrivateKey key;
    private final String issuer;
    private final String audience;

    private Tokens(PrivateKey key, String issuer, String audience) {
        this.key = key;
        this.issuer = issuer;
        this.audience = audience;
    }

    public static Tokens signedWith(SigningKeys keys) {
        return new Tokens(keys.privateKey(), SigningKeys.ISSUER, SigningKeys.AUDIENCE);
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
        return token(subject, roles, issuer, audience, lifetime);
    }

    public String token(String subject, List<String> roles, String issuer, String audience, Duration lifetime) {
        Instant now = Instant.now();
        String claims = "{\"iss\":" + quoted(issuer) + ",\"aud\":" + quoted(audience) + ",\"sub\":" + quoted(subject)
                + ",\"groups\":[" + roles.stream().map(Tokens::quoted).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(lifetime).getEpochSecond()
                + ",\"jti\":" + quoted(UUID.randomUUID().toString()) + "}";
        String signed = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
