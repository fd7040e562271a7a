package io.ordersvc.catalog.command;

import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductDiscontinued;
import io.ordersvc.catalog.event.ProductEvent;
import io.ordersvc.catalog.event.ProductPriceChanged;
import io.ordersvc.cqrs.command.CommandAnswer;
import io.ordersvc.cqrs.domain.Rejected;
import io.ordersvc.cqrs.eventlog.EventAppender;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.RoundingMode;
import java.util.UUID;
import java.util.function.Function;

/**
 * Catalog command handlers, run inside the command bus's transaction: each decides an event, the
 * product's row follows it, and both are written together.
 */
@ApplicationScoped
class CatalogCommands {

    private final EventAppender events;

    CatalogCommands(EventAppender events) {
        this.events = events;
    }

    Uni<CommandAnswer> add(SqlConnection tx, AddProduct command, String correlationId) {
        ProductAdded added = new ProductAdded(UUID.randomUUID(), command.sku().strip(), command.name().strip(),
                command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), EventAppender.now());
        // two products of one sku at once: the unique constraint refuses the second (a 409)
        return tx.preparedQuery(ProductRows.SKU_TAKEN).execute(Tuple.of(added.sku()))
                .invoke(rows -> {
                    if (rows.size() > 0) {
                        throw Rejected.conflict("a product with sku " + added.sku() + " exists");
                    }
                })
                .flatMap(free -> Uni.combine().all().unis(
                                tx.preparedQuery(ProductRows.INSERT).execute(ProductRows.insert(added)),
                                events.append(tx, ProductEvent.AGGREGATE_TYPE, added.productId(), 1, added, added.addedAt(),
                                        correlationId))
                        .discardItems())
                .replaceWith(CommandAnswer.created("productId", added.productId(), 1, "/products/" + added.productId()));
    }

    Uni<CommandAnswer> changePrice(SqlConnection tx, UUID id, Long expectedVersion, ChangeProductPrice command,
            String correlationId) {
        return change(tx, id, expectedVersion, correlationId, product -> new ProductPriceChanged(id, product.unitPrice(),
                command.unitPrice().setScale(2, RoundingMode.UNNECESSARY), EventAppender.now()));
    }

    Uni<CommandAnswer> discontinue(SqlConnection tx, UUID id, Long expectedVersion, String correlationId) {
        return change(tx, id, expectedVersion, correlationId, product -> new ProductDiscontinued(id, product.unitPrice(), EventAppender.now()));
    }

    /** Locks the product, checks its version and that it still sells, and writes the decided event with the row it leaves. */
    private Uni<CommandAnswer> change(SqlConnection tx, UUID id, Long expectedVersion, String correlationId,
            Function<ProductRows, ProductEvent> decision) {
        return tx.preparedQuery(ProductRows.LOCK).execute(Tuple.of(id))
                .map(rows -> available(rows.size() == 0 ? null : ProductRows.of(rows.iterator().next()), id, expectedVersion))
                .flatMap(product -> {
                    ProductEvent event = decision.apply(product);
                    ProductRows after = product.after(event);
                    return Uni.combine().all().unis(
                                    tx.preparedQuery(ProductRows.UPDATE).execute(after.update()),
                                    events.append(tx, ProductEvent.AGGREGATE_TYPE, id, after.version(), event, event.at(),
                                            correlationId))
                            .discardItems()
                            .replaceWith(CommandAnswer.accepted("productId", id, after.version(), "/products/" + id));
                });
    }

    private static ProductRows available(ProductRows product, UUID id, Long expectedVersion) {
        if (product == null) {
            throw Rejected.notFound("product " + id);
        }
        Rejected.requireVersion(expectedVersion, product.version(), "the product");
        if (product.discontinued()) {
            throw Rejected.conflict("product " + product.sku() + " is discontinued")
                    .with("currentVersion", product.version());
        }
        return product;
    }

}
