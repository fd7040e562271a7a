package io.ordersvc.cqrs.deadletter;

import io.ordersvc.cqrs.web.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Operator endpoints for dead letters: every dead-letter topic of the service, or one with
 * {@code ?topic=}. They block on Kafka's clients, so they run on worker threads.
 */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public DeadLetters.Report waiting(@QueryParam("topic") String topic) {
        return topic == null ? deadLetters.count() : deadLetters.count(topic);
    }

    @POST
    @Path("/redrive")
    public DeadLetters.Redrive redrive(@QueryParam("topic") String topic) {
        return topic == null ? deadLetters.redrive() : deadLetters.redrive(topic);
    }

    @ServerExceptionMapper
    public Response unknownTopic(DeadLetters.UnknownTopic e) {
        return Problem.response(Problem.invalid(404, "Not found", List.of(new Problem.FieldError("topic",
                "'" + e.topic() + "' is not a dead-letter topic of this service; it has " + deadLetters.topics()))));
    }
}
