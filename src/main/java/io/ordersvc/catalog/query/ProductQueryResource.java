package io.ordersvc.catalog.query;

import jakarta.ws.rs.core.SecurityContext;
import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.catalog.projection.ProductView;
import io.ordersvc.catalog.projection.ProductViewProjection;
import io.ordersvc.cqrs.process.Side;
import io.ordersvc.cqrs.http.PlainText;
import io.ordersvc.cqrs.http.Preconditions;
import io.ordersvc.cqrs.http.Problem;
import io.ordersvc.cqrs.http.ProblemException;
import io.ordersvc.cqrs.changes.SseChanges;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The catalog, read by every signed-in caller. */
@Path("/products")
@Tag(name = "catalog")
@Side(Side.Kind.QUERY)
@RolesAllowed({Caller.CUSTOMER, Caller.STAFF, Caller.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ProductQueryResource {

    private static final Pattern CURSOR = Pattern.compile(".+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ProductQueries products;
    private final SseChanges changes;

    ProductQueryResource(ProductQueries products, SseChanges changes) {
        this.products = products;
        this.changes = changes;
    }

    /**
     * Changes to any product as server-sent events, {@code id} = the position in the catalog's
     * stream: load the catalog, then follow from the page's {@code changesPosition}.
     */
    @GET
    @Path("/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow the catalog's changes", description = "Server-sent events: `id` = the position in the "
            + "catalog's stream, `event` = the event's type (ProductAdded, ProductPriceChanged, ProductDiscontinued), "
            + "`data` = `ProductChanged`. Load the catalog, then follow from the page's `changesPosition`.")
    @APIResponse(responseCode = "200", description = "The catalog's changes, until the client or the instance ends the "
            + "stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = ProductViewProjection.ProductChanged.class)))
    public Multi<OutboundSseEvent> changes(@HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String from, @Context Sse sse, @Context SecurityContext security) {
        return changes.stream(ProductView.CHANGES, Caller.of(security).subject(), lastEventId, from, sse);
    }

    /** The catalog by sku, a page at a time; pass the answer's {@code nextCursor} for the next page. */
    @GET
    @Operation(summary = "Read the catalog", description = "By sku, `limit` (1 to 100, 20 by default) at a time; pass the "
            + "answer's `nextCursor` as `cursor` for the next page, and follow the catalog's changes from its "
            + "`changesPosition`.")
    @APIResponse(responseCode = "200", description = "A page of the catalog")
    @APIResponse(responseCode = "400", description = "`limit` is not a whole number from 1 to 100, or `cursor` not one "
            + "this service handed out")
    public Uni<ProductQueries.Page> catalog(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return products.page(pageSize(limit), cursor(cursor));
    }

    /** The page size, 20 by default: a parameter that is not a whole number from 1 to 100 is a 400 naming it. */
    private static int pageSize(String limit) {
        Long size = Preconditions.number(limit, 1, 100, "limit", "must be a whole number from 1 to 100");
        return size == null ? 20 : size.intValue();
    }

    /** A cursor as this service hands them out: the last product's {@code sku:id}. */
    private static String cursor(String cursor) {
        boolean handedOut = cursor == null
                || cursor.length() <= 200 && PlainText.violation(cursor) == null && CURSOR.matcher(cursor).matches();
        if (!handedOut) {
            throw new ProblemException(Problem.invalid(400, "Invalid request",
                    List.of(new Problem.FieldError("cursor", "not a cursor this service handed out"))));
        }
        return cursor;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a product")
    @APIResponse(responseCode = "200", description = "The product", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No such product")
    public Uni<Response> product(@PathParam("id") UUID id) {
        return products.product(id)
                .map(view -> view.orElseThrow(() -> ProblemException.notFound("product " + id)))
                .map(view -> Response.ok(view).tag(new EntityTag(Long.toString(view.version()))).build());
    }
}
