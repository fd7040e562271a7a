package io.ordersvc.orders.query;

import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.process.Side;
import io.ordersvc.cqrs.http.Preconditions;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The sales dashboard: staff and admin. */
@Path("/stats")
@Tag(name = "sales")
@RolesAllowed({Caller.STAFF, Caller.ADMIN})
@Side(Side.Kind.QUERY)
public class SalesStatsResource {

    private final SalesStats stats;

    SalesStatsResource(SalesStats stats) {
        this.stats = stats;
    }

    /** Orders and revenue per status, and per day for the last {@code days} days with sales. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read the sales dashboard", description = "Orders and revenue per status, and per day of placing "
            + "for the last `days` days (1 to 366, 30 by default), with the version of the figures.")
    @APIResponse(responseCode = "200", description = "The dashboard")
    @APIResponse(responseCode = "400", description = "`days` is not a whole number from 1 to 366")
    public Uni<SalesStats.Dashboard> dashboard(@QueryParam("days") String days) {
        Long span = Preconditions.number(days, 1, 366, "days", "must be a whole number from 1 to 366");
        return stats.dashboard(span == null ? 30 : span.intValue());
    }
}
