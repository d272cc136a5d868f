package io.livepulse.jobs.viewer;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Each viewer's deadline (idle timeout, then retention) in a subtask of stage 1, by the second it
 * falls in: what stage 1 used one Flink event-time timer per viewer for.
 *
 * <p>A Flink timer is two objects of its own per viewer (the timer and its entry in the map that
 * keeps timers unique) in a heap shared by every viewer of the subtask, and it is written with the
 * viewer's key into every checkpoint. With a million viewers in state the young collections copied
 * them, and the checkpoints wrote them, for every viewer (docs/benchmarks.md, change 32). Here a
 * deadline is a slot in two arrays: its instant and the viewer's key, the same key object the state
 * table holds.
 *
 * <p>Not checkpointed: each viewer's state holds its deadline ({@link ViewerState#deadlineTimer}),
 * and {@link ViewerSessions} notes them all again when it opens. A viewer may be here more than
 * once (the deadline was moved earlier); a note whose deadline has moved finds nothing to do when
 * it comes out, as a Flink timer left behind did.
 */
final class ViewerDeadlines {
    /** The width of the spans deadlines are kept in. */
    static final long SPAN_MS = 1_000;

    /** The deadlines of each span, by the span's start. */
    private final TreeMap<Long, Span> bySpan = new TreeMap<>();

    /** Notes that the viewer {@code key} has a deadline at {@code due}. */
    void add(long due, String key) {
        long start = Math.floorDiv(due, SPAN_MS) * SPAN_MS;
        Span span = bySpan.get(start);
        if (span == null) {
            span = new Span();
            bySpan.put(start, span);
        }
        span.add(due, key);
    }

    /**
     * Hands every deadline at or before the watermark to {@code due} and forgets it; {@code due}
     * may note a viewer again, and a deadline it notes at or before the watermark comes out in the
     * same call, as a Flink timer set while timers fire does. Within a span, deadlines come out in
     * the order they were noted, not by instant (stage 2 sorts what it receives by instant).
     */
    void takeDue(long watermark, Due due) throws Exception {
        while (!bySpan.isEmpty() && bySpan.firstKey() <= watermark) {
            long start = bySpan.firstKey();
            // Taken out of the map while it is handed out: a viewer noted again meanwhile goes
            // into a span of its own, and the two are put together afterwards.
            Span span = bySpan.remove(start);
            int taken = span.takeDue(watermark, due);
            if (span.count > 0) {
                Span notedMeanwhile = bySpan.put(start, span);
                if (notedMeanwhile != null) {
                    span.addAll(notedMeanwhile);
                }
            }
            if (taken == 0) {
                // every deadline of the earliest span is after the watermark (it falls inside
                // this span), and so is every later span
                return;
            }
        }
    }

    /** How many deadlines are noted, those left behind by a deadline moved earlier included. */
    int size() {
        return bySpan.values().stream().mapToInt(span -> span.count).sum();
    }

    /** What is done with a viewer whose deadline has come. */
    interface Due {
        void take(String key, long deadline) throws Exception;
    }

    /** The deadlines of one span in the order they were noted: instants and keys side by side. */
    private static final class Span {
        long[] dues = new long[4];
        String[] keys = new String[4];
        int count;

        void add(long due, String key) {
            if (count == dues.length) {
                dues = Arrays.copyOf(dues, count * 2);
                keys = Arrays.copyOf(keys, count * 2);
            }
            dues[count] = due;
            keys[count] = key;
            count++;
        }

        void addAll(Span other) {
            for (int i = 0; i < other.count; i++) {
                add(other.dues[i], other.keys[i]);
            }
        }

        /** Hands out the deadlines at or before the watermark, keeps the rest; how many went. */
        int takeDue(long watermark, Due due) throws Exception {
            int kept = 0;
            int n = count;
            for (int i = 0; i < n; i++) {
                if (dues[i] <= watermark) {
                    due.take(keys[i], dues[i]);
                } else {
                    dues[kept] = dues[i];
                    keys[kept] = keys[i];
                    kept++;
                }
            }
            Arrays.fill(keys, kept, n, null);
            count = kept;
            return n - kept;
        }
    }
}
