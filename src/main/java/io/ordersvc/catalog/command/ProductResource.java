package io.ordersvc.catalog.command;

import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.command.CommandBus;
import io.ordersvc.cqrs.command.CommandRequest;
import io.ordersvc.cqrs.process.Side;
import io.ordersvc.cqrs.http.Correlation;
import io.ordersvc.cqrs.http.IdempotencyKeyHeader;
import io.ordersvc.cqrs.http.Preconditions;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Catalog commands: add a product, change its price, discontinue it. Staff and admin only. What
 * every command answers the API document says once, in {@code cqrs.http.ApiDocument}.
 */
@Path("/products")
@Tag(name = "catalog")
@RolesAllowed({Caller.STAFF, Caller.ADMIN})
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private static final String NOT_FOUND = "No such product";

    private final CommandBus bus;
    private final CatalogCommands catalog;

    ProductResource(CommandBus bus, CatalogCommands catalog) {
        this.bus = bus;
        this.catalog = catalog;
    }

    @POST
    @Operation(summary = "Add a product to the catalog")
    @APIResponse(responseCode = "201", description = "Added: the catalog shows it shortly")
    @APIResponse(responseCode = "409", description = "A product with this sku exists")
    public Uni<Response> add(@Valid @NotNull AddProduct command, @HeaderParam(IdempotencyKeyHeader.NAME) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        CommandRequest request = new CommandRequest("POST", "/products", command, Preconditions.idempotencyKey(key), null,
                Correlation.idOr(correlationId), Caller.of(security).subject());
        return bus.respond(request, tx -> catalog.add(tx, command, request.correlationId()));
    }

    @POST
    @Path("/{id}/price")
    @Operation(summary = "Change a product's price")
    @APIResponse(responseCode = "202", description = "Accepted: the product's view reaches this version shortly; orders "
            + "placed before keep their prices")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The product is discontinued; `currentVersion` gives its version")
    public Uni<Response> changePrice(@PathParam("id") UUID id, @Valid @NotNull ChangeProductPrice command,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(IdempotencyKeyHeader.NAME) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        CommandRequest request = new CommandRequest("POST", "/products/" + id + "/price", command,
                Preconditions.idempotencyKey(key), expected, Correlation.idOr(correlationId), Caller.of(security).subject());
        return bus.respond(request, tx -> catalog.changePrice(tx, id, expected, command, request.correlationId()));
    }

    @POST
    @Path("/{id}/discontinue")
    @Operation(summary = "Discontinue a product", description = "No new order may use it; orders placed before keep it. No body.")
    @APIResponse(responseCode = "202", description = "Discontinued: the product's view reaches this version shortly")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The product is discontinued already; `currentVersion` gives its version")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> discontinue(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(IdempotencyKeyHeader.NAME) String key, @HeaderParam(Correlation.HEADER) String correlationId,
            @Context SecurityContext security) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        CommandRequest request = new CommandRequest("POST", "/products/" + id + "/discontinue", "discontinue",
                Preconditions.idempotencyKey(key), expected, Correlation.idOr(correlationId), Caller.of(security).subject());
        return bus.respond(request, tx -> catalog.discontinue(tx, id, expected, request.correlationId()));
    }
}
