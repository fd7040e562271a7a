package io.ordersvc.cqrs.security;

import io.ordersvc.cqrs.http.Problem;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals of the access rules as problem+json. A missing, expired, badly signed or foreign token
 * is a 401 that says only that (why exactly is no business of a caller who may be probing); a role
 * that may not act is a 403. Authentication is not proactive, so these failures reach these mappers.
 */
public class AccessProblems {

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthorized(RuntimeException e) {
        return unauthorized();
    }

    /** The 401 every refused or missing token gets. */
    static Response unauthorized() {
        Response response = Problem.response(Problem.of(401, "Unauthorized",
                "this request needs a valid bearer token (signed by the expected issuer, for this service, not expired)"));
        response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden(ForbiddenException e) {
        return Problem.response(Problem.of(403, "Forbidden", "the caller's role may not do this"));
    }
}
