package io.ordersvc.cqrs.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An {@code Idempotency-Key} sent empty, or more than once, on a request that may change state is
 * refused (400 naming it) before the request is read. A resource's header parameter sees an empty
 * header as no header at all, so the command would run without the protection its client asked for;
 * of two keys, it would use one without saying which. What a single key may hold is checked where
 * it is used ({@link Preconditions#idempotencyKey}).
 */
public class IdempotencyKeyHeader {

    public static final String NAME = "Idempotency-Key";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public Response once(ContainerRequestContext request) {
        List<String> keys = request.getHeaders().get(NAME);
        if (keys == null || keys.isEmpty() || SAFE_METHODS.contains(request.getMethod())) {
            return null;
        }
        if (keys.size() > 1) {
            return Problem.response(Problem.invalid(400, "Invalid request",
                    List.of(new Problem.FieldError(NAME, "must be sent once"))));
        }
        Preconditions.idempotencyKey(keys.get(0));
        return null;
    }
}
