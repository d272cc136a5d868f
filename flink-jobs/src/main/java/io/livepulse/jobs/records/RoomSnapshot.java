package io.livepulse.jobs.records;

import java.util.List;

/**
 * Every figure of one room's broadcast at one event-time tick: all groups, zeros included. The tick
 * is the points' timestamp, so a replay writes the same points again.
 */
public class RoomSnapshot {
    /** How many best-selling products a final snapshot names. */
    public static final int TOP_PRODUCTS = 5;

    /**
     * A session its viewer closed within this long of opening it is short: bursts of them, without
     * interaction, are how bot traffic looks (docs/alerts.md).
     */
    public static final long SHORT_SESSION_MS = 10_000;

    public String room;
    public String live;

    /** The tick (or, for the final snapshot, the broadcast's end), epoch ms. */
    public long ts;

    public long start;
    public boolean isFinal;
    public Long goalGmvCents;
    public Long goalNewFans;

    /** Indexed by {@link Group#ordinal()}. */
    public GroupFigures[] groups;

    /** Final snapshot only: the best-selling products by GMV, at most {@link #TOP_PRODUCTS}. */
    public List<ProductSales> topProducts;

    /** Viewer events so far in the broadcast (idle closes excluded). */
    public long events;

    /** Sessions closed by {@code leave} within {@link #SHORT_SESSION_MS} of opening, so far. */
    public long shortSessions;

    /** Processing time minus the operator's watermark when the snapshot was made. */
    public long freshnessMs;

    public RoomSnapshot() {}

    public GroupFigures group(Group g) {
        return groups[g.ordinal()];
    }
}
