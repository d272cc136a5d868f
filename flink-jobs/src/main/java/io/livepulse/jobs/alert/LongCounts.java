package io.livepulse.jobs.alert;

/**
 * Counts by 64-bit hash, in two arrays (open addressing, linear probing): the shared-device rule's
 * window keeps one count per pair and one per device ({@link DeviceWindow}). A {@code HashMap<Long,
 * Integer>} would be three objects an entry for the young collections to copy, with a window of a
 * hot room holding hundreds of thousands of pairs.
 *
 * <p>A key whose count falls to zero is gone: a count of zero marks an empty slot, so any long,
 * zero included, is a key. The keys are hashes already spread by {@code Hash64.finish}, so a slot
 * is their low bits.
 *
 * <p>The arrays double when they would be more than three quarters full. At half full, as first
 * written, the tables of 10,000 rooms and 1,000,000 viewers were a third full on average: 69 MiB of
 * the scale benchmark's live heap, whose young collections copy it while the window fills. What
 * that costs a miss is linear probing's expected cost, not measured here: about 2.5 slots at half
 * full and 8.5 at three quarters, a few cache lines of each array (docs/benchmarks.md, change 42).
 */
final class LongCounts {
    private static final int FIRST_CAPACITY = 16;

    private long[] keys = new long[FIRST_CAPACITY];
    private int[] counts = new int[FIRST_CAPACITY];
    private int size;

    /** The count of {@code key}, 0 if it has none. */
    int get(long key) {
        int mask = keys.length - 1;
        for (int at = slot(key, mask); counts[at] != 0; at = (at + 1) & mask) {
            if (keys[at] == key) {
                return counts[at];
            }
        }
        return 0;
    }

    /**
     * Adds {@code delta} (which may be negative) to the count of {@code key} and returns the new
     * count; a key whose count becomes 0 is removed. A count may not fall below 0.
     */
    int add(long key, int delta) {
        int mask = keys.length - 1;
        int at = slot(key, mask);
        while (counts[at] != 0 && keys[at] != key) {
            at = (at + 1) & mask;
        }
        int count = counts[at] + delta;
        if (count < 0) {
            throw new IllegalStateException(
                    "count of " + key + " would fall to " + count + ": taken away more than added");
        }
        if (counts[at] == 0) {
            if (count == 0) {
                return 0;
            }
            keys[at] = key;
            counts[at] = count;
            if (++size * 4 > keys.length * 3) {
                grow();
            }
        } else if (count == 0) {
            remove(at, mask);
        } else {
            counts[at] = count;
        }
        return count;
    }

    /** How many keys have a count. */
    int size() {
        return size;
    }

    /** What is handed each key and its count. */
    interface Entry {
        void accept(long key, int count);
    }

    /** Hands {@code to} every key with its count, in no particular order. */
    void forEach(Entry to) {
        for (int at = 0; at < keys.length; at++) {
            if (counts[at] != 0) {
                to.accept(keys[at], counts[at]);
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    /**
     * Empties slot {@code at} and moves back the keys after it that probed past it, so that every
     * key stays reachable from its own slot without a tombstone.
     */
    private void remove(int at, int mask) {
        size--;
        int hole = at;
        for (int next = (hole + 1) & mask; counts[next] != 0; next = (next + 1) & mask) {
            int home = slot(keys[next], mask);
            // the key at next may fill the hole if its home is not within (hole, next]
            boolean homeAfterHole =
                    hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!homeAfterHole) {
                keys[hole] = keys[next];
                counts[hole] = counts[next];
                hole = next;
            }
        }
        counts[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldCounts[i] != 0) {
                int at = slot(oldKeys[i], mask);
                while (counts[at] != 0) {
                    at = (at + 1) & mask;
                }
                keys[at] = oldKeys[i];
                counts[at] = oldCounts[i];
            }
        }
    }
}
