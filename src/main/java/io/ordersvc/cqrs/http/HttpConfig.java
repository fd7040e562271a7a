package io.ordersvc.cqrs.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the HTTP edge accepts of a request before it is read. */
@ConfigMapping(prefix = "ordersvc.http")
public interface HttpConfig {

    /**
     * The most bytes a request's {@code Content-Length} may declare: over it, a 413 problem before the
     * body is read ({@link BodyLimit}). Kept equal to {@code quarkus.http.limits.max-body-size}, which
     * cuts a body sent without a length.
     */
    @WithDefault("65536")
    long maxBodyBytes();
}
