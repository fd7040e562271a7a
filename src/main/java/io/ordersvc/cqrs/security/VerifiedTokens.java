package io.ordersvc.cqrs.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.security.AuthenticationFailedException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.lang.UnresolvableKeyException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies a bearer token once, not on every request that carries it: the identity a token proved
 * is kept until the token expires (at most {@code ordersvc.security.verified-token-ttl}), keyed by
 * the token's exact text, so only the same signed bytes find it. A client sends one token many times
 * (every read, every resume of a stream); checking its RSA signature each time was most of what
 * authentication cost per request. Bounded: when it holds {@code ordersvc.security.verified-tokens}
 * tokens it forgets the expired ones, and then, if still full, all of them.
 *
 * <p>A token whose key ({@code kid}) the provider's client does not hold makes it fetch the issuer's
 * JWKS. A kid the issuer turned out not to publish is therefore refused without another fetch for
 * {@code ordersvc.security.unpublished-key-ttl} (10 s), so that the same forged or retired token sent
 * again and again costs the provider one request, not one per try. (Tokens each with a new made-up
 * kid still cost one fetch each: limiting those would also hold back the first tokens of a key the
 * provider has just added; that is left to the gateway's limits on refused requests.)
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]{1,200})\"");

    private final OidcIdentityProvider validator;
    private final long ttlMillis;
    private final int capacity;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Map<String, Long> unpublishedKeys = new ConcurrentHashMap<>();
    private final long unpublishedKeyTtlMillis;

    private final Counter checked;
    private final Counter reused;
    private final Counter unknownKey;

    VerifiedTokens(OidcIdentityProvider validator, MeterRegistry meters, VerifiedTokensConfig config) {
        this.validator = validator;
        this.ttlMillis = config.verifiedTokenTtl().toMillis();
        this.capacity = config.verifiedTokens();
        this.unpublishedKeyTtlMillis = config.unpublishedKeyTtl().toMillis();
        this.checked = Counter.builder("ordersvc.security.tokens").tag("verification", "checked")
                .description("Bearer tokens whose signature and claims were checked").register(meters);
        this.reused = Counter.builder("ordersvc.security.tokens").tag("verification", "reused")
                .description("Requests whose bearer token had been verified before").register(meters);
        this.unknownKey = Counter.builder("ordersvc.security.tokens").tag("verification", "unknown-key-refused")
                .description("Bearer tokens refused without a look-up: their key is one the issuer did not publish")
                .register(meters);
    }

    private record Verified(SecurityIdentity identity, long until) {
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * Before the OIDC extension's own provider (providers are tried from the highest priority down; it
     * has the default), to which it hands every token it has not verified: signature by the key the
     * issuer publishes for its kid, issuer, audience, expiry.
     */
    @Override
    public int priority() {
        return 2 * SYSTEM_FIRST;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        long now = System.currentTimeMillis();
        Verified known = verified.get(token);
        if (known != null && now < known.until()) {
            reused.increment();
            return Uni.createFrom().item(known.identity());
        }
        String kid = kid(token);
        Long unpublishedUntil = kid == null ? null : unpublishedKeys.get(kid);
        if (unpublishedUntil != null && now < unpublishedUntil) {
            unknownKey.increment();
            return Uni.createFrom().failure(new AuthenticationFailedException("the issuer publishes no key " + kid));
        }
        checked.increment();
        return validator.authenticate(request, context)
                .invoke(identity -> remember(token, identity, now))
                .onFailure(failure -> kid != null && unpublishedKey(failure)).invoke(() -> {
                    forgetExpired(unpublishedKeys, now);
                    unpublishedKeys.put(kid, now + unpublishedKeyTtlMillis);
                });
    }

    /** The issuer publishes no key of the token's kid (jose4j's exception, somewhere in the causes). */
    private static boolean unpublishedKey(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvableKeyException) {
                return true;
            }
        }
        return false;
    }

    private static void forgetExpired(Map<String, Long> untils, long now) {
        if (untils.size() >= 1000) {
            untils.values().removeIf(until -> until <= now);
            if (untils.size() >= 1000) {
                untils.clear();
            }
        }
    }

    /** The {@code kid} of a JWT's header, or null when it names none or is no JWT. */
    static String kid(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            Matcher kid = KID.matcher(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
            return kid.find() ? kid.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void remember(String token, SecurityIdentity identity, long now) {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getExpirationTime() <= 0) {
            return;
        }
        long until = Math.min(jwt.getExpirationTime() * 1000, now + ttlMillis);
        if (verified.size() >= capacity) {
            verified.values().removeIf(v -> v.until() <= now);
            if (verified.size() >= capacity) {
                verified.clear();
            }
        }
        verified.put(token, new Verified(identity, until));
    }
}
