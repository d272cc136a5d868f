package io.livepulse.jobs.records;

/**
 * Every figure of one room's broadcast at one event-time tick: all groups, zeros included. The tick
 * is the points' timestamp, so a replay writes the same points again.
 */
public class RoomSnapshot {
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

    /** Processing time minus the operator's watermark when the snapshot was made. */
    public long freshnessMs;

    public RoomSnapshot() {}

    public GroupFigures group(Group g) {
        return groups[g.ordinal()];
    }
}
