package io.ordersvc.orders.query;

import io.ordersvc.cqrs.roles.Side;
import io.ordersvc.cqrs.web.Problem;
import io.ordersvc.cqrs.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

@Path("/customers")
@Side(Side.Kind.QUERY)
public class CustomerOrdersResource {

    private final CustomerOrders customerOrders;

    CustomerOrdersResource(CustomerOrders customerOrders) {
        this.customerOrders = customerOrders;
    }

    /** A customer's orders, newest first; pass the answer's {@code nextCursor} for the next page. */
    @GET
    @Path("/{id}/orders")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CustomerOrders.Page> orders(@PathParam("id") UUID customerId,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit, @QueryParam("cursor") String cursor) {
        return Uni.createFrom().deferred(() -> customerOrders.page(customerId, limit, cursor))
                .onFailure(CustomerOrders.InvalidCursor.class).transform(e -> new ProblemException(Problem.invalid(400,
                        "Invalid request", List.of(new Problem.FieldError("cursor", "not a cursor this service handed out")))));
    }
}
