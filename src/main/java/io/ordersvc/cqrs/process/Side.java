package io.ordersvc.cqrs.process;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a resource as part of the command side or the query side, which {@code security.RequestGate} enforces. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Side {

    Kind value();

    enum Kind {
        COMMAND, QUERY
    }
}
