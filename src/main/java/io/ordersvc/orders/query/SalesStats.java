package io.ordersvc.orders.query;

import io.ordersvc.cqrs.viewstore.ReadModelRedis;
import io.ordersvc.cqrs.viewstore.ViewStore;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.projection.SalesProjection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The sales dashboard: orders and revenue per status and per day of placing, kept by the projector
 * (see {@link SalesProjection}). Its version counts the changes it reflects.
 */
@ApplicationScoped
class SalesStats {

    public record Figure(String key, long orders, BigDecimal revenue) {
    }

    public record Dashboard(long version, List<Figure> byStatus, List<Figure> byDay) {
    }

    private final ReadModelRedis redis;
    private final ViewStore views;

    SalesStats(ReadModelRedis redis, ViewStore views) {
        this.redis = redis;
        this.views = views;
    }

    /** The figures by status, and those of the last {@code days} days that have sales: every stripe, summed. */
    public Uni<Dashboard> dashboard(int days) {
        return views.bounded(Multi.createFrom().range(0, SalesProjection.STRIPES)
                        .onItem().transformToUniAndMerge(stripe -> redis.get().hash(String.class).hgetall(views.key(SalesProjection.stripe(stripe))))
                        .collect().in(HashMap<String, Long>::new, (sum, stripe) -> stripe.forEach((field, value) ->
                                sum.merge(field, Long.parseLong(value), Long::sum))))
                .map(sum -> new Dashboard(sum.getOrDefault(SalesProjection.VERSION, 0L), byStatus(sum), byDay(sum, days)));
    }

    private static List<Figure> byStatus(Map<String, Long> sum) {
        List<Figure> figures = new ArrayList<>();
        for (OrderStatus status : OrderStatus.values()) {
            figures.add(new Figure(status.name(), sum.getOrDefault(SalesProjection.orders(status), 0L),
                    cents(sum.getOrDefault(SalesProjection.revenueCents(status), 0L))));
        }
        return figures;
    }

    /** The last {@code days} days that have sales, oldest first. */
    private static List<Figure> byDay(Map<String, Long> sum, int days) {
        TreeSet<LocalDate> withSales = new TreeSet<>();
        sum.keySet().forEach(field -> {
            LocalDate day = SalesProjection.dayOf(field);
            if (day != null) {
                withSales.add(day);
            }
        });
        List<Figure> figures = new ArrayList<>();
        for (LocalDate day : withSales.descendingSet()) {
            if (figures.size() == days) {
                break;
            }
            figures.add(0, new Figure(day.toString(), sum.getOrDefault(SalesProjection.dayOrders(day), 0L),
                    cents(sum.getOrDefault(SalesProjection.dayRevenueCents(day), 0L))));
        }
        return figures;
    }

    private static BigDecimal cents(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
