package io.livepulse.jobs.viewer;

import java.util.Arrays;

/**
 * The event ids a viewer has sent, kept as a sorted array of 64-bit hashes: stage 1's duplicate
 * check. The benchmark's profile found the ids, kept as strings in a map state for the life of the
 * viewer's state, to be most of the checkpoint and of its cost (docs/benchmarks.md); a hash is 8
 * bytes, one array per viewer is one state value, and it is written in one go.
 *
 * <p>Two different ids of one viewer with the same hash would make the second look repeated. With n
 * ids per viewer the chance is about n² / 2⁶⁵: for a viewer with 10,000 events, 3 in 10¹².
 */
final class EventIdHashes {
    private EventIdHashes() {}

    /** FNV-1a over the id's chars, then the SplitMix64 finalizer to spread the bits. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** Whether {@code h} is among {@code hashes} ({@code null}: no ids yet). */
    static boolean contains(long[] hashes, long h) {
        return hashes != null && Arrays.binarySearch(hashes, h) >= 0;
    }

    /**
     * A new array with {@code h} added in order; {@code hashes} ({@code null}: no ids yet) must not
     * hold it.
     */
    static long[] with(long[] hashes, long h) {
        if (hashes == null) {
            return new long[] {h};
        }
        int at = -Arrays.binarySearch(hashes, h) - 1;
        long[] out = new long[hashes.length + 1];
        System.arraycopy(hashes, 0, out, 0, at);
        out[at] = h;
        System.arraycopy(hashes, at, out, at + 1, hashes.length - at);
        return out;
    }
}
