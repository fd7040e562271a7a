package io.ordersvc.catalog.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The product sells at a new price from now on; only a product that still sells changes its price. */
public record ProductPriceChanged(UUID productId, BigDecimal oldPrice, BigDecimal newPrice, Instant changedAt)
        implements ProductEvent {

    public static final String TYPE = "ProductPriceChanged";

    @Override
    public BigDecimal unitPrice() {
        return newPrice;
    }

    @Override
    public boolean discontinued() {
        return false;
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return 1;
    }

    @Override
    public Instant at() {
        return changedAt;
    }
}
