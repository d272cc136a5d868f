package io.livepulse.jobs.ingest;

import io.livepulse.events.EventCodec;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Late events are not dropped: they go to the dead-letter topic with reason {@code late_event}, so
 * they can be counted and inspected. The bytes are the event re-encoded from what the job kept of
 * it (fields the job does not use, such as a comment's text, read "?" or are absent), and the Kafka
 * coordinates are not carried past the source.
 */
public class LateToDeadLetter implements MapFunction<EventRecord, DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final String REASON = "late_event";

    @Override
    public DeadLetter map(EventRecord e) {
        return new DeadLetter(
                REASON,
                "event time " + e.ts + " was behind the watermark when " + e.id + " arrived",
                null,
                -1,
                -1,
                EventCodec.encode(e.toLiveEvent()));
    }
}
