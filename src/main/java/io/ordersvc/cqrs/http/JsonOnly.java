package io.ordersvc.cqrs.http;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request that may change something (POST, PUT, PATCH, DELETE) carries JSON, or no body at all:
 * the form and plain-text bodies a cross-site page can post without asking first are refused, 415,
 * even on commands that take no body (confirm, ship, discontinue). An empty body is no body, whatever
 * type it declares (some clients label every POST a form); a page elsewhere gains nothing by it,
 * since no request is authenticated by anything a browser sends by itself (no cookies: bearer tokens).
 * A body sent to an endpoint that reads none is refused too (400 naming {@code body}), as the API
 * document declares none for it: run as if it had not been sent, what the client meant by it would
 * be lost without a word.
 */
public class JsonOnly {

    private static final Set<String> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    /** Whether each endpoint method reads a body, found once: reflection is not for every request. */
    private static final Map<Method, Boolean> READS_BODY = new ConcurrentHashMap<>();

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

    @ServerRequestFilter
    public Response refuseUnreadBody(ContainerRequestContext request, ResourceInfo resource) {
        if (!WRITES.contains(request.getMethod()) || !hasBody(request) || resource.getResourceMethod() == null
                || READS_BODY.computeIfAbsent(resource.getResourceMethod(), JsonOnly::readsBody)) {
            return null;
        }
        return Problem.response(Problem.invalid(400, "Invalid request", List.of(new Problem.FieldError("body",
                "this request takes no body"))));
    }

    /** A parameter that is no path, query or header parameter nor a context is the body (JAX-RS's entity parameter). */
    private static boolean readsBody(Method method) {
        return Arrays.stream(method.getParameterAnnotations()).anyMatch(annotations -> Arrays.stream(annotations)
                .map(a -> a.annotationType().getPackageName())
                .noneMatch(p -> p.equals("jakarta.ws.rs") || p.equals("jakarta.ws.rs.core")));
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
