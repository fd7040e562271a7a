package io.ordersvc.customers.command;

import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.EventLog;
import io.ordersvc.customers.event.CustomerRegistered;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Customer command handlers, run inside the command bus's transaction. */
@ApplicationScoped
class CustomerCommands {

    private static final String EMAIL_TAKEN = "SELECT 1 FROM customers WHERE lower(email) = lower($1)";
    private static final String INSERT = """
            INSERT INTO customers (id, name, email, version, created_at) VALUES ($1, $2, $3, $4, $5)""";

    private final EventLog events;

    CustomerCommands(EventLog events) {
        this.events = events;
    }

    Uni<CommandAnswer> register(SqlConnection tx, RegisterCustomer command, String correlationId) {
        CustomerRegistered registered = new CustomerRegistered(UUID.randomUUID(), command.name().strip(),
                command.email().strip(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        // two registrations of one address at once: the unique index refuses the second (a 409)
        return tx.preparedQuery(EMAIL_TAKEN).execute(Tuple.of(registered.email()))
                .invoke(rows -> {
                    if (rows.size() > 0) {
                        throw Rejected.conflict("a customer with email " + registered.email() + " exists");
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
