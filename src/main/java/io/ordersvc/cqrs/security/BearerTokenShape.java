package io.ordersvc.cqrs.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A bearer token that is not a signed JWT in compact form (three base64url parts joined by dots) is
 * refused with the 401 of {@link AccessProblems} before the OIDC extension reads it: the extension
 * fails with an unexpected exception (a 500) on some such tokens, a lone dot for one, instead of
 * refusing them. The service takes JWTs only; it introspects no opaque token.
 */
public class BearerTokenShape {

    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final String BEARER = "Bearer ";

    @ServerRequestFilter(preMatching = true)
    public Response refuseMalformed(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return COMPACT_JWS.matcher(authorization.substring(BEARER.length()).strip()).matches() ? null
                : AccessProblems.unauthorized();
    }
}
