package io.livepulse.jobs.records;

import java.util.HashMap;

/**
 * One copy of each of a few distinct strings, rooms, broadcast ids and products, for what a subtask
 * keeps to share. Every record read off the network brings copies of its own; a million viewer
 * states, or the hundreds of thousands of events and deltas that wait in a backlog, each keeping
 * theirs were objects for the collector to copy and mark (docs/benchmarks.md, changes 22, 30 and
 * 31).
 *
 * <p>Bounded: at {@code max} strings it starts afresh, mostly dropping ended broadcasts' ids; a
 * live one is kept again at its next record. What was kept before keeps its copy, which is only
 * memory. Not thread-safe: one per subtask, used from its task thread.
 */
public final class SharedStrings {
    /** The bound the job's stages use: 10,000 rooms and their broadcasts, and more. */
    private static final int ROOMS_AND_BROADCASTS = 100_000;

    private final int max;
    private final HashMap<String, String> kept = new HashMap<>();

    /** Room and broadcast ids, as the job's stages keep them. */
    public SharedStrings() {
        this(ROOMS_AND_BROADCASTS);
    }

    public SharedStrings(int max) {
        this.max = max;
    }

    /** The shared copy of {@code s}, which becomes it if there was none; null stays null. */
    public String of(String s) {
        if (s == null) {
            return null;
        }
        if (kept.size() >= max) {
            kept.clear();
        }
        String before = kept.putIfAbsent(s, s);
        return before == null ? s : before;
    }
}
