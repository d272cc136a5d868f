package io.livepulse.jobs.ingest;

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
 * Valid events go on; dead letters go to a side output, counted, and stamped with the latest event
 * time seen in their partition (for the dead-letter alert: how far the stream had come there; a
 * task's partitions can be minutes apart while a backlog is read, one partition is in order).
 */
public class SplitDeadLetters extends ProcessFunction<Ingested, EventRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter deadLetters;

    /**
     * The latest event time by partition ({@code Long.MIN_VALUE}: none yet), indexed by the
     * partition: Kafka's are numbered from 0, and a map boxed two longs per event (1.2% of what a
     * drain allocated, docs/benchmarks.md, change 57). Not checkpointed: after a restore, the next
     * valid events set it again.
     */
    private transient long[] latestEventTs;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        latestEventTs = new long[0];
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<EventRecord> out) {
        if (in.event != null) {
            noteEventTime(in.partition, in.event.ts);
            out.collect(in.event);
        } else {
            deadLetters.inc();
            in.deadLetter.seenAt = latestEventTsOf(in.deadLetter.partition);
            ctx.output(DEAD_LETTERS, in.deadLetter);
        }
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

    private long latestEventTsOf(int partition) {
        return partition >= 0 && partition < latestEventTs.length
                ? latestEventTs[partition]
                : Long.MIN_VALUE;
    }
}
