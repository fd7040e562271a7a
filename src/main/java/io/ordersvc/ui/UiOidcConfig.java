package io.ordersvc.ui;

import io.smallrye.config.ConfigMapping;

/**
 * Where the web UI signs people in: the OIDC provider and the client the UI is there. Both are set in
 * {@code application.properties} from the environment, with the service's own issuer and
 * {@code ordersvc-web} when unset (README, "Web UI").
 */
@ConfigMapping(prefix = "ordersvc.ui.oidc")
public interface UiOidcConfig {

    /** The provider's public client for the UI (authorization code with PKCE): {@code ORDERS_UI_OIDC_CLIENT_ID}. */
    String clientId();

    /**
     * The issuer as browsers reach it ({@code ORDERS_UI_OIDC_ISSUER}), by default the one the service
     * verifies tokens against ({@code quarkus.oidc.auth-server-url}). Set it when the service reaches the
     * provider at an inner address that browsers cannot: the tokens' {@code iss} must still be the one
     * the service expects.
     */
    String issuer();
}
