package io.livepulse.jobs.enrich;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.ViewerHash;

/**
 * The enrichment's cache of viewers' tiers: a fixed number of entries in arrays of longs, in sets
 * of up to {@value #WAYS}, the least recently used entry of a set giving way to a new one.
 *
 * <p>Why not a map: every viewer event of the job looks its viewer up here, and a {@code
 * LinkedHashMap} in access order, keyed by a string made for each event, cost 6.7% of the
 * TaskManager's samples in the benchmark's drain, nearly all of it inside the map's node lookup,
 * most likely waiting on memory for its table, nodes and keys (docs/benchmarks.md, change 28). Here
 * a lookup makes no object, reads the set's keys side by side, and the cache is a handful of arrays
 * that the garbage collector neither copies entry by entry nor marks.
 *
 * <p>A viewer is known by two 64-bit hashes of the room and the user ({@link ViewerHash}), not by
 * the strings.
 *
 * <p>Safe for the task thread and the directory's threads at once: every method is synchronized.
 */
final class TierCache {
    /**
     * Entries per set. A set is full when more of its viewers are seen than it has ways, and evicts
     * one the cache as a whole had room for: replaying the benchmark drain's hot subtask (126,917
     * viewers, 1.9 M events) into 250,000 entries, sets of 8 looked up 14,796 viewers again, sets
     * of 16 looked up 1,238 (docs/benchmarks.md, change 28). A set's first hashes are two cache
     * lines.
     */
    static final int WAYS = 16;

    /** What an event takes from a profile, and when it was read. */
    record Entry(Tier tier, Long followedAt, Long lastPurchaseAt, long loadedAt) {
        /** A profile as cached; no profile is a non-fan. */
        static Entry of(FanProfile p, long loadedAt) {
            return p == null
                    ? new Entry(Tier.NON_FAN, null, null, loadedAt)
                    : new Entry(p.tier(), p.followedAt(), p.lastPurchaseAt(), loadedAt);
        }
    }

    // An entry's fields in fields[], FIELDS longs per entry, at these offsets.
    private static final int FIELDS = 4;
    private static final int SECOND_HASH = 0;
    private static final int META = 1; // loadedAt << 8 | has purchase << 5 | has follow << 4 | tier
    private static final int FOLLOWED_AT = 2;
    private static final int LAST_PURCHASE_AT = 3;
    private static final int HAS_FOLLOW = 1 << 4;
    private static final int HAS_PURCHASE = 1 << 5;
    private static final Tier[] TIERS = Tier.values();

    private final int ways;
    private final int sets;

    /** Each entry's first hash, a set's side by side. */
    private final long[] firstHashes;

    /** Everything else of each entry, {@link #FIELDS} longs each. */
    private final long[] fields;

    /** When each entry was last used by {@link #clock}; 0: the slot is empty. */
    private final long[] lastUsed;

    /** Counts lookups and stores, to order a set's entries by their last use. */
    private long clock;

    /**
     * @param entries how many viewers it holds at most (a multiple of the sets' size is held
     *     exactly; otherwise up to {@value #WAYS} less one more)
     */
    TierCache(int entries) {
        if (entries < 1 || entries > EnrichWithFanTier.MAX_CACHE_SIZE) {
            throw new IllegalArgumentException(
                    "a cache holds 1 to "
                            + EnrichWithFanTier.MAX_CACHE_SIZE
                            + " entries, got "
                            + entries);
        }
        ways = Math.min(WAYS, entries);
        sets = (entries + ways - 1) / ways;
        firstHashes = new long[sets * ways];
        fields = new long[sets * ways * FIELDS];
        lastUsed = new long[sets * ways];
    }

    /** How many entries it holds at most. */
    int capacity() {
        return sets * ways;
    }

    /** The viewer's entry, or {@code null}; found, it becomes the set's most recently used. */
    synchronized Entry get(String room, String user) {
        ViewerHash viewer = ViewerHash.of(room, user);
        long h1 = viewer.first();
        int slot = find(h1, viewer.second());
        if (slot < 0) {
            return null;
        }
        int f = slot * FIELDS;
        lastUsed[slot] = ++clock;
        long meta = fields[f + META];
        return new Entry(
                TIERS[(int) (meta & 0xF)],
                (meta & HAS_FOLLOW) != 0 ? fields[f + FOLLOWED_AT] : null,
                (meta & HAS_PURCHASE) != 0 ? fields[f + LAST_PURCHASE_AT] : null,
                meta >>> 8);
    }

    /**
     * Stores the viewer's entry in place of theirs, an empty one or the set's least recently used.
     */
    synchronized void put(String room, String user, Entry e) {
        if (e.loadedAt() < 0 || e.loadedAt() >>> 55 != 0) {
            throw new IllegalArgumentException(
                    "loadedAt must be a time in ms since the epoch, got " + e.loadedAt());
        }
        ViewerHash viewer = ViewerHash.of(room, user);
        long h1 = viewer.first();
        long h2 = viewer.second();
        int slot = find(h1, h2);
        if (slot < 0) {
            slot = leastRecentlyUsed(h1);
        }
        firstHashes[slot] = h1;
        int f = slot * FIELDS;
        fields[f + SECOND_HASH] = h2;
        fields[f + META] =
                e.loadedAt() << 8
                        | (e.lastPurchaseAt() != null ? HAS_PURCHASE : 0)
                        | (e.followedAt() != null ? HAS_FOLLOW : 0)
                        | e.tier().ordinal();
        fields[f + FOLLOWED_AT] = e.followedAt() != null ? e.followedAt() : 0;
        fields[f + LAST_PURCHASE_AT] = e.lastPurchaseAt() != null ? e.lastPurchaseAt() : 0;
        lastUsed[slot] = ++clock;
    }

    private int firstSlotOf(long h1) {
        return (int) Long.remainderUnsigned(h1, sets) * ways;
    }

    private int find(long h1, long h2) {
        int first = firstSlotOf(h1);
        for (int slot = first; slot < first + ways; slot++) {
            if (firstHashes[slot] == h1
                    && fields[slot * FIELDS + SECOND_HASH] == h2
                    && lastUsed[slot] != 0) {
                return slot;
            }
        }
        return -1;
    }

    private int leastRecentlyUsed(long h1) {
        int first = firstSlotOf(h1);
        int oldest = first;
        for (int slot = first; slot < first + ways; slot++) {
            if (lastUsed[slot] < lastUsed[oldest]) {
                oldest = slot;
            }
        }
        return oldest;
    }
}
