package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.EventRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events of a subtask of stage 1 waiting for the watermark, each with its viewer's key, kept by
 * the span of event time it falls in and handed out in (ts, id) order once the watermark passes it.
 *
 * <p>Kept by the subtask, not in the viewers' states (change 51 of docs/benchmarks.md): an event
 * put into a list its viewer's state holds is a store into an object of the old generation (any
 * viewer seen a few seconds before), which dirties a card there, and a million states lie all over
 * the old generation, one card each; every young collection scanned each dirtied card. Here an
 * event is a slot at the end of its span's two arrays, which fill one card after another.
 *
 * <p>Checkpointed by {@link ViewerSessions} as raw keyed state, each event with its key; a viewer's
 * state holds the ids of their waiting events, so a repeat is still a duplicate.
 */
final class WaitingEvents {
    /**
     * The span events are kept in: they lie a few seconds ahead (the watermark's delay and the
     * sources' drift), many per millisecond in a backlog, and the watermark moves every 50 ms by
     * default ({@code watermark.interval}); a span not over when a watermark comes is read again at
     * the next.
     */
    static final long SPAN_MS = 50;

    /** The order a viewer's events are applied in. */
    static final Comparator<EventRecord> BY_TS_ID =
            Comparator.<EventRecord>comparingLong(e -> e.ts).thenComparing(e -> e.id);

    /** The events of each span, by the span's start. */
    private final TreeMap<Long, Span> bySpan = new TreeMap<>();

    private int size;

    /** Notes that the event waits, {@code key} its viewer's (the state table's own string). */
    void add(String key, EventRecord e) {
        long start = Math.floorDiv(e.ts, SPAN_MS) * SPAN_MS;
        Span span = bySpan.get(start);
        if (span == null) {
            span = new Span();
            bySpan.put(start, span);
        }
        span.add(key, e);
        size++;
    }

    /**
     * Hands every event at or before the watermark to {@code due}, in (ts, id) order, and forgets
     * it; so each viewer's events come in the order they are applied in. {@code due} must not add
     * events.
     */
    void takeDue(long watermark, Due due) throws Exception {
        while (!bySpan.isEmpty() && bySpan.firstKey() <= watermark) {
            Span span = bySpan.firstEntry().getValue();
            int taken = span.takeDue(watermark, due);
            size -= taken;
            if (span.count == 0) {
                bySpan.pollFirstEntry();
            } else {
                // the watermark falls inside this span: every later span is after it
                return;
            }
        }
    }

    /** How many events wait. */
    int size() {
        return size;
    }

    /** Hands every waiting event to {@code each}, in no order; forgets none (for a checkpoint). */
    void forEach(Due each) throws Exception {
        for (Span span : bySpan.values()) {
            for (int i = 0; i < span.count; i++) {
                each.take(span.keys[i], span.events[i]);
            }
        }
    }

    /**
     * The waiting events of each viewer with any, by key: a pass over them all, for what is rare (a
     * viewer's retention over while events of theirs wait) and for tests.
     */
    Map<String, List<EventRecord>> byViewer() throws Exception {
        Map<String, List<EventRecord>> byViewer = new HashMap<>();
        forEach((key, e) -> byViewer.computeIfAbsent(key, k -> new ArrayList<>()).add(e));
        return byViewer;
    }

    /** What is done with a waiting event and its viewer's key. */
    interface Due {
        void take(String key, EventRecord e) throws Exception;
    }

    /** The events of one span in the order they came: keys and events side by side. */
    private static final class Span {
        String[] keys = new String[16];
        EventRecord[] events = new EventRecord[16];
        int count;

        void add(String key, EventRecord e) {
            if (count == events.length) {
                keys = Arrays.copyOf(keys, count * 2);
                events = Arrays.copyOf(events, count * 2);
            }
            keys[count] = key;
            events[count] = e;
            count++;
        }

        /** Hands out the events at or before the watermark in (ts, id) order; how many went. */
        int takeDue(long watermark, Due due) throws Exception {
            Integer[] dueAt = new Integer[count];
            int dueCount = 0;
            for (int i = 0; i < count; i++) {
                if (events[i].ts <= watermark) {
                    dueAt[dueCount++] = i;
                }
            }
            Arrays.sort(dueAt, 0, dueCount, (a, b) -> BY_TS_ID.compare(events[a], events[b]));
            for (int j = 0; j < dueCount; j++) {
                due.take(keys[dueAt[j]], events[dueAt[j]]);
            }
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (events[i].ts > watermark) {
                    keys[kept] = keys[i];
                    events[kept] = events[i];
                    kept++;
                }
            }
            Arrays.fill(keys, kept, count, null);
            Arrays.fill(events, kept, count, null);
            count = kept;
            return dueCount;
        }
    }
}
