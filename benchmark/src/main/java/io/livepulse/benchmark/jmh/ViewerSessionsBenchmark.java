package io.livepulse.benchmark.jmh;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.viewer.ViewerKey;
import io.livepulse.jobs.viewer.ViewerSessions;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The viewer-state update: enriched events through the job's {@link ViewerSessions} operator on
 * Flink's heap keyed state (the state backend the job runs with), a watermark after every batch so
 * that buffered events are applied and deltas emitted.
 */
@State(Scope.Thread)
public class ViewerSessionsBenchmark {
    static final int BATCH = 1_000;

    private EventRecord[] events;
    private KeyedOneInputStreamOperatorTestHarness<ViewerKey, EventRecord, ViewerDelta> harness;
    private int next;
    private long shift;
    private int lap;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        events = HotPathData.enrichedViewerEvents();
        harness = HotPathData.viewerSessions();
        next = 0;
        shift = 0;
        lap = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** A batch of events and a watermark; the score is events per second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void updateViewerState() throws Exception {
        long ts = 0;
        for (int i = 0; i < BATCH; i++) {
            EventRecord e = events[next].copy();
            e.ts += shift;
            if (lap > 0) {
                e.id = e.id + "." + lap; // a new event, not a repeat the operator would drop
            }
            ts = e.ts;
            harness.processElement(new StreamRecord<>(e, e.ts));
            if (++next == events.length) {
                next = 0;
                // the next lap happens later in event time, so no event is late
                shift += events[events.length - 1].ts - events[0].ts + 1_000;
                lap++;
            }
        }
        harness.processWatermark(new Watermark(ts - 1));
        harness.getOutput().clear();
    }
}
