package io.ordersvc.customers.command;

import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.EventAppender;
import io.ordersvc.customers.event.CustomerRegistered;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.UUID;

/** Customer command handlers, run inside the command bus's transaction. */
@ApplicationScoped
class CustomerCommands {

    private static final String TAKEN = "SELECT id = $2 AS registered FROM customers WHERE lower(email) = lower($1) OR id = $2";
    private static final String INSERT = """
            INSERT INTO customers (id, name, email, version, created_at) VALUES ($1, $2, $3, $4, $5)""";

    private final EventAppender events;

    CustomerCommands(EventAppender events) {
        this.events = events;
    }

    /** Registers {@code customerId}; registered already, it is a 409 (the primary key refuses it). */
    Uni<CommandAnswer> register(SqlConnection tx, UUID customerId, RegisterCustomer command, String correlationId) {
        CustomerRegistered registered = new CustomerRegistered(customerId, command.name().strip(),
                command.email().strip(), EventAppender.now());
        // two registrations of one address at once: the unique index refuses the second (a 409)
        return tx.preparedQuery(TAKEN).execute(Tuple.of(registered.email(), customerId))
                .invoke(rows -> {
                    for (var row : rows) {
                        throw Rejected.conflict(row.getBoolean("registered") ? "customer " + customerId + " is registered already"
                                : "a customer with email " + registered.email() + " exists");
                    }
                })
                .flatMap(free -> Uni.combine().all().unis(
                                tx.preparedQuery(INSERT).execute(Tuple.of(registered.customerId(), registered.name(),
                                        registered.email(), 1L, registered.registeredAt().atOffset(ZoneOffset.UTC))),
                                events.append(tx, CustomerRegistered.AGGREGATE_TYPE, registered.customerId(), 1, registered,
                                        registered.registeredAt(), correlationId))
                        .discardItems())
                .replaceWith(CommandAnswer.created("customerId", registered.customerId(), 1,
                        "/customers/" + registered.customerId()));
    }
}
