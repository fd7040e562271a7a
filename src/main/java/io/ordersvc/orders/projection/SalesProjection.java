package io.ordersvc.orders.projection;

import io.ordersvc.cqrs.viewstore.Counting;
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
import java.util.UUID;

/**
 * The sales dashboard: orders and revenue per status, and per day of placing (UTC). Each event moves
 * the counters by what it carries, the order's total and the status it left, never by what another
 * view holds; each order's versions are counted once, in order. The counters are kept in
 * {@link #STRIPES} stripes, each a hash of its own hash slot, an order always in the same one (with
 * its counted version): on a Redis Cluster the counting spreads over the primaries, and a read sums
 * the stripes.
 */
public final class SalesProjection {

    /** How many stripes hold the counters: a change of it takes a rebuild, which recounts every order. */
    public static final int STRIPES = 16;
    /** The field of a stripe that counts the changes it reflects. */
    public static final String VERSION = "version";
    private static final String DAY = "day:";

    private SalesProjection() {
    }

    /**
     * One stripe of the figures: fields {@code <STATUS>.orders} and {@code <STATUS>.revenueCents},
     * {@code day:<date>.orders} and {@code day:<date>.revenueCents}, and {@link #VERSION}.
     */
    public static String stripe(int stripe) {
        return "stats:{sales:" + stripe + "}";
    }

    public static String orders(OrderStatus status) {
        return status.name() + ".orders";
    }

    public static String revenueCents(OrderStatus status) {
        return status.name() + ".revenueCents";
    }

    /** The field of a stripe that counts the orders placed on {@code day}. */
    public static String dayOrders(LocalDate day) {
        return DAY + day + ".orders";
    }

    /** The field of a stripe that sums the revenue of the orders placed on {@code day}, in cents. */
    public static String dayRevenueCents(LocalDate day) {
        return DAY + day + ".revenueCents";
    }

    /** The day a field of a stripe counts, or null for a field of the figures by status. */
    public static LocalDate dayOf(String field) {
        return field.startsWith(DAY) ? LocalDate.parse(field.substring(DAY.length(), field.indexOf('.'))) : null;
    }

    /**
     * The counter moves of the event at {@code version}. An event that leaves the figures as they
     * are moves none, but is counted all the same, so that the order's next version follows it.
     */
    public static Counting counting(OrderEvent event, long version) {
        String hash = "stats:{" + slotOf(event.orderId()) + "}";
        List<Counting.Move> moves = new ArrayList<>();
        if (event instanceof OrderPlaced placed) {
            long cents = cents(placed.total());
            LocalDate day = LocalDate.ofInstant(placed.placedAt(), ZoneOffset.UTC);
            moves.add(new Counting.Move(hash, VERSION, 1));
            moves.add(new Counting.Move(hash, orders(OrderStatus.PLACED), 1));
            moves.add(new Counting.Move(hash, revenueCents(OrderStatus.PLACED), cents));
            moves.add(new Counting.Move(hash, dayOrders(day), 1));
            moves.add(new Counting.Move(hash, dayRevenueCents(day), cents));
        } else if (event instanceof OrderStatusChanged changed) {
            long cents = cents(changed.total());
            moves.add(new Counting.Move(hash, VERSION, 1));
            moves.add(new Counting.Move(hash, orders(changed.previousStatus()), -1));
            moves.add(new Counting.Move(hash, revenueCents(changed.previousStatus()), -cents));
            moves.add(new Counting.Move(hash, orders(changed.status()), 1));
            moves.add(new Counting.Move(hash, revenueCents(changed.status()), cents));
        }
        return new Counting(slotOf(event.orderId()), OrderView.key(event.orderId()), version, List.copyOf(moves));
    }

    /** The hash tag of the stripe that counts an order: the same for all its events. */
    public static String slotOf(UUID orderId) {
        return "sales:" + Math.floorMod(orderId.hashCode(), STRIPES);
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }
}
