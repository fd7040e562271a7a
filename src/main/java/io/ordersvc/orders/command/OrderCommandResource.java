package io.ordersvc.orders.command;

import io.ordersvc.cqrs.command.CommandBus;
import io.ordersvc.cqrs.command.CommandRequest;
import io.ordersvc.cqrs.roles.Side;
import io.ordersvc.cqrs.web.Correlation;
import io.ordersvc.cqrs.web.Preconditions;
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

/**
 * Order commands. They answer with the id and the new version (and ETag), never with read-model
 * data: the view follows shortly. All accept {@code Idempotency-Key}; those on an existing order
 * accept {@code If-Match: "<version>"}.
 */
@Path("/orders")
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrderCommandResource {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final CommandBus bus;
    private final OrderCommands orders;

    OrderCommandResource(CommandBus bus, OrderCommands orders) {
        this.bus = bus;
        this.orders = orders;
    }

    @POST
    public Uni<Response> place(@Valid @NotNull PlaceOrder command, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam(Correlation.HEADER) String correlationId) {
        CommandRequest request = new CommandRequest("POST", "/orders", command, Preconditions.idempotencyKey(key), null,
                Correlation.idOr(correlationId));
        return bus.respond(request, tx -> orders.place(tx, command, request.correlationId()));
    }

    @PUT
    @Path("/{id}/shipping-address")
    public Uni<Response> changeShippingAddress(@PathParam("id") UUID id, @Valid @NotNull ShippingAddress address,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam(Correlation.HEADER) String correlationId) {
        return change("PUT", id, "shipping-address", new OrderCommand.ChangeShippingAddress(address), ifMatch, key,
                correlationId);
    }

    @POST
    @Path("/{id}/confirm")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> confirm(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(IDEMPOTENCY_KEY) String key, @HeaderParam(Correlation.HEADER) String correlationId) {
        return change("POST", id, "confirm", new OrderCommand.ConfirmOrder(), ifMatch, key, correlationId);
    }

    @POST
    @Path("/{id}/ship")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> ship(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(IDEMPOTENCY_KEY) String key, @HeaderParam(Correlation.HEADER) String correlationId) {
        return change("POST", id, "ship", new OrderCommand.ShipOrder(), ifMatch, key, correlationId);
    }

    @POST
    @Path("/{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") UUID id, @Valid @NotNull OrderCommand.CancelOrder command,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam(Correlation.HEADER) String correlationId) {
        return change("POST", id, "cancel", command, ifMatch, key, correlationId);
    }

    private Uni<Response> change(String method, UUID id, String action, OrderCommand command, String ifMatch,
            String key, String correlationId) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        CommandRequest request = new CommandRequest(method, "/orders/" + id + "/" + action, command,
                Preconditions.idempotencyKey(key), expected, Correlation.idOr(correlationId));
        return bus.respond(request, tx -> orders.change(tx, id, expected, command, request.correlationId()));
    }
}
