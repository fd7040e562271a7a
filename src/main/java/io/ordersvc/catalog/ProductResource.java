package io.ordersvc.catalog;

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

@Path("/products")
@Side(Side.Kind.COMMAND)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final CatalogCommands commands;

    ProductResource(CatalogCommands commands) {
        this.commands = commands;
    }

    @POST
    public Uni<Response> add(@Valid @NotNull AddProduct command, @HeaderParam(Correlation.HEADER) String correlationId) {
        return commands.add(command, Correlation.idOr(correlationId))
                .map(a -> Accepted.created("productId", a.productId(), a.version(), "/products/" + a.productId()));
    }
}
