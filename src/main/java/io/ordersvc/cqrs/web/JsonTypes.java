package io.ordersvc.cqrs.web;

import io.ordersvc.cqrs.view.ViewRebuild;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The bodies the plumbing answers inside a {@code Response}, whose entity type no resource method's
 * signature names, registered so that a native executable keeps what Jackson reads by reflection:
 * problem details (from every exception mapper) and a rebuild's status.
 */
@RegisterForReflection(targets = { Problem.class, Problem.FieldError.class, ViewRebuild.Status.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
