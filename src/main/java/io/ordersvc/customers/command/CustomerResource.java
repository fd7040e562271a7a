package io.ordersvc.customers.command;

import java.util.UUID;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/customers")
@Tag(name = "customers")
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    private final CommandBus bus;
    private final CustomerCommands customers;

    CustomerResource(CommandBus bus, CustomerCommands customers) {
        this.bus = bus;
        this.customers = customers;
    }

    /** A customer registers itself: its customer id is its token's subject. */
    @POST
    @RolesAllowed(Caller.CUSTOMER)
    @Operation(summary = "Register the caller as a customer", description = "The customer's id is the token's subject.")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "403", description = "The caller is not a customer, or its token's subject is not a customer id")
    @APIResponse(responseCode = "409", description = "The caller is registered already, or another customer has this email")
    public Uni<Response> register(@Valid @NotNull RegisterCustomer command, @HeaderParam(IdempotencyKeyHeader.NAME) String key,
            @HeaderParam(Correlation.HEADER) String correlationId, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        UUID customerId = caller.customerId();
        CommandRequest request = new CommandRequest("POST", "/customers", command, Preconditions.idempotencyKey(key), null,
                Correlation.idOr(correlationId), caller.subject());
        return bus.respond(request, tx -> customers.register(tx, customerId, command, request.correlationId()));
    }
}
