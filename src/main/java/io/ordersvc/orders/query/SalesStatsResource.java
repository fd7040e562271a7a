package io.ordersvc.orders.query;

import io.ordersvc.cqrs.roles.Side;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/stats")
@Side(Side.Kind.QUERY)
public class SalesStatsResource {

    private final SalesStats stats;

    SalesStatsResource(SalesStats stats) {
        this.stats = stats;
    }

    /** Orders and revenue per status, and per day for the last {@code days} days with sales. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SalesStats.Dashboard> dashboard(@QueryParam("days") @DefaultValue("30") @Min(1) @Max(366) int days) {
        return stats.dashboard(days);
    }
}
