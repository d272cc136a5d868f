package io.livepulse.jobs.recap;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomMetrics;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.List;
import java.util.function.Function;

/**
 * The figures a recap compares with the room's earlier broadcasts, of one broadcast: what the room
 * keeps of each broadcast that ended. {@code null} where a figure is undefined.
 */
public class HeadlineFigures {
    /** A compared figure: its name in the recap and how to read it. */
    public record Figure(String name, Function<HeadlineFigures, Double> value) {}

    /** Every compared figure, in report order (docs/recap.md). */
    public static final List<Figure> FIGURES =
            List.of(
                    new Figure("gmv_cents", h -> h.gmvCents),
                    new Figure("uv", h -> h.uv),
                    new Figure("pcu", h -> h.pcu),
                    new Figure("avg_watch_ms", h -> h.avgWatchMs),
                    new Figure("orders", h -> h.orders),
                    new Figure("conversion", h -> h.conversion),
                    new Figure("fan_viewing_ratio", h -> h.fanViewingRatio));

    public String live;
    public long start;
    public Double gmvCents;
    public Double uv;
    public Double pcu;
    public Double avgWatchMs;
    public Double orders;
    public Double conversion;
    public Double fanViewingRatio;

    public HeadlineFigures() {}

    /** The headline figures of a broadcast's final snapshot. */
    public static HeadlineFigures of(RoomSnapshot last) {
        GroupFigures all = last.group(Group.ALL);
        HeadlineFigures h = new HeadlineFigures();
        h.live = last.live;
        h.start = last.start;
        h.gmvCents = (double) all.gmvCents();
        h.uv = (double) all.uv;
        h.pcu = (double) all.pcu;
        h.avgWatchMs = RoomMetrics.avgWatchMs(all, last.ts);
        h.orders = (double) all.orders;
        h.conversion = RoomMetrics.conversion(all);
        h.fanViewingRatio = RoomMetrics.fanViewingRatio(last);
        return h;
    }
}
