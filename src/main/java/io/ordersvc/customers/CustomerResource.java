package io.ordersvc.customers;

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

@Path("/customers")
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    private final CustomerCommands commands;

    CustomerResource(CustomerCommands commands) {
        this.commands = commands;
    }

    @POST
    public Uni<Response> register(@Valid @NotNull RegisterCustomer command,
            @HeaderParam(Correlation.HEADER) String correlationId) {
        return commands.register(command, Correlation.idOr(correlationId))
                .map(r -> Accepted.created("customerId", r.customerId(), r.version(), "/customers/" + r.customerId()));
    }
}
