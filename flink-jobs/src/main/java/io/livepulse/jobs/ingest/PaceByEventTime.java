package io.livepulse.jobs.ingest;

import io.livepulse.jobs.records.Ingested;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Plays the embedded source at a chosen speed of event time (e.g. 240: four minutes per second), so
 * the console board shows a broadcast unfold. Blocking here is backpressure, by design. Speed 0
 * passes records through at once.
 */
public class PaceByEventTime implements MapFunction<Ingested, Ingested> {
    private static final long serialVersionUID = 1L;

    private final double speed;
    // Transient fields start at their defaults on the task (initializers do not run there).
    private transient boolean started;
    private transient long firstTs;
    private transient long startNanos;

    public PaceByEventTime(double speed) {
        this.speed = speed;
    }

    @Override
    public Ingested map(Ingested in) throws InterruptedException {
        long ts = in.eventTime();
        if (speed <= 0 || ts == Long.MIN_VALUE) {
            return in;
        }
        if (!started) {
            started = true;
            firstTs = ts;
            startNanos = System.nanoTime();
        }
        long due = startNanos + (long) ((ts - firstTs) * 1_000_000 / speed);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return in;
    }
}
