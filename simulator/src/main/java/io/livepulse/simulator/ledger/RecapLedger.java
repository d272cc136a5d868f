package io.livepulse.simulator.ledger;

import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.simulator.ledger.Ledger.BroadcastLedger;
import io.livepulse.simulator.ledger.Ledger.Comparison;
import io.livepulse.simulator.ledger.Ledger.Product;
import io.livepulse.simulator.ledger.Ledger.Recap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recap's own parts of the ledger: top products and the comparison with the room's earlier
 * broadcasts. Computed from the events and the broadcasts' figures, sharing nothing with the job.
 */
final class RecapLedger {
    /** The headline figures a recap compares with the room's history, in report order. */
    static final List<String> HISTORY_FIGURES =
            List.of(
                    "gmv_cents",
                    "uv",
                    "pcu",
                    "avg_watch_ms",
                    "orders",
                    "conversion",
                    "fan_viewing_ratio");

    /** The sku of a refund whose order was not paid by the same viewer in the same broadcast. */
    static final String UNKNOWN_SKU = "unknown";

    private RecapLedger() {}

    /** The room's broadcasts (any order) with their recaps; history runs in order of start. */
    static List<BroadcastLedger> withRecaps(
            List<BroadcastLedger> broadcasts, Map<String, List<LiveEvent>> eventsByLive) {
        List<BroadcastLedger> byStart = new ArrayList<>(broadcasts);
        byStart.sort(
                Comparator.comparingLong(BroadcastLedger::start)
                        .thenComparing(BroadcastLedger::live));
        Map<String, BroadcastLedger> done = new HashMap<>();
        List<Map<String, Double>> earlier = new ArrayList<>();
        for (BroadcastLedger b : byStart) {
            Map<String, Double> values = headline(b);
            Map<String, Comparison> history = new LinkedHashMap<>();
            for (String figure : HISTORY_FIGURES) {
                history.put(figure, compare(figure, values.get(figure), earlier));
            }
            earlier.add(values);
            done.put(
                    b.live(),
                    b.withRecap(new Recap(topProducts(eventsByLive.get(b.live())), history)));
        }
        return broadcasts.stream().map(b -> done.get(b.live())).toList();
    }

    private static Map<String, Double> headline(BroadcastLedger b) {
        Map<String, Double> v = new HashMap<>();
        v.put("gmv_cents", (double) b.total().gmvCents());
        v.put("uv", (double) b.total().uv());
        v.put("pcu", (double) b.pcu());
        v.put("avg_watch_ms", b.total().avgWatchMs());
        v.put("orders", (double) b.total().orders());
        v.put("conversion", b.total().conversion());
        v.put("fan_viewing_ratio", b.ratios().fanViewingRatio());
        return v;
    }

    private static Comparison compare(
            String figure, Double value, List<Map<String, Double>> earlier) {
        Double previous = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1).get(figure);
        int larger = 0;
        int withValue = 0;
        for (Map<String, Double> e : earlier) {
            Double x = e.get(figure);
            if (x != null) {
                withValue++;
                larger += value != null && x > value ? 1 : 0;
            }
        }
        if (value == null) {
            return new Comparison(null, previous, null, null, withValue);
        }
        return new Comparison(
                value,
                previous,
                previous == null ? null : value - previous,
                1 + larger,
                withValue + 1);
    }

    /** Products by GMV (paid − refunded), largest first, ties by sku; at most the top five. */
    private static List<Product> topProducts(List<LiveEvent> events) {
        Map<String, String> skuOfOrder = new HashMap<>(); // (user order) -> sku
        Map<String, long[]> bySku = new TreeMap<>(); // orders, paid, refunds, refunded
        for (LiveEvent e : events) {
            if (e instanceof OrderPaid p) {
                skuOfOrder.put(p.user() + " " + p.order(), p.sku());
                long[] s = bySku.computeIfAbsent(p.sku(), k -> new long[4]);
                s[0]++;
                s[1] += p.amountCents();
            } else if (e instanceof OrderRefunded r) {
                String sku = skuOfOrder.getOrDefault(r.user() + " " + r.order(), UNKNOWN_SKU);
                long[] s = bySku.computeIfAbsent(sku, k -> new long[4]);
                s[2]++;
                s[3] += r.amountCents();
            }
        }
        List<Product> products = new ArrayList<>();
        bySku.forEach(
                (sku, s) -> products.add(new Product(sku, s[0], s[1], s[2], s[3], s[1] - s[3])));
        products.sort(
                Comparator.comparingLong(Product::gmvCents).reversed().thenComparing(Product::sku));
        return List.copyOf(products.subList(0, Math.min(Recap.TOP_PRODUCTS, products.size())));
    }
}
