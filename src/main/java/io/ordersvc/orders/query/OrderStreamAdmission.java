package io.ordersvc.orders.query;

import io.ordersvc.cqrs.security.Caller;
import io.ordersvc.cqrs.http.CanonicalUuid;
import io.ordersvc.cqrs.http.Problem;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admits a customer to an order's change stream only when the order is its own, before the stream
 * starts: once an event stream has answered 200 it can no longer answer 404. Another customer's
 * order, and one not (yet) known, get the 404 an unknown order gets. Staff and admin follow any
 * order; a caller without a valid token is left to the role check, which answers 401.
 */
class OrderStreamAdmission {

    /** Marks the stream endpoints this admission guards. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface OwnOrderOnly {
    }

    private final CurrentIdentityAssociation identities;
    private final OrderQueries queries;

    OrderStreamAdmission(CurrentIdentityAssociation identities, OrderQueries queries) {
        this.identities = identities;
        this.queries = queries;
    }

    @ServerRequestFilter
    @OwnOrderOnly
    Uni<Response> admit(ContainerRequestContext request) {
        UUID orderId = orderId(request.getUriInfo().getPathParameters().getFirst("id"));
        return identities.getDeferredIdentity().flatMap(identity -> {
            if (identity.isAnonymous() || orderId == null) {
                return Uni.createFrom().nullItem();
            }
            Caller caller = Caller.of(identity);
            if (caller.staff()) {
                return Uni.createFrom().nullItem();
            }
            return queries.customerOf(orderId).map(customer -> customer.filter(caller::mayAccess).isPresent() ? null
                    : Problem.response(Problem.of(404, "Not found", "order " + orderId + " does not exist")));
        });
    }

    /** The order's id, or null when the path does not hold one (the endpoint then refuses it as a 400). */
    private static UUID orderId(String id) {
        try {
            return CanonicalUuid.parse(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
