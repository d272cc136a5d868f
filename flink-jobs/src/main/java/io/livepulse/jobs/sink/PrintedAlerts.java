package io.livepulse.jobs.sink;

import io.livepulse.jobs.alert.Alert;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The console's alerts: one line per firing or resolved, for the embedded run. */
public final class PrintedAlerts implements Sink<Alert> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Alert a, Context c) {
                System.out.println(line(a));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    static String line(Alert a) {
        return "告警 alert "
                + a.state
                + " "
                + a.severity
                + " "
                + a.kind.wireName()
                + " "
                + a.room
                + " at "
                + Instant.ofEpochMilli(a.ts)
                + ": "
                + a.evidence;
    }
}
