package io.ordersvc.cqrs.deadletter;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Operator endpoints for dead letters. They block on Kafka's clients, so they run on worker threads. */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public DeadLetters.Report waiting() {
        return deadLetters.count();
    }

    @POST
    @Path("/redrive")
    public DeadLetters.Redrive redrive() {
        return deadLetters.redrive();
    }
}
