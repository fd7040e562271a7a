package io.ordersvc.orders.query;

import io.ordersvc.cqrs.process.Side;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.http.Preconditions;
import io.ordersvc.cqrs.changes.SseChanges;
import io.ordersvc.orders.projection.AwaitingShipmentProjection;
import io.ordersvc.orders.projection.OrderAnnouncements;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Staff's queue of orders awaiting shipment and its change stream: for staff and admin. */
@Path("/staff/orders/awaiting-shipment")
@Tag(name = "orders")
@Side(Side.Kind.QUERY)
@RolesAllowed({Caller.STAFF, Caller.ADMIN})
public class AwaitingShipmentResource {

    private final AwaitingShipment queue;
    private final SseChanges changes;

    AwaitingShipmentResource(AwaitingShipment queue, SseChanges changes) {
        this.queue = queue;
        this.changes = changes;
    }

    /** The orders awaiting shipment, the longest waiting first; pass the answer's {@code nextCursor} for the next page. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the orders awaiting shipment", description = "Confirmed orders not yet shipped or "
            + "cancelled, the oldest confirmation first, `limit` (1 to 100, 20 by default) at a time; pass the answer's "
            + "`nextCursor` as `cursor` for the next page, and follow the queue's changes from its `changesPosition`.")
    @APIResponse(responseCode = "200", description = "A page of the queue")
    @APIResponse(responseCode = "400", description = "`limit` is not a whole number from 1 to 100, or `cursor` not one "
            + "this service handed out")
    public Uni<AwaitingShipment.Page> awaitingShipment(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Long size = Preconditions.number(limit, 1, 100, "limit", "must be a whole number from 1 to 100");
        return queue.page(size == null ? 20 : size.intValue(), cursor);
    }

    /**
     * Orders entering and leaving the queue as server-sent events, {@code id} = the position in this
     * stream: load the queue, then follow from the page's {@code changesPosition}.
     */
    @GET
    @Path("/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow the orders entering and leaving the queue awaiting shipment", description = "Server-sent "
            + "events: `id` = the position in this stream, `event` = the event's type (OrderConfirmed: the order entered "
            + "the queue; OrderShipped, OrderCancelled: it left), `data` = `OrderChanged`. Load the queue, then follow "
            + "from its `changesPosition`.")
    @APIResponse(responseCode = "200", description = "The queue's changes, until the client or the instance ends the "
            + "stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = OrderAnnouncements.OrderChanged.class)))
    public Multi<OutboundSseEvent> changes(@HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String from, @Context Sse sse, @Context SecurityContext security) {
        return changes.stream(AwaitingShipmentProjection.CHANGES, Caller.of(security).subject(), lastEventId, from, sse);
    }
}
