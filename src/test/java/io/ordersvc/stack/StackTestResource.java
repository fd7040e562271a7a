package io.ordersvc.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a fresh local stack once per test run and points the service at it. Tests reach the
 * same stack through {@link LocalStack#forTests()}: its state lives on disk, not in this object,
 * which Quarkus loads in a class loader of its own.
 */
public class StackTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        stack = LocalStack.freshForTests();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::down, "stack-down"));
        stack.up();
        System.out.printf("local stack up in %.1f s, ports %s%n", (System.nanoTime() - t0) / 1e9, stack.ports());
        return stack.quarkusConfig();
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.down();
        }
    }
}
