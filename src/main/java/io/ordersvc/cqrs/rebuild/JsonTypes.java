package io.ordersvc.cqrs.rebuild;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body the rebuild answers inside a {@code Response} ({@link RebuildResource#start}), whose
 * entity type no resource method's signature names, registered so that a native executable keeps
 * what Jackson reads by reflection: a rebuild's status.
 */
@RegisterForReflection(targets = { ViewRebuild.Status.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
