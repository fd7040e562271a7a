package io.ordersvc.cqrs.deadletter;

import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.http.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Operator endpoints for dead letters: every dead-letter topic of the service, or one with
 * {@code ?topic=}. They block on Kafka's clients, so they run on worker threads.
 */
@Path("/admin/dead-letters")
@Tag(name = "admin")
@RolesAllowed(Caller.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final String TOPIC_NOT_FOUND = "404";
    private static final String UNKNOWN_TOPIC = "`topic` is not a dead-letter topic of this service (or empty); "
            + "`errors` names it and the detail lists the topics";

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Count the dead letters waiting", description = "Per dead-letter topic of the service, the "
            + "records not yet re-driven; `topic` limits it to one.")
    @APIResponse(responseCode = "200", description = "What waits, in total and per topic")
    @APIResponse(responseCode = TOPIC_NOT_FOUND, description = UNKNOWN_TOPIC)
    public DeadLetters.Report waiting(@QueryParam("topic") String topic, @Context UriInfo uri) {
        String asked = asked(topic, uri);
        return asked == null ? deadLetters.count() : deadLetters.count(asked);
    }

    @POST
    @Path("/redrive")
    @Operation(summary = "Re-drive the dead letters", description = "Sends each waiting record back to its topic under "
            + "its key; `topic` limits it to one dead-letter topic. No body.")
    @APIResponse(responseCode = "200", description = "How many were re-driven, in total and per topic")
    @APIResponse(responseCode = TOPIC_NOT_FOUND, description = UNKNOWN_TOPIC)
    public DeadLetters.Redrive redrive(@QueryParam("topic") String topic, @Context UriInfo uri) {
        String asked = asked(topic, uri);
        return asked == null ? deadLetters.redrive() : deadLetters.redrive(asked);
    }

    /**
     * The topic asked for, or null for every topic. {@code ?topic=} names no topic (a script's
     * unset variable): it is an unknown topic, not a request to re-drive them all.
     */
    private static String asked(String topic, UriInfo uri) {
        return topic == null && uri.getQueryParameters().containsKey("topic") ? "" : topic;
    }

    @ServerExceptionMapper
    public Response unknownTopic(DeadLetters.UnknownTopic e) {
        return Problem.response(Problem.invalid(404, "Not found", List.of(new Problem.FieldError("topic",
                "'" + e.topic() + "' is not a dead-letter topic of this service; it has " + deadLetters.topics()))));
    }
}
