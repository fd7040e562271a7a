package io.ordersvc.cqrs.security;

import io.ordersvc.cqrs.http.Problem;
import io.ordersvc.cqrs.http.ProblemMappers;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.NoSuchElementException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals of the access rules as problem+json. A missing, expired, badly signed or foreign token
 * is a 401 that says only that (why exactly is no business of a caller who may be probing); a role
 * that may not act is a 403. Authentication is not proactive, so these failures reach these mappers.
 */
public class AccessProblems {

    /** Where the OIDC extension reads a bearer token ({@code AccessTokenCredential}, its bearer mechanism). */
    private static final String OIDC_TOKEN_READING = "io.quarkus.oidc.";

    private final ProblemMappers unexpected = new ProblemMappers();

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

    /**
     * A bearer token the OIDC extension could not even take apart (a lone dot, say) makes it fail with
     * a {@code NoSuchElementException} instead of refusing the token: that is a 401 like any bad token.
     * Only open endpoints never read the token, so they answer as before. Thrown anywhere else, the
     * exception is the unexpected failure it is.
     */
    @ServerExceptionMapper(NoSuchElementException.class)
    public Response unreadableToken(NoSuchElementException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (!frame.getClassName().startsWith("java.")) {
                // the first frame past the JDK's: thrown by the extension itself, or by anyone else
                return frame.getClassName().startsWith(OIDC_TOKEN_READING) ? unauthorized() : unexpected.unexpected(e);
            }
        }
        return unexpected.unexpected(e);
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden(ForbiddenException e) {
        return Problem.response(Problem.of(403, "Forbidden", "the caller's role may not do this"));
    }
}
