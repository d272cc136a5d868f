package io.livepulse.jobs.sink;

import io.livepulse.jobs.records.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The embedded run's dead-letter output: one line per record on stderr, never a silent drop. */
public final class PrintedDeadLetters implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(DeadLetter d, Context c) {
                System.err.printf(
                        "dead letter: %s: %s (%s/%d@%d)%n",
                        d.reason, d.detail, d.topic, d.partition, d.offset);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
