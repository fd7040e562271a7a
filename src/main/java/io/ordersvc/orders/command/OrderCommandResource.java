package io.ordersvc.orders.command;

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
import io.ordersvc.orders.event.ShippingAddress;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
 * Order commands. They answer with the id and the new version (and ETag), never with read-model
 * data: the view follows shortly. All accept {@code Idempotency-Key}; those on an existing order
 * accept {@code If-Match: "<version>"}. A customer places orders for itself and changes or cancels
 * only its own (another's order is a 404, as an unknown one); staff and admin confirm, ship and
 * cancel any order. What every command answers (its success with {@code Location} and {@code ETag},
 * 409, 412, 422, 429) the API document says once, in {@code cqrs.http.ApiDocument}.
 */
@Path("/orders")
@Tag(name = "orders")
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrderCommandResource {

    private static final String NOT_FOUND = "No such order, or another customer's";

    private final CommandBus bus;
    private final OrderCommands orders;

    OrderCommandResource(CommandBus bus, OrderCommands orders) {
        this.bus = bus;
        this.orders = orders;
    }

    @POST
    @RolesAllowed(Caller.CUSTOMER)
    @Operation(summary = "Place an order", description = "For the caller itself: `customerId`, if given, is the caller's "
            + "own. A client may choose the `orderId` (to show the order before it is placed). Prices are the catalog's "
            + "at this moment.")
    @APIResponse(responseCode = "202", description = "Placed: the order's view follows shortly")
    @APIResponse(responseCode = "403", description = "The caller is not a customer, or `customerId` names another customer")
    @APIResponse(responseCode = "409", description = "The client-chosen `orderId` is taken")
    @APIResponse(responseCode = "422", description = "The customer is not registered, a product does not exist or is "
            + "discontinued (`errors` names the line), or the `Idempotency-Key` was used for a different request")
    public Uni<Response> place(@Valid @NotNull PlaceOrder command, @HeaderParam(IdempotencyKeyHeader.NAME) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        PlaceOrder order = command.by(caller.customerId());
        CommandRequest request = new CommandRequest("POST", "/orders", order, Preconditions.idempotencyKey(key), null,
                Correlation.idOr(correlationId), caller.subject());
        return bus.respond(request, tx -> orders.place(tx, order, request.correlationId()));
    }

    @PUT
    @Path("/{id}/shipping-address")
    @RolesAllowed(Caller.CUSTOMER)
    @Operation(summary = "Change an order's shipping address", description = "The customer's own order, before it ships.")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<Response> changeShippingAddress(@PathParam("id") UUID id, @Valid @NotNull ShippingAddress address,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(IdempotencyKeyHeader.NAME) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        return change("PUT", id, "shipping-address", new OrderCommand.ChangeShippingAddress(address), ifMatch, key,
                correlationId, Caller.of(security));
    }

    @POST
    @Path("/{id}/confirm")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Caller.STAFF, Caller.ADMIN})
    @Operation(summary = "Confirm an order", description = "A PLACED order becomes CONFIRMED. No body.")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<Response> confirm(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(IdempotencyKeyHeader.NAME) String key, @HeaderParam(Correlation.HEADER) String correlationId,
            @Context SecurityContext security) {
        return change("POST", id, "confirm", new OrderCommand.ConfirmOrder(), ifMatch, key, correlationId,
                Caller.of(security));
    }

    @POST
    @Path("/{id}/ship")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Caller.STAFF, Caller.ADMIN})
    @Operation(summary = "Ship an order", description = "A CONFIRMED order becomes SHIPPED. No body.")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<Response> ship(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(IdempotencyKeyHeader.NAME) String key, @HeaderParam(Correlation.HEADER) String correlationId,
            @Context SecurityContext security) {
        return change("POST", id, "ship", new OrderCommand.ShipOrder(), ifMatch, key, correlationId, Caller.of(security));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Caller.CUSTOMER, Caller.STAFF, Caller.ADMIN})
    @Operation(summary = "Cancel an order", description = "A PLACED or CONFIRMED order becomes CANCELLED, with a reason. "
            + "A customer cancels only its own orders; staff and admin any.")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<Response> cancel(@PathParam("id") UUID id, @Valid @NotNull OrderCommand.CancelOrder command,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(IdempotencyKeyHeader.NAME) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        return change("POST", id, "cancel", command, ifMatch, key, correlationId, Caller.of(security));
    }

    private Uni<Response> change(String method, UUID id, String action, OrderCommand command, String ifMatch,
            String key, String correlationId, Caller caller) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        UUID limitedTo = caller.limitedTo();
        CommandRequest request = new CommandRequest(method, "/orders/" + id + "/" + action, command,
                Preconditions.idempotencyKey(key), expected, Correlation.idOr(correlationId), caller.subject());
        return bus.respond(request, tx -> orders.change(tx, id, limitedTo, expected, command, request.correlationId()));
    }
}
