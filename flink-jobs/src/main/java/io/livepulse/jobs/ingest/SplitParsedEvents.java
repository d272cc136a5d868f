package io.livepulse.jobs.ingest;

import io.livepulse.jobs.alert.RoomEventRules;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The parsed records, each to the readers it has: viewer events go on (to the enrichment and the
 * viewer sessions); room-level events (start, end) to {@link #ROOM_EVENTS}, for the room
 * aggregates; the events the per-room alert rules read (comments, entries with a device) to {@link
 * #FOR_EVENT_RULES} as well; dead letters to {@link #DEAD_LETTERS}, counted, and stamped with the
 * latest event time seen in their partition (for the dead-letter alert: how far the stream had come
 * there; a task's partitions can be minutes apart while a backlog is read, one partition is in
 * order).
 *
 * <p>Why outputs of their own, not filters over one stream: every consumer chained to one output
 * gets its own wrapper of each record (Flink's broadcast within a chain), three per event for the
 * three filters this replaced, 2.8% of what a drain allocated (docs/benchmarks.md, change 57).
 */
public class SplitParsedEvents extends ProcessFunction<Ingested, EventRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    public static final OutputTag<EventRecord> ROOM_EVENTS =
            new OutputTag<>("room-events", TypeInformation.of(EventRecord.class));

    public static final OutputTag<EventRecord> FOR_EVENT_RULES =
            new OutputTag<>("events-for-rules", TypeInformation.of(EventRecord.class));

    private transient Counter deadLetters;

    /**
     * The latest event time by partition ({@code Long.MIN_VALUE}: none yet), indexed by the
     * partition: Kafka's are numbered from 0, and a map boxed a time per event. Not checkpointed:
     * after a restore, the next valid events set it again.
     */
    private transient long[] latestEventTs;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        latestEventTs = new long[0];
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<EventRecord> out) {
        EventRecord e = in.event;
        if (e == null) {
            deadLetters.inc();
            in.deadLetter.seenAt = latestEventTs(in.deadLetter.partition);
            ctx.output(DEAD_LETTERS, in.deadLetter);
            return;
        }
        noteEventTime(in.partition, e.ts);
        if (!e.isViewerEvent()) {
            ctx.output(ROOM_EVENTS, e);
            return;
        }
        if (RoomEventRules.reads(e)) {
            // the same object on two outputs: the rules' is keyed, so it is written out at once,
            // before the enrichment sets the tier on it
            ctx.output(FOR_EVENT_RULES, e);
        }
        out.collect(e);
    }

    private void noteEventTime(int partition, long ts) {
        if (partition < 0) {
            return; // not a Kafka partition: nothing to stamp dead letters with
        }
        if (partition >= latestEventTs.length) {
            int from = latestEventTs.length;
            latestEventTs = Arrays.copyOf(latestEventTs, Math.max(partition + 1, 2 * from));
            Arrays.fill(latestEventTs, from, latestEventTs.length, Long.MIN_VALUE);
        }
        latestEventTs[partition] = Math.max(latestEventTs[partition], ts);
    }

    private long latestEventTs(int partition) {
        return partition >= 0 && partition < latestEventTs.length
                ? latestEventTs[partition]
                : Long.MIN_VALUE;
    }
}
