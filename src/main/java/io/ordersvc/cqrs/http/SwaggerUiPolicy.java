package io.ordersvc.cqrs.http;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Swagger UI, which dev mode and the tests build, starts from an inline script and React styles its
 * elements inline: on its pages alone the Content-Security-Policy also allows inline scripts and
 * styles. Everything else keeps the strict policy of {@code application.properties}; the packaged
 * service has no Swagger UI and no such exception.
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@ApplicationScoped
public class SwaggerUiPolicy {

    static final String PATH = "/q/swagger-ui";
    static final String POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    void relax(@Observes Router router) {
        // set when the headers are written, so that it replaces the strict policy whichever handler set that first
        router.route(PATH + "*").order(Integer.MIN_VALUE).handler(context -> {
            context.addHeadersEndHandler(end -> context.response().headers().set("Content-Security-Policy", POLICY));
            context.next();
        });
    }
}
