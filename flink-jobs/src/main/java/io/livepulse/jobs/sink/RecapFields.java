package io.livepulse.jobs.sink;

import io.livepulse.jobs.recap.Comparison;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.ProductSales;
import io.livepulse.jobs.records.RoomMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What a recap adds to the broadcast's final figures, as named fields (docs/recap.md): the funnel
 * with each step's rate, the top products and the comparison with the room's history. The InfluxDB
 * points and the Kafka JSON are both built from these maps, so they use the same names.
 */
public final class RecapFields {
    /** A funnel step: its field name and its count in the broadcast's figures. */
    public record Step(String name, ToLongFunction<Recap> count) {}

    /** The funnel, top to bottom. */
    public static final List<Step> FUNNEL =
            List.of(
                    new Step("new_viewers", r -> r.last.group(Group.NON_FAN).uv),
                    new Step("follows", r -> all(r).follows),
                    new Step("fan_club_joins", r -> all(r).fanClubJoins),
                    new Step("interacting_viewers", r -> all(r).interactingViewers),
                    new Step("buyers", r -> all(r).buyers),
                    new Step("repeat_buyers", r -> all(r).repeatBuyers),
                    new Step("sharers", r -> all(r).sharers));

    private RecapFields() {}

    private static GroupFigures all(Recap r) {
        return r.last.group(Group.ALL);
    }

    /**
     * The recap's own fields: start, end, duration, each funnel step's count and rate (its share of
     * the broadcast's viewers, UV) and, per compared figure, previous / difference / rank / of.
     * Undefined values are absent.
     */
    public static Map<String, Object> of(Recap r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("live", r.live);
        f.put("start", r.start);
        f.put("end", r.end);
        f.put("duration_ms", r.end - r.start);
        long uv = all(r).uv;
        for (Step s : FUNNEL) {
            long count = s.count().applyAsLong(r);
            f.put(s.name(), count);
            SnapshotPoints.optional(f, s.name() + "_rate", RoomMetrics.ratio(count, uv));
        }
        for (Comparison c : r.history) {
            SnapshotPoints.optional(f, c.figure, c.value);
            SnapshotPoints.optional(f, c.figure + "_previous", c.previous);
            SnapshotPoints.optional(f, c.figure + "_difference", c.difference);
            SnapshotPoints.optional(f, c.figure + "_rank", c.rank);
            f.put(c.figure + "_of", c.of);
        }
        return f;
    }

    /** One top product's fields (its rank is a tag in InfluxDB, a field in JSON). */
    public static Map<String, Object> product(ProductSales p) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sku", p.sku);
        f.put("orders", p.orders);
        f.put("paid_cents", p.paidCents);
        f.put("refunds", p.refunds);
        f.put("refunded_cents", p.refundedCents);
        f.put("gmv_cents", p.gmvCents());
        return f;
    }
}
