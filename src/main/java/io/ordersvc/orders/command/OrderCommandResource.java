package io.ordersvc.orders.command;

import io.ordersvc.cqrs.roles.Side;
import io.ordersvc.cqrs.web.Accepted;
import io.ordersvc.cqrs.web.Correlation;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Order commands. They answer 202 with the id and new version: the read model follows shortly. */
@Path("/orders")
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrderCommandResource {

    private final OrderCommands commands;

    OrderCommandResource(OrderCommands commands) {
        this.commands = commands;
    }

    @POST
    public Uni<Response> place(@Valid @NotNull PlaceOrder command, @HeaderParam(Correlation.HEADER) String correlationId) {
        return commands.place(command, Correlation.idOr(correlationId))
                .map(o -> Accepted.accepted("orderId", o.orderId(), o.version(), "/orders/" + o.orderId()));
    }
}
