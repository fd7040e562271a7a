package io.ordersvc.catalog.projection;

import io.ordersvc.catalog.CatalogCommands;
import io.ordersvc.catalog.ProductAdded;
import io.ordersvc.catalog.ProductDiscontinued;
import io.ordersvc.catalog.ProductPriceChanged;
import io.ordersvc.catalog.query.ProductView;
import io.ordersvc.cqrs.eventlog.EventCodec;
import io.ordersvc.cqrs.eventlog.EventEnvelope;
import io.ordersvc.cqrs.eventlog.MalformedEventException;
import io.ordersvc.cqrs.eventlog.Upcasting;
import io.ordersvc.cqrs.view.Projection;
import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.cqrs.view.ViewWrite;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Projects catalog events into product views and the catalog index, announcing each change. */
@ApplicationScoped
public class CatalogProjector implements Projection {

    private final EventCodec codec;
    private final Upcasting upcasting;
    private final ViewStore views;

    CatalogProjector(EventCodec codec, Upcasting upcasting, ViewStore views) {
        this.codec = codec;
        this.upcasting = upcasting;
        this.views = views;
    }

    @Incoming("product-events")
    public Uni<Void> project(String record) {
        EventEnvelope envelope = codec.decode(record);
        return views.write(viewWrite(envelope))
                .onFailure(ViewStore::isOutage).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(50)).atMost(3)
                .replaceWithVoid();
    }

    @Override
    public Set<String> aggregateTypes() {
        return Set.of(CatalogCommands.AGGREGATE);
    }

    @Override
    public ViewWrite viewWrite(EventEnvelope e) {
        String key = ProductView.key(e.aggregateId());
        String status = "${status}";
        String price = "${unitPrice}";
        ViewWrite write;
        switch (e.eventType()) {
            case "ProductAdded" -> {
                ProductAdded added = read(e, ProductAdded.class);
                status = ProductView.status(false);
                price = added.unitPrice().toPlainString();
                write = ViewWrite.snapshot(key, e.version(), new ProductView(added.productId(), added.sku(), added.name(),
                                added.unitPrice(), false, e.version()).toHash())
                        .indexedIn(new ViewWrite.IndexEntry(ProductView.INDEX, 0, ProductView.indexMember(added.sku(), added.productId())));
            }
            case "ProductPriceChanged" -> {
                price = read(e, ProductPriceChanged.class).newPrice().toPlainString();
                write = ViewWrite.patch(key, e.version(), Map.of("unitPrice", price));
            }
            case "ProductDiscontinued" -> {
                read(e, ProductDiscontinued.class);
                status = ProductView.status(true);
                write = ViewWrite.patch(key, e.version(), Map.of("discontinued", "true", "status", status));
            }
            default -> throw new MalformedEventException("unknown product event type " + e.eventType(), null);
        }
        return write.announced(e.eventType(), "{\"productId\":\"" + e.aggregateId() + "\",\"version\":" + e.version()
                        + ",\"status\":\"" + status + "\",\"unitPrice\":\"" + price + "\",\"type\":\"" + e.eventType() + "\"}",
                ProductView.changesStream(e.aggregateId()), ProductView.CHANGES);
    }

    private <T> T read(EventEnvelope e, Class<T> type) {
        return upcasting.read(e, type);
    }
}
