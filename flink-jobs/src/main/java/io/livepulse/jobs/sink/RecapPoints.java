package io.livepulse.jobs.sink;

import io.livepulse.jobs.recap.Recap;
import java.util.ArrayList;
import java.util.List;
import org.influxdb.dto.Point;

/**
 * A recap in InfluxDB: measurement {@code live_recap} (tags room, live) with the recap's own
 * fields, and {@code live_recap_product} (tags room, live, rank) for each top product, all at the
 * broadcast's end. The final {@code live_room} and {@code live_tier} points at the same instant
 * hold the broadcast's figures; a replay writes the same points again.
 */
public final class RecapPoints {
    public static final String RECAP_MEASUREMENT = "live_recap";
    public static final String PRODUCT_MEASUREMENT = "live_recap_product";

    private RecapPoints() {}

    public static List<Point> of(Recap r) {
        List<Point> points = new ArrayList<>(1 + r.last.topProducts.size());
        points.add(
                SnapshotPoints.point(RECAP_MEASUREMENT, r.end, r.room)
                        .tag("live", r.live)
                        .fields(RecapFields.of(r))
                        .build());
        for (int i = 0; i < r.last.topProducts.size(); i++) {
            points.add(
                    SnapshotPoints.point(PRODUCT_MEASUREMENT, r.end, r.room)
                            .tag("live", r.live)
                            .tag("rank", Integer.toString(i + 1))
                            .fields(RecapFields.product(r.last.topProducts.get(i)))
                            .build());
        }
        return points;
    }
}
