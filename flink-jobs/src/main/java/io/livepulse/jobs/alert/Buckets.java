package io.livepulse.jobs.alert;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * 10 s buckets of event time in keyed map state, for the rules that count single records: a record
 * adds to its bucket, and each bucket is judged when the watermark passes its end, so the order
 * records arrive in (partitions are read at different paces) does not matter.
 */
final class Buckets {
    static final long SIZE_MS = 10_000;

    private Buckets() {}

    /** The start of the bucket holding {@code ts}. */
    static long of(long ts) {
        return Math.floorDiv(ts, SIZE_MS) * SIZE_MS;
    }

    /** Forgets the buckets before {@code from}: no window reaches them any more. */
    static void dropBefore(MapState<Long, ?> buckets, long from) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long b : buckets.keys()) {
            if (b < from) {
                old.add(b);
            }
        }
        for (Long b : old) {
            buckets.remove(b);
        }
    }
}
