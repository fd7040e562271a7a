package io.ordersvc.catalog.command;

import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.command.CommandBus;
import io.ordersvc.cqrs.command.CommandRequest;
import io.ordersvc.cqrs.roles.Side;
import io.ordersvc.cqrs.web.Correlation;
import io.ordersvc.cqrs.web.Preconditions;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Catalog commands: add a product, change its price, discontinue it. Staff and admin only. */
@Path("/products")
@RolesAllowed({Caller.STAFF, Caller.ADMIN})
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final CommandBus bus;
    private final CatalogCommands catalog;

    ProductResource(CommandBus bus, CatalogCommands catalog) {
        this.bus = bus;
        this.catalog = catalog;
    }

    @POST
    public Uni<Response> add(@Valid @NotNull AddProduct command, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        CommandRequest request = new CommandRequest("POST", "/products", command, Preconditions.idempotencyKey(key), null,
                Correlation.idOr(correlationId), Caller.of(security).subject());
        return bus.respond(request, tx -> catalog.add(tx, command, request.correlationId()));
    }

    @POST
    @Path("/{id}/price")
    public Uni<Response> changePrice(@PathParam("id") UUID id, @Valid @NotNull ChangeProductPrice command,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        CommandRequest request = new CommandRequest("POST", "/products/" + id + "/price", command,
                Preconditions.idempotencyKey(key), expected, Correlation.idOr(correlationId), Caller.of(security).subject());
        return bus.respond(request, tx -> catalog.changePrice(tx, id, expected, command, request.correlationId()));
    }

    @POST
    @Path("/{id}/discontinue")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> discontinue(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(IDEMPOTENCY_KEY) String key, @HeaderParam(Correlation.HEADER) String correlationId,
            @Context SecurityContext security) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        CommandRequest request = new CommandRequest("POST", "/products/" + id + "/discontinue", "discontinue",
                Preconditions.idempotencyKey(key), expected, Correlation.idOr(correlationId), Caller.of(security).subject());
        return bus.respond(request, tx -> catalog.discontinue(tx, id, expected, request.correlationId()));
    }
}
