package io.ordersvc.orders.query;

import jakarta.ws.rs.core.SecurityContext;
import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.process.Side;
import io.ordersvc.cqrs.changes.SseChanges;
import io.ordersvc.cqrs.http.Preconditions;
import io.ordersvc.cqrs.http.Problem;
import io.ordersvc.cqrs.http.ProblemException;
import io.ordersvc.orders.projection.OrderAnnouncements;
import io.ordersvc.orders.projection.OrderView;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An order, its history and its change stream: for its customer, and for staff and admin. Another
 * customer's order is a 404, the same as an unknown id, so that ids cannot be probed.
 */
@Path("/orders")
@Tag(name = "orders")
@Side(Side.Kind.QUERY)
@RolesAllowed({Caller.CUSTOMER, Caller.STAFF, Caller.ADMIN})
public class OrderQueryResource {

    public static final String READ_SOURCE = "X-Read-Source";
    private static final String NOT_FOUND = "No such order, or another customer's";

    private final OrderQueries queries;
    private final SseChanges changes;

    OrderQueryResource(OrderQueries queries, SseChanges changes) {
        this.queries = queries;
        this.changes = changes;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read an order", description = "The order's view: from the cache, else from the replica (or the "
            + "primary). After a command, pass its version in `X-Min-Version` to read nothing older.")
    @APIResponse(responseCode = "200", description = "The order",
            headers = {@Header(name = "ETag", ref = "ETag"), @Header(name = READ_SOURCE, ref = READ_SOURCE)},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "304", description = "`If-None-Match` names the current version",
            headers = {@Header(name = "ETag", ref = "ETag"), @Header(name = READ_SOURCE, ref = READ_SOURCE)})
    @APIResponse(responseCode = "400", description = "`X-Min-Version` is not a version number, or one the order has not "
            + "reached (then `version` gives the one it has)")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<Response> details(@PathParam("id") UUID id,
            @Parameter(description = "Answer with this version or a later one (a version a command answered); a version "
                    + "the order has not reached is a 400") @HeaderParam("X-Min-Version") String minVersion,
            @HeaderParam("If-None-Match") String ifNoneMatch, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        return queries.orderDetails(id, minVersion(minVersion))
                .onFailure(OrderQueries.VersionNotReached.class)
                .transform(e -> notReached((OrderQueries.VersionNotReached) e, caller, id))
                .map(answer -> answer.filter(found -> caller.mayAccess(found.view().customerId()))
                        .orElseThrow(() -> ProblemException.notFound("order " + id)))
                .map(answer -> respond(answer, ifNoneMatch));
    }

    private static Response respond(OrderQueries.Answer answer, String ifNoneMatch) {
        EntityTag tag = new EntityTag(Long.toString(answer.view().version()));
        Response.ResponseBuilder response = unchanged(tag, ifNoneMatch) ? Response.notModified(tag)
                : Response.ok(answer.view().json(), MediaType.APPLICATION_JSON_TYPE).tag(tag);
        return response.header(READ_SOURCE, answer.source().name().toLowerCase()).build();
    }

    private static boolean unchanged(EntityTag tag, String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.replaceFirst("^W/", "").equals("\"" + tag.getValue() + "\"")) {
                return true;
            }
        }
        return false;
    }

    /** A version the order has not reached would never come: refused at once, with the version it has. */
    private static ProblemException notReached(OrderQueries.VersionNotReached e, Caller caller, UUID id) {
        if (!caller.mayAccess(e.customerId())) {
            return ProblemException.notFound("order " + id);
        }
        Problem.FieldError error = new Problem.FieldError("X-Min-Version",
                "the order is at version " + e.current() + "; pass a version a command answered");
        return new ProblemException(Problem.invalid(400, "Invalid request", List.of(error)).with("version", e.current()));
    }

    private static Long minVersion(String header) {
        return Preconditions.number(header, 1, "X-Min-Version", "must be a version number, 1 or more");
    }

    /** The audit trail: the order's events in version order, from the event log. */
    @GET
    @Path("/{id}/history")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read an order's history", description = "The audit trail: the order's events in version order, "
            + "each with its type, version, time, correlation id and payload, from the event log.")
    @APIResponse(responseCode = "200", description = "The order's events")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<List<OrderQueries.HistoryEntry>> history(@PathParam("id") UUID id, @Context SecurityContext security) {
        Caller caller = Caller.of(security);
        return queries.history(id).map(history -> history.filter(h -> caller.mayAccess(h.customerId()))
                .map(OrderQueries.History::entries)
                .orElseThrow(() -> ProblemException.notFound("order " + id)));
    }

    /**
     * The order's changes as server-sent events, {@code id} = the order's version: load the order,
     * then follow from its version ({@code ?lastEventId=} or {@code Last-Event-ID}) to miss nothing.
     * A customer is admitted, at the first connection and at every resume, only to an order known
     * to be its own ({@link OrderStreamAdmission}).
     */
    @GET
    @Path("/{id}/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @OrderStreamAdmission.OwnOrderOnly
    @Operation(summary = "Follow an order's changes", description = "Server-sent events: `id` = the order's version, "
            + "`event` = the event's type (OrderPlaced, ShippingAddressChanged, OrderConfirmed, OrderShipped, "
            + "OrderCancelled), `data` = `OrderChanged`. Load the order, then follow from its version to miss nothing. "
            + "A customer is admitted, at the first connection and at every resume, only to its own order.")
    @APIResponse(responseCode = "200", description = "The order's changes, until the client or the instance ends the stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation =
                    OrderAnnouncements.OrderChanged.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Multi<OutboundSseEvent> changes(@PathParam("id") UUID id, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String from, @Context Sse sse, @Context SecurityContext security) {
        return changes.stream(OrderView.changesStream(id), Caller.of(security).subject(), lastEventId, from, sse);
    }
}
