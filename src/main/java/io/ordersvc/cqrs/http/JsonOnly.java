package io.ordersvc.cqrs.http;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request that may change something (POST, PUT, PATCH, DELETE) carries JSON, or no body at all:
 * the form and plain-text bodies a cross-site page can post without asking first are refused, 415,
 * even on commands that take no body (confirm, ship, discontinue). An empty body is no body, whatever
 * type it declares (some clients label every POST a form); a page elsewhere gains nothing by it,
 * since no request is authenticated by anything a browser sends by itself (no cookies: bearer tokens).
 */
public class JsonOnly {

    private static final Set<String> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    @ServerRequestFilter(preMatching = true)
    public Response refuseOtherBodies(ContainerRequestContext request) {
        if (!WRITES.contains(request.getMethod())) {
            return null;
        }
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (!hasBody(request) || contentType != null && json(contentType)) {
            return null;
        }
        return Problem.response(Problem.invalid(415, "Unsupported media type", List.of(new Problem.FieldError(
                "Content-Type", contentType == null ? "a body needs Content-Type: application/json"
                        : "must be application/json, not " + abbreviated(contentType)))));
    }

    private static boolean json(String contentType) {
        try {
            MediaType type = MediaType.valueOf(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return length == null ? request.getHeaderString("Transfer-Encoding") != null : !length.strip().equals("0");
    }

    private static String abbreviated(String value) {
        String plain = value.replaceAll("[^\\x20-\\x7e]", "?");
        return plain.length() > 60 ? plain.substring(0, 60) + "…" : plain;
    }
}
