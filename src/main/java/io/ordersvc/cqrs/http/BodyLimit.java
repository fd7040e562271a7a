package io.ordersvc.cqrs.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a declared body over the limit with a problem, before it is read. Bodies without a
 * declared length are cut at the same limit by the HTTP server ({@code quarkus.http.limits.max-body-size}).
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;

    BodyLimit(HttpConfig config) {
        this.maxBytes = config.maxBodyBytes();
    }

    void register(@Observes Filters filters) {
        filters.register(this::limit, 100);
    }

    void limit(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBytes) {
            rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end("{\"type\":\"about:blank\",\"title\":\"Payload too large\",\"status\":413,"
                            + "\"detail\":\"bodies are limited to " + maxBytes + " bytes\","
                            + "\"errors\":[{\"field\":\"body\",\"message\":\"larger than " + maxBytes + " bytes\"}]}");
            return;
        }
        rc.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
