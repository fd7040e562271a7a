package io.ordersvc.catalog.event;

import io.ordersvc.cqrs.eventlog.EventFamilyReader;
import io.ordersvc.cqrs.eventlog.Upcasting;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads stored or received catalog events into their current records; a discontinuation stored
 * before it carried the product's price is completed from the product's earlier events.
 */
@Singleton
public class ProductEventReader extends EventFamilyReader<ProductEvent> {

    ProductEventReader(Upcasting upcasting) {
        super(upcasting, Map.of(
                ProductAdded.TYPE, ProductAdded.class,
                ProductPriceChanged.TYPE, ProductPriceChanged.class,
                ProductDiscontinued.TYPE, ProductDiscontinued.class),
                ProductEventReader::completed);
    }

    @Override
    public boolean complete(ProductEvent event) {
        return event.unitPrice() != null;
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
}
