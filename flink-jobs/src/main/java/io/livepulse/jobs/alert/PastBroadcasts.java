package io.livepulse.jobs.alert;

import java.util.Arrays;

/**
 * A room's last broadcasts, minute by minute (orders and events per minute of broadcast), so that a
 * rule can ask what this room usually does at this point of a broadcast. Kept in Flink state per
 * room; only the last {@link #KEPT} broadcasts.
 */
public class PastBroadcasts {
    public static final int KEPT = 5;

    /** Oldest first; each row indexed by minute of broadcast. */
    public long[][] orders = new long[0][];

    public long[][] events = new long[0][];

    public PastBroadcasts() {}

    /** Adds a finished broadcast, forgetting the oldest beyond {@link #KEPT}. */
    public void add(long[] ordersPerMinute, long[] eventsPerMinute) {
        orders = push(orders, ordersPerMinute);
        events = push(events, eventsPerMinute);
    }

    /**
     * The median, over the past broadcasts that lasted past {@code toMinute}, of the sum of the
     * rows' minutes in [fromMinute, toMinute); {@code null} if none did.
     */
    public static Double median(long[][] rows, int fromMinute, int toMinute) {
        long[] sums = new long[rows.length];
        int n = 0;
        for (long[] row : rows) {
            if (fromMinute < 0 || row.length < toMinute) {
                continue;
            }
            long sum = 0;
            for (int m = fromMinute; m < toMinute; m++) {
                sum += row[m];
            }
            sums[n++] = sum;
        }
        if (n == 0) {
            return null;
        }
        long[] s = Arrays.copyOf(sums, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    private static long[][] push(long[][] rows, long[] row) {
        long[][] out =
                Arrays.copyOfRange(rows, Math.max(0, rows.length - KEPT + 1), rows.length + 1);
        out[out.length - 1] = row;
        return out;
    }
}
