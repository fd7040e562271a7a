package io.ordersvc.catalog;

import io.ordersvc.cqrs.eventlog.EventLog;
import io.ordersvc.cqrs.web.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

@ApplicationScoped
public class CatalogCommands {

    public static final String AGGREGATE = "product";

    private final EventLog events;

    CatalogCommands(EventLog events) {
        this.events = events;
    }

    public record Added(UUID productId, long version) {
    }

    @WithTransaction
    public Uni<Added> add(AddProduct command, String correlationId) {
        ProductAdded added = new ProductAdded(UUID.randomUUID(), command.sku().strip(), command.name().strip(),
                command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return ProductEntity.skuTaken(added.sku())
                .invoke(taken -> {
                    if (taken) {
                        throw ProblemException.conflict("a product with sku " + added.sku() + " exists");
                    }
                })
                .flatMap(free -> entity(added).persist())
                .flatMap(saved -> events.append(AGGREGATE, added.productId(), 1, added, added.addedAt(), correlationId))
                .replaceWith(new Added(added.productId(), 1));
    }

    private static ProductEntity entity(ProductAdded e) {
        ProductEntity p = new ProductEntity();
        p.id = e.productId();
        p.sku = e.sku();
        p.name = e.name();
        p.unitPrice = e.unitPrice();
        p.version = 1;
        p.createdAt = e.addedAt();
        return p;
    }
}
