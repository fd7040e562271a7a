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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies a bearer token once, not on every request that carries it: the identity a token proved
 * is kept until the token expires (at most {@code ordersvc.security.verified-token-ttl}), keyed by
 * the token's exact text, so only the same signed bytes find it. A client sends one token many times
 * (every read, every resume of a stream); checking its RSA signature each time was most of what
 * authentication cost per request. Bounded: when it holds {@code ordersvc.security.verified-tokens}
 * tokens it forgets the expired ones, and then, if still full, all of them.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    private final OidcIdentityProvider validator;
    private final long ttlMillis;
    private final int capacity;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private final Counter checked;
    private final Counter reused;

    VerifiedTokens(OidcIdentityProvider validator, MeterRegistry meters, VerifiedTokensConfig config) {
        this.validator = validator;
        this.ttlMillis = config.verifiedTokenTtl().toMillis();
        this.capacity = config.verifiedTokens();
        this.checked = Counter.builder("ordersvc.security.tokens").tag("verification", "checked")
                .description("Bearer tokens whose signature and claims were checked").register(meters);
        this.reused = Counter.builder("ordersvc.security.tokens").tag("verification", "reused")
                .description("Requests whose bearer token had been verified before").register(meters);
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
        checked.increment();
        return validator.authenticate(request, context).invoke(identity -> remember(token, identity, now));
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
