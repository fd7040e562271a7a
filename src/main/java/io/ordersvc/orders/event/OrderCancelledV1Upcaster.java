package io.ordersvc.orders.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersvc.cqrs.eventlog.EventUpcaster;
import jakarta.enterprise.context.ApplicationScoped;

/** OrderCancelled schema 1 carried no reason: such cancellations read as "no reason recorded". */
@ApplicationScoped
public class OrderCancelledV1Upcaster implements EventUpcaster {

    static final String NO_REASON = "no reason recorded";

    @Override
    public String eventType() {
        return OrderCancelled.TYPE;
    }

    @Override
    public int fromSchemaVersion() {
        return 1;
    }

    @Override
    public ObjectNode upcast(ObjectNode payload) {
        if (!payload.hasNonNull("reason")) {
            payload.put("reason", NO_REASON);
        }
        return payload;
    }
}
