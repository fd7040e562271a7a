package io.ordersvc.catalog.query;

import io.ordersvc.cqrs.roles.Side;
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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

@Path("/products")
@Side(Side.Kind.QUERY)
@Produces(MediaType.APPLICATION_JSON)
public class ProductQueryResource {

    private final ProductQueries products;

    ProductQueryResource(ProductQueries products) {
        this.products = products;
    }

    /** The catalog by sku, a page at a time; pass the answer's {@code nextCursor} for the next page. */
    @GET
    public Uni<ProductQueries.Page> catalog(@QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        return products.page(limit, cursor);
    }

    @GET
    @Path("/{id}")
    public Uni<Response> product(@PathParam("id") UUID id) {
        return products.product(id)
                .map(view -> view.orElseThrow(() -> ProblemException.notFound("product " + id)))
                .map(view -> Response.ok(view).tag(new EntityTag(Long.toString(view.version()))).build());
    }
}
