package io.livepulse.jobs.alert;

/**
 * The last ticks of a room's cumulative figures, in a ring, so that a rule can ask "how many since
 * t" or "the most since t" without keeping every event. Plain arrays: cheap to keep in Flink state.
 */
public class TickHistory {
    public static final int ONLINE = 0;
    public static final int ORDERS = 1;
    public static final int REFUNDS = 2;
    public static final int EVENTS = 3;
    public static final int SHORT_SESSIONS = 4;
    public static final int PV = 5;
    public static final int UV = 6;
    public static final int UNKNOWN_UV = 7;
    public static final int INTERACTING = 8;
    public static final int FIGURES = 9;

    public long[] ts;
    public long[] values;

    /** Index of the next slot to write. */
    public int next;

    public int size;

    public TickHistory() {}

    public TickHistory(int capacity) {
        ts = new long[capacity];
        values = new long[capacity * FIGURES];
    }

    public void add(long at, long[] figures) {
        ts[next] = at;
        System.arraycopy(figures, 0, values, next * FIGURES, FIGURES);
        next = (next + 1) % ts.length;
        size = Math.min(size + 1, ts.length);
    }

    public long latest(int figure) {
        return values[slot(0) * FIGURES + figure];
    }

    public long latestTs() {
        return ts[slot(0)];
    }

    /**
     * The figure's value at the newest tick at or before {@code at}, or {@code -1} when the history
     * does not reach back that far.
     */
    public long at(long at, int figure) {
        for (int back = 0; back < size; back++) {
            int i = slot(back);
            if (ts[i] <= at) {
                return values[i * FIGURES + figure];
            }
        }
        return -1;
    }

    /** How much the cumulative figure grew in the window ending now; -1 if not enough history. */
    public long growth(long windowMs, int figure) {
        long before = at(latestTs() - windowMs, figure);
        return before < 0 ? -1 : latest(figure) - before;
    }

    /** The largest value of the figure over the ticks of the window ending now (now included). */
    public long maxSince(long from, int figure) {
        long max = Long.MIN_VALUE;
        for (int back = 0; back < size; back++) {
            int i = slot(back);
            if (ts[i] < from) {
                break;
            }
            max = Math.max(max, values[i * FIGURES + figure]);
        }
        return max;
    }

    /** The slot {@code back} ticks before the newest. */
    private int slot(int back) {
        return Math.floorMod(next - 1 - back, ts.length);
    }
}
