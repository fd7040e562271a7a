package io.ordersvc.cqrs.http;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The bodies the plumbing answers inside a {@code Response}, whose entity type no resource method's
 * signature names, registered so that a native executable keeps what Jackson reads by reflection:
 * problem details (from every exception mapper). A rebuild's status is registered beside the rebuild.
 */
@RegisterForReflection(targets = { Problem.class, Problem.FieldError.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
