package io.ordersvc.stack;

import io.quarkus.test.common.QuarkusTestResource;

/** Binds the local stack to every {@code @QuarkusTest} of the suite, started once for the run. */
@QuarkusTestResource(StackTestResource.class)
public final class StackForEveryTest {

    private StackForEveryTest() {
    }
}
