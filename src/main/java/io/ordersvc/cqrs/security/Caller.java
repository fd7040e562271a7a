package io.ordersvc.cqrs.security;

import io.ordersvc.cqrs.domain.Rejected;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who sent a request, as its verified bearer token says: the subject and what the roles let it do.
 * A resource method asks for its {@link SecurityContext} and makes its caller with {@link #of}; which
 * roles may call the method at all is declared on it ({@code @RolesAllowed}) and checked before it
 * runs, and a method without a declaration cannot be called (deny by default). What is left to the
 * method is the object-level rule: a customer acts on and reads only what is its own.
 *
 * @param subject the token's {@code sub}: for a customer, its customer id
 * @param staff the caller has the staff or admin role: it may act on and read any customer's orders
 */
public record Caller(String subject, boolean staff) {

    public static final String CUSTOMER = "customer";
    public static final String STAFF = "staff";
    public static final String ADMIN = "admin";

    public static Caller of(SecurityContext context) {
        Principal principal = context.getUserPrincipal();
        if (principal == null) {
            // unreachable behind @RolesAllowed, which refuses an anonymous call first
            throw new UnauthorizedException();
        }
        return new Caller(subject(principal), context.isUserInRole(STAFF) || context.isUserInRole(ADMIN));
    }

    /** The caller a verified identity is, for code outside a resource method (a request filter). */
    public static Caller of(SecurityIdentity identity) {
        return new Caller(subject(identity.getPrincipal()), identity.hasRole(STAFF) || identity.hasRole(ADMIN));
    }

    /** The token's {@code sub} (a JWT principal's name may be its {@code upn} or preferred name instead). */
    private static String subject(Principal principal) {
        return principal instanceof JsonWebToken token && token.getSubject() != null ? token.getSubject() : principal.getName();
    }

    /** The customer this caller is: its subject, which must be a customer id (a UUID). */
    public UUID customerId() {
        try {
            UUID id = UUID.fromString(subject);
            if (id.toString().equals(subject.toLowerCase())) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw Rejected.forbidden(null, "the token's subject is not a customer id, so it cannot act as a customer");
    }

    /** Whether this caller may see and act on what belongs to {@code owner}. */
    public boolean mayAccess(UUID owner) {
        return staff || owner != null && subject.equalsIgnoreCase(owner.toString());
    }

    /**
     * The customer whose own things this caller is limited to, or null when it is not limited
     * (staff and admin).
     */
    public UUID limitedTo() {
        return staff ? null : customerId();
    }
}
