package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.Hash64;
import java.util.Arrays;

/**
 * The event ids a viewer has sent, kept as sorted runs of their 64-bit hashes ({@link Hash64#of})
 * in one array: stage 1's duplicate check ({@link ViewerState#seenIds}). The benchmark's profile
 * found the ids, kept as strings in a map state for the life of the viewer's state, to be most of
 * the checkpoint and of its cost (docs/benchmarks.md); a hash is 8 bytes, one array per viewer is
 * one state value, and it is written in one go.
 *
 * <p>Two different ids of one viewer with the same hash would make the second look repeated. With n
 * ids per viewer the chance is about n² / 2⁶⁵: for a viewer with 10,000 events, 3 in 10¹².
 */
final class EventIdHashes {
    private EventIdHashes() {}

    /**
     * Whether {@code h} is in the sorted run {@code [from, to)} of {@code hashes} ({@code null}:
     * none).
     */
    static boolean contains(long[] hashes, int from, int to, long h) {
        return hashes != null && from < to && Arrays.binarySearch(hashes, from, to, h) >= 0;
    }

    /**
     * Adds {@code h} in order to the sorted run {@code [from, to)} of {@code hashes} ({@code null}:
     * none), which must not hold it and must end the array's used part: in place while the array
     * has room, else into a new one of twice the length. Returns the array that now holds them. A
     * new array per id was garbage that lived until the viewer's next event, and the young
     * collections copied it (docs/benchmarks.md, change 30).
     */
    static long[] add(long[] hashes, int from, int to, long h) {
        if (hashes == null) {
            return new long[] {h};
        }
        int at = -Arrays.binarySearch(hashes, from, to, h) - 1;
        long[] out = to < hashes.length ? hashes : Arrays.copyOf(hashes, Math.max(2, to * 2));
        System.arraycopy(out, at, out, at + 1, to - at);
        out[at] = h;
        return out;
    }
}
