package io.ordersvc.cqrs.security;

import io.ordersvc.cqrs.http.Problem;
import io.ordersvc.cqrs.process.Roles;
import io.ordersvc.cqrs.process.Side;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The one place where every request to a command or query resource is let through or turned
 * away before its endpoint runs: by the roles this process runs (404 for a side it does not run),
 * and by each caller's command allowance (429 with {@code Retry-After}). Who may call an endpoint
 * at all is declared on it ({@code @RolesAllowed}); a customer's access to its own orders is
 * checked where the order is read ({@link Caller}).
 */
public class RequestGate {

    private final Roles roles;
    private final CallerLimits limits;
    private final CurrentIdentityAssociation identities;

    RequestGate(Roles roles, CallerLimits limits, CurrentIdentityAssociation identities) {
        this.roles = roles;
        this.limits = limits;
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<Response> admit(SimpleResourceInfo resource) {
        Side side = resource.getResourceClass().getAnnotation(Side.class);
        if (side == null) {
            return Uni.createFrom().nullItem();
        }
        if (!enabled(side.value())) {
            return Uni.createFrom().item(Problem.response(Problem.of(404, "Not served here",
                    "this instance does not run the " + side.value().name().toLowerCase() + " side")));
        }
        if (side.value() != Side.Kind.COMMAND) {
            return Uni.createFrom().nullItem();
        }
        // an anonymous caller or a refused token is answered 401 by the role check that follows
        return identities.getDeferredIdentity().map(identity -> identity.isAnonymous() ? null
                : tooMany(limits.command(Caller.of(identity).subject())));
    }

    private static Response tooMany(long retryAfterSeconds) {
        if (retryAfterSeconds == 0) {
            return null;
        }
        Response problem = Problem.response(Problem.of(429, "Too many requests",
                "this caller sent more commands than it may; try again after " + retryAfterSeconds + " s"));
        problem.getHeaders().putSingle("Retry-After", Long.toString(retryAfterSeconds));
        return problem;
    }

    private boolean enabled(Side.Kind kind) {
        return kind == Side.Kind.COMMAND ? roles.command() : roles.query();
    }
}
