package io.ordersvc.orders.query;

import io.ordersvc.cqrs.view.ViewStore;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.projection.SalesProjection;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private final ReactiveRedisDataSource redis;
    private final ViewStore views;

    SalesStats(ReactiveRedisDataSource redis, ViewStore views) {
        this.redis = redis;
        this.views = views;
    }

    public Uni<Dashboard> dashboard(int days) {
        return views.bounded(Uni.combine().all().unis(
                        redis.hash(String.class).hgetall(views.key(SalesProjection.BY_STATUS)),
                        recentDays(days).flatMap(this::perDay))
                .asTuple())
                .map(t -> new Dashboard(number(t.getItem1().get(SalesProjection.VERSION)), byStatus(t.getItem1()), t.getItem2()));
    }

    private Uni<List<String>> recentDays(int days) {
        return redis.sortedSet(String.class).zrange(views.key(SalesProjection.DAYS), -days, -1);
    }

    private Uni<List<Figure>> perDay(List<String> days) {
        return Multi.createFrom().iterable(days)
                .onItem().transformToUniAndConcatenate(day -> redis.hash(String.class)
                        .hgetall(views.key(SalesProjection.dayKey(day)))
                        .map(h -> new Figure(day, number(h.get("orders")), cents(h.get("revenueCents")))))
                .collect().asList();
    }

    private static List<Figure> byStatus(Map<String, String> h) {
        List<Figure> figures = new ArrayList<>();
        for (OrderStatus status : OrderStatus.values()) {
            figures.add(new Figure(status.name(), number(h.get(SalesProjection.orders(status))),
                    cents(h.get(SalesProjection.revenueCents(status)))));
        }
        return figures;
    }

    private static long number(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }

    private static BigDecimal cents(String s) {
        return BigDecimal.valueOf(number(s), 2);
    }
}
