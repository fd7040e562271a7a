package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.view.Counting;
import io.ordersvc.cqrs.view.IndexEntry;
import io.ordersvc.orders.event.OrderEvent;
import io.ordersvc.orders.event.OrderPlaced;
import io.ordersvc.orders.event.OrderStatus;
import io.ordersvc.orders.event.OrderStatusChanged;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The sales dashboard: orders and revenue per status, and per day of placing (UTC). Each event moves
 * the counters by what it carries, the order's total and the status it left, never by what another
 * view holds; each order's versions are counted once, in order.
 */
public final class SalesProjection {

    /** Sales by status: fields {@code <STATUS>.orders} and {@code <STATUS>.revenueCents}, and {@code version}. */
    public static final String BY_STATUS = "stats:status";
    /** The days that have sales, scored by epoch day. */
    public static final String DAYS = "stats:days";
    /** The field of {@link #BY_STATUS} that counts the changes the dashboard reflects. */
    public static final String VERSION = "version";

    private SalesProjection() {
    }

    /** Sales placed on one day: fields {@code orders} and {@code revenueCents}. */
    public static String dayKey(String day) {
        return "stats:day:" + day;
    }

    public static String orders(OrderStatus status) {
        return status.name() + ".orders";
    }

    public static String revenueCents(OrderStatus status) {
        return status.name() + ".revenueCents";
    }

    /**
     * The counter moves of the event at {@code version}. An event that leaves the figures as they
     * are moves none, but is counted all the same, so that the order's next version follows it.
     */
    public static Counting counting(OrderEvent event, long version) {
        List<Counting.Move> moves = new ArrayList<>();
        if (event instanceof OrderPlaced placed) {
            long cents = cents(placed.total());
            String day = dayKey(day(placed).toString());
            moves.add(new Counting.Move(BY_STATUS, VERSION, 1));
            moves.add(new Counting.Move(BY_STATUS, orders(OrderStatus.PLACED), 1));
            moves.add(new Counting.Move(BY_STATUS, revenueCents(OrderStatus.PLACED), cents));
            moves.add(new Counting.Move(day, "orders", 1));
            moves.add(new Counting.Move(day, "revenueCents", cents));
        } else if (event instanceof OrderStatusChanged changed) {
            long cents = cents(changed.total());
            moves.add(new Counting.Move(BY_STATUS, VERSION, 1));
            moves.add(new Counting.Move(BY_STATUS, orders(changed.previousStatus()), -1));
            moves.add(new Counting.Move(BY_STATUS, revenueCents(changed.previousStatus()), -cents));
            moves.add(new Counting.Move(BY_STATUS, orders(changed.status()), 1));
            moves.add(new Counting.Move(BY_STATUS, revenueCents(changed.status()), cents));
        }
        return new Counting(OrderView.key(event.orderId()), version, List.copyOf(moves));
    }

    /** The day an order placed enters the list of days that have sales. */
    public static List<IndexEntry> entries(OrderEvent event) {
        if (event instanceof OrderPlaced placed) {
            LocalDate day = day(placed);
            return List.of(new IndexEntry(DAYS, day.toEpochDay(), day.toString()));
        }
        return List.of();
    }

    private static LocalDate day(OrderPlaced placed) {
        return LocalDate.ofInstant(placed.placedAt(), ZoneOffset.UTC);
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }
}
