package io.ordersvc.cqrs.command;

import io.ordersvc.cqrs.http.Problem;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** What a command answers: a status, where the aggregate lives, its new version, and the id and version. */
public record CommandAnswer(int status, String location, long version, Map<String, Object> body) {

    public static CommandAnswer created(String idName, UUID id, long version, String location) {
        return new CommandAnswer(201, location, version, body(idName, id, version));
    }

    public static CommandAnswer accepted(String idName, UUID id, long version, String location) {
        return new CommandAnswer(202, location, version, body(idName, id, version));
    }

    private static Map<String, Object> body(String idName, UUID id, long version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(idName, id.toString());
        body.put("version", version);
        return body;
    }

    public Response toResponse() {
        Response.ResponseBuilder r = Response.status(status).tag(new EntityTag(Long.toString(version))).entity(body);
        if (location != null) {
            r.location(URI.create(location));
        }
        return r.type(status >= 400 ? Problem.MEDIA_TYPE : "application/json").build();
    }
}
