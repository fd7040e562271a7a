package io.ordersvc.ui;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The UI's settings, read before sign-in and so open to anyone: the UI is served by this service and
 * learns its provider here rather than from a build of its own per deployment.
 */
@Path("/ui/settings")
@Tag(name = "ui")
@Produces(MediaType.APPLICATION_JSON)
public class UiSettingsResource {

    private final UiSettings settings;

    UiSettingsResource(UiOidcConfig config) {
        this.settings = new UiSettings(config.issuer(), config.clientId());
    }

    @GET
    @PermitAll
    @NonBlocking
    @Operation(summary = "Where the web UI signs in", description = "The OIDC provider's issuer, as browsers reach it, "
            + "and the UI's client there (a public client: authorization code with PKCE).")
    @APIResponse(responseCode = "200", description = "The issuer and the client id")
    public UiSettings settings() {
        return settings;
    }
}
