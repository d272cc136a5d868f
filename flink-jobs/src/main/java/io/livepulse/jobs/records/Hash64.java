package io.livepulse.jobs.records;

/**
 * The 64-bit hash of what state keeps as a hash instead of a string (a viewer's event ids, the
 * shared-device rule's pairs, the gift combos): FNV-1a over the units, then the SplitMix64
 * finalizer to spread the bits. The event ids' and the combos' hashes are in checkpoints: the
 * arithmetic must not change.
 */
public final class Hash64 {
    /** FNV-1a's offset basis: the hash of nothing, before {@link #finish}. */
    public static final long START = 0xcbf29ce484222325L;

    private Hash64() {}

    /** The hash so far with one more unit (a char, or a byte as 0 to 255). */
    public static long add(long h, int unit) {
        return (h ^ unit) * 0x100000001b3L;
    }

    /** The hash of a string's chars: a viewer's event ids and gift combos. */
    public static long of(String s) {
        long h = START;
        for (int i = 0; i < s.length(); i++) {
            h = add(h, s.charAt(i));
        }
        return finish(h);
    }

    /** The finished hash. */
    public static long finish(long h) {
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
