package io.livepulse.jobs.alert;

import java.util.Arrays;

/** What {@link RoomWatch} remembers of a room's running broadcast. */
public class WatchState {
    public String live;
    public long start;
    public TickHistory history;

    /** The room's norms: moving averages of what one tick adds. */
    public double eventsPerTick;

    public double shortSessionsPerTick;
    public double refundsPerTick;
    public double ordersPerTick;

    /** Whether the averages have a first value yet. */
    public boolean normsStarted;

    /** The tick that saw the latest paid order (the start until the first one). */
    public long lastOrderAt;

    /** The order rate as it was when the latest order came: a stall does not lower it. */
    public double ordersPerTickAtLastOrder;

    /** The tick that saw the latest event. */
    public long lastEventAt;

    /** This broadcast so far, per minute of broadcast: for the room's history when it ends. */
    public long[] ordersPerMinute = new long[0];

    public long[] eventsPerMinute = new long[0];

    /** Indexed by {@link AlertKind#ordinal()}. */
    public Incident[] incidents;

    public WatchState() {}

    static WatchState begin(String live, long start, int ticksKept) {
        WatchState w = new WatchState();
        w.live = live;
        w.start = start;
        w.history = new TickHistory(ticksKept);
        w.lastOrderAt = start;
        w.lastEventAt = start;
        w.incidents = new Incident[AlertKind.values().length];
        for (int i = 0; i < w.incidents.length; i++) {
            w.incidents[i] = new Incident();
        }
        return w;
    }

    /** Adds what a tick brought to its minute of the broadcast. */
    void countMinute(long tickTs, long orders, long events) {
        int minute = (int) Math.max(0, (tickTs - 1 - start) / 60_000);
        if (minute >= ordersPerMinute.length) {
            int size = Math.max(minute + 1, ordersPerMinute.length * 2);
            ordersPerMinute = Arrays.copyOf(ordersPerMinute, size);
            eventsPerMinute = Arrays.copyOf(eventsPerMinute, size);
        }
        ordersPerMinute[minute] += orders;
        eventsPerMinute[minute] += events;
    }

    /** The minutes this broadcast has had so far (the current one included). */
    int minutes(long now) {
        return (int) ((now - 1 - start) / 60_000) + 1;
    }

    Incident incident(AlertKind kind) {
        return incidents[kind.ordinal()];
    }
}
