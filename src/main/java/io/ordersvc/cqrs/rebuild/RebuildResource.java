package io.ordersvc.cqrs.rebuild;

import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.http.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Operator endpoints: start an online rebuild of the read models, and follow its progress. */
@Path("/admin/rebuild")
@RolesAllowed(Caller.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RebuildResource {

    private final ViewRebuild rebuild;

    RebuildResource(ViewRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @POST
    public Uni<Response> start() {
        return rebuild.start().map(status -> Response.accepted(status).build());
    }

    @GET
    public ViewRebuild.Status progress() {
        return rebuild.status();
    }

    @ServerExceptionMapper
    Response alreadyRunning(ViewRebuild.AlreadyRunning e) {
        return Problem.response(Problem.of(409, "Conflict", e.getMessage()));
    }
}
