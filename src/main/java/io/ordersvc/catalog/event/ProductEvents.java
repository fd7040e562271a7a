package io.ordersvc.catalog.event;

import com.fasterxml.jackson.core.JsonParser;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.EventReader;
import io.ordersvc.cqrs.eventlog.MalformedEventException;
import io.ordersvc.cqrs.eventlog.Upcasting;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads stored or received catalog events into their current records; a discontinuation stored
 * before it carried the product's price is completed from the product's earlier events.
 */
@ApplicationScoped
public class ProductEvents implements EventReader<ProductEvent> {

    private static final Map<String, Class<? extends ProductEvent>> TYPES = Map.of(
            ProductAdded.TYPE, ProductAdded.class,
            ProductPriceChanged.TYPE, ProductPriceChanged.class,
            ProductDiscontinued.TYPE, ProductDiscontinued.class);

    private final Upcasting upcasting;

    ProductEvents(Upcasting upcasting) {
        this.upcasting = upcasting;
    }

    @Override
    public ProductEvent read(String eventType, int schemaVersion, JsonParser payload) {
        return upcasting.read(eventType, schemaVersion, payload, type(eventType));
    }

    @Override
    public ProductEvent read(EventEnvelope envelope) {
        return upcasting.read(envelope, type(envelope.eventType()));
    }

    @Override
    public boolean complete(ProductEvent event) {
        return event.unitPrice() != null;
    }

    @Override
    public List<ProductEvent> history(List<EventEnvelope> envelopes) {
        return completed(envelopes.stream().map(this::read).toList());
    }

    /** A product's events in version order, each completed from those before it. */
    public static List<ProductEvent> completed(List<ProductEvent> events) {
        List<ProductEvent> history = new ArrayList<>(events.size());
        ProductEvent before = null;
        for (ProductEvent e : events) {
            if (e instanceof ProductDiscontinued d && d.unitPrice() == null && before != null) {
                e = new ProductDiscontinued(d.productId(), before.unitPrice(), d.discontinuedAt());
            }
            history.add(e);
            before = e;
        }
        return history;
    }

    private static Class<? extends ProductEvent> type(String eventType) {
        Class<? extends ProductEvent> type = TYPES.get(eventType);
        if (type == null) {
            throw new MalformedEventException("unknown product event type " + eventType, null);
        }
        return type;
    }
}
