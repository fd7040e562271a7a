package io.ordersvc.cqrs.security;

import io.ordersvc.cqrs.http.Problem;
import io.ordersvc.cqrs.http.ProblemException;
import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Mints bearer tokens in dev mode and in tests, signed with the local stack's key (generated under
 * {@code target/}, never committed). The endpoint is not part of the packaged service: it is built
 * only in the dev and test profiles. In production tokens come from the identity provider.
 */
@Path("/dev/tokens")
@Tag(name = "dev")
@IfBuildProfile(anyOf = {"dev", "test"})
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DevTokenResource {

    private static final Set<String> ROLES = Set.of(Caller.CUSTOMER, Caller.STAFF, Caller.ADMIN);

    public record Request(@NotBlank @Size(max = 200) String subject, @NotEmpty @Size(max = 3) List<@NotNull String> roles) {
    }

    public record Token(String token) {
    }

    @POST
    @PermitAll
    @Operation(summary = "Mint a bearer token (dev mode and tests only)", description = "Signed with the local stack's "
            + "key, valid for 8 hours. A customer's subject is its customer id (a UUID). Needs no token.")
    @APIResponse(responseCode = "200", description = "The token")
    @APIResponse(responseCode = "400", description = "A subject or role is refused (`errors` names it): roles are "
            + "customer, staff and admin")
    public Token mint(@Valid @NotNull Request request) {
        Set<String> roles = new LinkedHashSet<>(request.roles());
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw invalid("roles", "unknown role '" + role + "': one of customer, staff, admin");
            }
        }
        if (roles.contains(Caller.CUSTOMER)) {
            try {
                UUID.fromString(request.subject());
            } catch (IllegalArgumentException e) {
                throw invalid("subject", "a customer's subject is its customer id (a UUID)");
            }
        }
        return new Token(Jwt.subject(request.subject()).groups(roles).sign());
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalid(400, "Invalid request", List.of(new Problem.FieldError(field, message))));
    }
}
