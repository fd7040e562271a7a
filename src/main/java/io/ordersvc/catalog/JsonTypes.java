package io.ordersvc.catalog;

import io.ordersvc.catalog.command.AddProduct;
import io.ordersvc.catalog.command.ChangeProductPrice;
import io.ordersvc.catalog.event.ProductAdded;
import io.ordersvc.catalog.event.ProductDiscontinued;
import io.ordersvc.catalog.event.ProductPriceChanged;
import io.ordersvc.catalog.projection.ProductView;
import io.ordersvc.catalog.projection.ProductViewProjection;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The catalog records Jackson reads or writes by reflection where no resource method's signature
 * names them, so that a native executable keeps their constructors and accessors: the events, the
 * change data in Redis, the commands the idempotency check hashes, and the product a read answers
 * in a {@code Response}.
 */
@RegisterForReflection(targets = {
        ProductAdded.class, ProductPriceChanged.class, ProductDiscontinued.class,
        ProductViewProjection.ProductChanged.class,
        ProductView.class,
        AddProduct.class, ChangeProductPrice.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
