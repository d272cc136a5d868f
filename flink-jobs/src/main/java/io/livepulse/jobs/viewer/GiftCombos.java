package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.Hash64;
import java.util.Arrays;

/**
 * A viewer's gift combos in the current broadcast ({@link ViewerState#combos}), as pairs of longs
 * in one array: the hash of the combo's id ({@link Hash64#of}) and the highest running value seen
 * for it, in the order the combos came. Until change 58 (docs/benchmarks.md) they were a small map
 * of the id strings to boxed values: per combo a string, its bytes and a {@code Long}, besides the
 * map and its two arrays, and the checkpoint's thread spent a fifth of its time waiting for the
 * first read of those objects (run L58's profile). This is one array of primitives per viewer who
 * sent a combo.
 *
 * <p>Two combos of one viewer with the same hash would count as one: with n combos per viewer the
 * chance is about n² / 2⁶⁵, as for the event ids ({@link EventIdHashes}).
 */
public final class GiftCombos {
    private GiftCombos() {}

    /**
     * Where the highest value of the combo with this hash is in {@code combos} ({@code null}:
     * none), or -1 if the combo is not there. A scan: a viewer sends a few combos a broadcast.
     */
    public static int valueIndex(long[] combos, long hash) {
        if (combos != null) {
            for (int i = 0; i < combos.length; i += 2) {
                if (combos[i] == hash) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /**
     * The combos ({@code null}: none) with one more that was not there: a new array one pair
     * longer, with no room to spare, since a viewer sends a few combos a broadcast.
     */
    public static long[] add(long[] combos, long hash, long value) {
        int n = combos == null ? 0 : combos.length;
        long[] out = n == 0 ? new long[2] : Arrays.copyOf(combos, n + 2);
        out[n] = hash;
        out[n + 1] = value;
        return out;
    }
}
