package io.ordersvc.cqrs.web;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** The answer to a command: where the aggregate lives, its new version as ETag, and the id and version. */
public final class Accepted {

    private Accepted() {
    }

    public static Response created(String idName, UUID id, long version, String path) {
        return answer(Response.Status.CREATED, idName, id, version, path);
    }

    public static Response accepted(String idName, UUID id, long version, String path) {
        return answer(Response.Status.ACCEPTED, idName, id, version, path);
    }

    private static Response answer(Response.Status status, String idName, UUID id, long version, String path) {
        return Response.status(status)
                .location(URI.create(path))
                .tag(new EntityTag(Long.toString(version)))
                .entity(Map.of(idName, id, "version", version))
                .build();
    }
}
