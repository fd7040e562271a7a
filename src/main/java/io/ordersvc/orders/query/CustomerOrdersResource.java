package io.ordersvc.orders.query;

import jakarta.ws.rs.core.SecurityContext;
import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.process.Side;
import io.ordersvc.cqrs.http.Preconditions;
import io.ordersvc.cqrs.http.ProblemException;
import io.ordersvc.orders.projection.CustomerOrdersProjection;
import io.ordersvc.orders.projection.OrderAnnouncements;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A customer's orders and their change stream: for that customer, and for staff and admin. Another
 * customer's list is a 404.
 */
@Path("/customers")
@Tag(name = "orders")
@Side(Side.Kind.QUERY)
@RolesAllowed({Caller.CUSTOMER, Caller.STAFF, Caller.ADMIN})
public class CustomerOrdersResource {

    private static final String NOT_FOUND = "No such customer, or another customer (a customer sees only its own list)";

    private final CustomerOrders customerOrders;
    private final SseChanges changes;

    CustomerOrdersResource(CustomerOrders customerOrders, SseChanges changes) {
        this.customerOrders = customerOrders;
        this.changes = changes;
    }

    /** A customer's orders, newest first; pass the answer's {@code nextCursor} for the next page. */
    @GET
    @Path("/{id}/orders")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List a customer's orders", description = "Newest first, `limit` (1 to 100, 20 by default) at a "
            + "time; pass the answer's `nextCursor` as `cursor` for the next page, and follow the list's changes from "
            + "its `changesPosition`.")
    @APIResponse(responseCode = "200", description = "A page of the customer's orders")
    @APIResponse(responseCode = "400", description = "`limit` is not a whole number from 1 to 100, or `cursor` not one "
            + "this service handed out")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<CustomerOrders.Page> orders(@PathParam("id") UUID customerId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @Context SecurityContext security) {
        requireAccess(Caller.of(security), customerId);
        Long size = Preconditions.number(limit, 1, 100, "limit", "must be a whole number from 1 to 100");
        return customerOrders.page(customerId, size == null ? 20 : size.intValue(), cursor);
    }

    /**
     * Changes to any of the customer's orders as server-sent events, {@code id} = the position in
     * this stream: load the orders, then follow from the page's {@code changesPosition}.
     */
    @GET
    @Path("/{id}/orders/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow the changes of a customer's orders", description = "Server-sent events: `id` = the "
            + "position in this stream, `event` = the event's type (OrderPlaced, ShippingAddressChanged, OrderConfirmed, "
            + "OrderShipped, OrderCancelled), `data` = `OrderChanged`. Load the list, then follow from its "
            + "`changesPosition`.")
    @APIResponse(responseCode = "200", description = "The changes of the customer's orders, until the client or the "
            + "instance ends the stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = OrderAnnouncements.OrderChanged.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Multi<OutboundSseEvent> changes(@PathParam("id") UUID customerId, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String from, @Context Sse sse, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        requireAccess(caller, customerId);
        return changes.stream(CustomerOrdersProjection.changesStream(customerId), caller.subject(), lastEventId, from, sse);
    }

    private static void requireAccess(Caller caller, UUID customerId) {
        if (!caller.mayAccess(customerId)) {
            throw ProblemException.notFound("customer " + customerId);
        }
    }
}
