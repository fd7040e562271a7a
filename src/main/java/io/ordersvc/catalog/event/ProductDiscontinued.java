package io.ordersvc.catalog.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The product may no longer be ordered. Schema 2 carries the price it last sold at; schema 1
 * payloads are completed from the product's earlier events.
 */
public record ProductDiscontinued(UUID productId, BigDecimal unitPrice, Instant discontinuedAt) implements ProductEvent {

    public static final String TYPE = "ProductDiscontinued";
    public static final int SCHEMA = 2;

    @Override
    public boolean discontinued() {
        return true;
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return SCHEMA;
    }

    @Override
    public Instant at() {
        return discontinuedAt;
    }
}
