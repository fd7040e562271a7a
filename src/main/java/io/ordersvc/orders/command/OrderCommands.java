package io.ordersvc.orders.command;

import io.ordersvc.catalog.ProductEntity;
import io.ordersvc.customers.CustomerEntity;
import io.ordersvc.cqrs.eventlog.EventLog;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Order command handlers: each one transaction that changes the state tables and appends the event. */
@ApplicationScoped
public class OrderCommands {

    private final EventLog events;

    OrderCommands(EventLog events) {
        this.events = events;
    }

    public record Outcome(UUID orderId, long version) {
    }

    @WithTransaction
    public Uni<Outcome> place(PlaceOrder command, String correlationId) {
        UUID orderId = command.orderId() != null ? command.orderId() : UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // a client-chosen id that is taken fails on the primary key, answered as 409
        return customer(command.customerId())
                .flatMap(customer -> products(command).map(products ->
                        OrderPlacement.decide(command, customer, products, orderId, now)))
                .call(placed -> OrderEntity.placed(placed).persist())
                .call(placed -> events.append(OrderEvent.AGGREGATE_TYPE, orderId, 1, placed, now, correlationId))
                .map(placed -> new Outcome(placed.orderId(), 1));
    }

    private static Uni<Optional<OrderPlacement.Customer>> customer(UUID id) {
        return CustomerEntity.<CustomerEntity>findById(id)
                .map(c -> Optional.ofNullable(c).map(x -> new OrderPlacement.Customer(x.id, x.name, x.email)));
    }

    private static Uni<Map<UUID, OrderPlacement.Product>> products(PlaceOrder command) {
        List<UUID> ids = command.lines().stream().map(PlaceOrder.Line::productId).distinct().toList();
        return ProductEntity.byIds(ids).map(found -> found.stream()
                .map(p -> new OrderPlacement.Product(p.id, p.sku, p.name, p.unitPrice, p.discontinued))
                .collect(Collectors.toMap(OrderPlacement.Product::id, Function.identity())));
    }
}
