package io.livepulse.jobs.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The viewers of a subtask that have events waiting for the watermark, by the time of their
 * earliest waiting event: what stage 1 used one Flink event-time timer per waiting event for.
 *
 * <p>Flink's timers live in one binary heap per subtask, then shared with every viewer's deadline
 * timer (about one per viewer in state; {@link ViewerDeadlines} since): setting and firing a timer
 * sifts through twenty levels of it for a million viewers, and was a third of stage 1's time
 * (docs/benchmarks.md, change 24). The times waited for here are a few seconds' worth (the
 * watermark's delay and the sources' drift), so a sorted map of a few thousand instants does the
 * same work.
 *
 * <p>Not checkpointed: the waiting events are in each viewer's state, and {@link ViewerSessions}
 * builds this again from that state when it opens. A viewer may be here more than once (an earlier
 * event came after a later one was indexed); the extra entry finds nothing due and is dropped.
 */
final class WaitingViewers {
    private final TreeMap<Long, List<String>> byTime = new TreeMap<>();

    /** Notes that the viewer {@code key} has an event waiting at {@code ts}. */
    void add(long ts, String key) {
        byTime.computeIfAbsent(ts, t -> new ArrayList<>(4)).add(key);
    }

    /**
     * Hands every viewer noted at or before the watermark to {@code due}, earliest first, and
     * forgets them; {@code due} may note a viewer again at a later time.
     */
    void takeDue(long watermark, Due due) throws Exception {
        while (!byTime.isEmpty() && byTime.firstKey() <= watermark) {
            Map.Entry<Long, List<String>> first = byTime.pollFirstEntry();
            for (String key : first.getValue()) {
                due.take(key);
            }
        }
    }

    /** What is done with a viewer whose time has come. */
    interface Due {
        void take(String key) throws Exception;
    }
}
