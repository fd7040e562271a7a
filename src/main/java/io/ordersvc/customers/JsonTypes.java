package io.ordersvc.customers;

import io.ordersvc.customers.command.RegisterCustomer;
import io.ordersvc.customers.event.CustomerRegistered;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The customer records Jackson reads or writes by reflection where no resource method's signature
 * names them, so that a native executable keeps their constructors and accessors: the event, and
 * the command the idempotency check hashes.
 */
@RegisterForReflection(targets = { CustomerRegistered.class, RegisterCustomer.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
