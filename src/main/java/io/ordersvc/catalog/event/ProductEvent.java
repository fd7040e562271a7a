package io.ordersvc.catalog.event;

import io.ordersvc.cqrs.eventlog.DomainEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Everything that can happen to a product of the catalog, in the past tense. */
public sealed interface ProductEvent extends DomainEvent permits ProductAdded, ProductPriceChanged, ProductDiscontinued {

    String AGGREGATE_TYPE = "product";

    UUID productId();

    /** The price the product sells at, or last sold at, after this event. */
    BigDecimal unitPrice();

    /** Whether the product may no longer be ordered after this event. */
    boolean discontinued();

    Instant at();
}
