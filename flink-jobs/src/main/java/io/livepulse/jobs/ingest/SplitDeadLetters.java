package io.livepulse.jobs.ingest;

import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import java.util.HashMap;
import java.util.Map;
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

    /** By partition. Not checkpointed: after a restore, the next valid events set it again. */
    private transient Map<Integer, Long> latestEventTs;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        latestEventTs = new HashMap<>();
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<EventRecord> out) {
        if (in.event != null) {
            latestEventTs.merge(in.partition, in.event.ts, Math::max);
            out.collect(in.event);
        } else {
            deadLetters.inc();
            in.deadLetter.seenAt =
                    latestEventTs.getOrDefault(in.deadLetter.partition, Long.MIN_VALUE);
            ctx.output(DEAD_LETTERS, in.deadLetter);
        }
    }
}
