package io.ordersvc.customers.command;

import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.eventlog.EventLog;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.customers.event.CustomerRegistered;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Customer command handlers, run inside the command bus's transaction. */
@ApplicationScoped
class CustomerCommands {

    private final EventLog events;

    CustomerCommands(EventLog events) {
        this.events = events;
    }

    Uni<CommandAnswer> register(RegisterCustomer command, String correlationId) {
        CustomerRegistered registered = new CustomerRegistered(UUID.randomUUID(), command.name().strip(),
                command.email().strip(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return CustomerEntity.emailTaken(registered.email())
                .invoke(taken -> {
                    if (taken) {
                        throw Rejected.conflict("a customer with email " + registered.email() + " exists");
                    }
                })
                .flatMap(free -> entity(registered).persist())
                .flatMap(saved -> events.append(CustomerRegistered.AGGREGATE_TYPE, registered.customerId(), 1, registered,
                        registered.registeredAt(), correlationId))
                .replaceWith(CommandAnswer.created("customerId", registered.customerId(), 1,
                        "/customers/" + registered.customerId()));
    }

    private static CustomerEntity entity(CustomerRegistered e) {
        CustomerEntity c = new CustomerEntity();
        c.id = e.customerId();
        c.name = e.name();
        c.email = e.email();
        c.version = 1;
        c.createdAt = e.registeredAt();
        return c;
    }
}
