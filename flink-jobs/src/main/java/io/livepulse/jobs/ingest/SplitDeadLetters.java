package io.livepulse.jobs.ingest;

import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid events go on; dead letters go to a side output, counted. */
public class SplitDeadLetters extends ProcessFunction<Ingested, EventRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<EventRecord> out) {
        if (in.event != null) {
            out.collect(in.event);
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, in.deadLetter);
        }
    }
}
