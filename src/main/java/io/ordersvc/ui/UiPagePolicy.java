package io.ordersvc.ui;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;

/**
 * The UI's page talks to its OIDC provider (discovery, the token endpoint for the code and each
 * renewal), so on that page alone the Content-Security-Policy of {@code application.properties} also
 * lets it connect to the provider's origin; every other answer keeps {@code connect-src 'self'}. The
 * origin, not the issuer's path: some providers serve their token endpoint beside the issuer's path.
 */
@ApplicationScoped
public class UiPagePolicy {

    static final String HEADER = "Content-Security-Policy";
    private static final String CONNECT_SELF = "connect-src 'self'";

    private final String connect;

    UiPagePolicy(UiOidcConfig config) {
        this.connect = CONNECT_SELF + " " + origin(config.issuer());
    }

    void allowProvider(@Observes Router router) {
        for (String page : List.of("/", "/index.html")) {
            // set when the headers are written, after whichever handler set the strict policy
            router.route(page).order(Integer.MIN_VALUE).handler(context -> {
                context.addHeadersEndHandler(end -> {
                    String policy = context.response().headers().get(HEADER);
                    if (policy != null) {
                        context.response().headers().set(HEADER, policy.replace(CONNECT_SELF, connect));
                    }
                });
                context.next();
            });
        }
    }

    /** {@code scheme://host[:port]} of the issuer. */
    static String origin(String issuer) {
        URI uri = URI.create(issuer);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("ordersvc.ui.oidc.issuer is not an absolute URL: " + issuer);
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
