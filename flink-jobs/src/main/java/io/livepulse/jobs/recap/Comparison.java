package io.livepulse.jobs.recap;

import java.util.List;

/**
 * One headline figure of a broadcast against the room's earlier broadcasts.
 *
 * @see BroadcastRecaps#compare
 */
public class Comparison {
    public String figure;

    /** This broadcast's value, {@code null} where undefined. */
    public Double value;

    /** The room's previous broadcast's value; {@code null} for its first. */
    public Double previous;

    /** value − previous; {@code null} if either is. */
    public Double difference;

    /** 1 + how many of the room's broadcasts so far had a larger value; null with the value. */
    public Integer rank;

    /** How many of the room's broadcasts so far have a value, this one included if it has. */
    public int of;

    public Comparison() {}

    /** {@code value} against {@code earlier} (the room's earlier values, oldest first). */
    public static Comparison of(String figure, Double value, List<Double> earlier) {
        Comparison c = new Comparison();
        c.figure = figure;
        c.value = value;
        c.previous = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1);
        c.difference = value == null || c.previous == null ? null : value - c.previous;
        int larger = 0;
        for (Double x : earlier) {
            if (x != null) {
                c.of++;
                larger += value != null && x > value ? 1 : 0;
            }
        }
        if (value != null) {
            c.of++;
            c.rank = 1 + larger;
        }
        return c;
    }
}
