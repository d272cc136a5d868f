package io.livepulse.jobs.room;

import io.livepulse.jobs.records.GroupFigures;

/** A room's running broadcast (stage 2). */
public class RoomState {
    /** The broadcast being aggregated, or {@code null} between broadcasts. */
    public String live;

    public long start;
    public Long goalGmvCents;
    public Long goalNewFans;

    /** Indexed by {@code Group.ordinal()}. */
    public GroupFigures[] groups;

    /** The latest event of the broadcast (room events and viewer events, not idle closes). */
    public long lastEventAt;

    /** Viewer events of the broadcast so far (idle closes are not events): for the alert rules. */
    public long events;

    /** Sessions the viewer closed ({@code leave}) within {@code SHORT_SESSION_MS} of opening. */
    public long shortSessions;

    /** When the pending check for a broadcast gone silent fires. */
    public long idleCheckAt;

    /** The last broadcast that ended here: late closes for it are ignored. */
    public String endedLive;

    /** When {@link #endedLive} ended. */
    public long endedAt;

    public RoomState() {}
}
