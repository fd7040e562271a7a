package io.ordersvc.cqrs.roles;

import io.ordersvc.cqrs.web.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The one place where every request to a command or query resource is let through or turned
 * away: today by the roles this process runs, later also by the caller's authorisation.
 */
public class RequestGate {

    private final Roles roles;

    RequestGate(Roles roles) {
        this.roles = roles;
    }

    @ServerRequestFilter
    public Response admit(SimpleResourceInfo resource) {
        Side side = resource.getResourceClass().getAnnotation(Side.class);
        if (side == null || enabled(side.value())) {
            return null;
        }
        return Problem.response(Problem.of(404, "Not served here",
                "this instance does not run the " + side.value().name().toLowerCase() + " side"));
    }

    private boolean enabled(Side.Kind kind) {
        return kind == Side.Kind.COMMAND ? roles.command() : roles.query();
    }
}
