package io.livepulse.jobs.viewer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Viewers of a subtask of stage 1 noted at instants, kept by the span of event time each falls in
 * and handed out once the watermark passes them. Stage 1 keeps two: the viewers with events waiting
 * for the watermark, at the time of their earliest waiting event, and each viewer's deadline (idle
 * timeout, then retention). Both were Flink event-time timers once.
 *
 * <p>A Flink timer is two objects of its own per viewer (the timer and its entry in the map that
 * keeps timers unique) in a binary heap shared by every viewer of the subtask, sifted through at
 * each set and each firing, and written with the viewer's key into every checkpoint: a third of
 * stage 1's time for the waiting events (docs/benchmarks.md, change 24) and, with a million viewers
 * in state, objects for every young collection to copy for the deadlines (change 32). Then the
 * waiting viewers were kept in a sorted map by instant, a tree node per distinct millisecond, whose
 * inserts were 8% of stage 1's samples in a drain (change 44). Here a note is a slot in two arrays
 * of its span: the instant and the viewer's key, the state table's own key object ({@link
 * ViewerState#key}); the sorted map holds a few spans per second.
 *
 * <p>Not checkpointed: each viewer's state holds its waiting events and its deadline ({@link
 * ViewerState#deadlineTimer}), and {@link ViewerSessions} notes them all again when it opens. A
 * viewer may be here more than once (an earlier event came after a later one was noted, a deadline
 * was moved earlier); a note that finds nothing to do when it comes out is dropped, as a Flink
 * timer left behind was.
 */
final class ViewersByInstant {
    /**
     * The span the deadlines are kept in: an idle timeout to a retention ahead (by default 10 min,
     * 12 h).
     */
    static final long DEADLINE_SPAN_MS = 1_000;

    /**
     * The span the waiting viewers are kept in: they lie a few seconds ahead (the watermark's delay
     * and the sources' drift), many per millisecond in a backlog, and the watermark moves every 50
     * ms by default ({@code watermark.interval}); a span not over when a watermark comes is read
     * again at the next.
     */
    static final long WAITING_SPAN_MS = 50;

    private final long spanMs;

    /** The notes of each span, by the span's start. */
    private final TreeMap<Long, Span> bySpan = new TreeMap<>();

    /**
     * @param spanMs the width of the spans notes are kept in
     */
    ViewersByInstant(long spanMs) {
        this.spanMs = spanMs;
    }

    /** Notes the viewer {@code key} at {@code instant}. */
    void add(long instant, ViewerKey key) {
        long start = Math.floorDiv(instant, spanMs) * spanMs;
        Span span = bySpan.get(start);
        if (span == null) {
            span = new Span();
            bySpan.put(start, span);
        }
        span.add(instant, key);
    }

    /**
     * Hands every note at or before the watermark to {@code due}, span by span, and forgets it;
     * {@code due} may note a viewer again, and a note it makes at or before the watermark comes out
     * in the same call, as a Flink timer set while timers fire does. Within a span, notes come out
     * in the order they were made, not by instant (stage 2 sorts what it receives by instant).
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
                // every note of the earliest span is after the watermark (it falls inside this
                // span), and so is every later span
                return;
            }
        }
    }

    /** How many notes there are, those that will find nothing to do included. */
    int size() {
        return bySpan.values().stream().mapToInt(span -> span.count).sum();
    }

    /** Every note's key, in no order (for tests). */
    List<ViewerKey> keys() {
        List<ViewerKey> keys = new ArrayList<>();
        for (Span span : bySpan.values()) {
            keys.addAll(Arrays.asList(span.keys).subList(0, span.count));
        }
        return keys;
    }

    /** What is done with a viewer whose instant has come. */
    interface Due {
        void take(ViewerKey key, long instant) throws Exception;
    }

    /** The notes of one span in the order they were made: instants and keys side by side. */
    private static final class Span {
        long[] instants = new long[4];
        ViewerKey[] keys = new ViewerKey[4];
        int count;

        void add(long instant, ViewerKey key) {
            if (count == instants.length) {
                instants = Arrays.copyOf(instants, count * 2);
                keys = Arrays.copyOf(keys, count * 2);
            }
            instants[count] = instant;
            keys[count] = key;
            count++;
        }

        void addAll(Span other) {
            for (int i = 0; i < other.count; i++) {
                add(other.instants[i], other.keys[i]);
            }
        }

        /** Hands out the notes at or before the watermark, keeps the rest; how many went. */
        int takeDue(long watermark, Due due) throws Exception {
            int kept = 0;
            int n = count;
            for (int i = 0; i < n; i++) {
                if (instants[i] <= watermark) {
                    due.take(keys[i], instants[i]);
                } else {
                    instants[kept] = instants[i];
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
