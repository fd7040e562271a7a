package io.ordersvc.cqrs.deadletter;

import jakarta.annotation.security.RolesAllowed;
import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.web.Problem;
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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Operator endpoints for dead letters: every dead-letter topic of the service, or one with
 * {@code ?topic=}. They block on Kafka's clients, so they run on worker threads.
 */
@Path("/admin/dead-letters")
@RolesAllowed(Caller.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public DeadLetters.Report waiting(@QueryParam("topic") String topic, @Context UriInfo uri) {
        String asked = asked(topic, uri);
        return asked == null ? deadLetters.count() : deadLetters.count(asked);
    }

    @POST
    @Path("/redrive")
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
