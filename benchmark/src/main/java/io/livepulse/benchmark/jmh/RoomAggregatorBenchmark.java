package io.livepulse.benchmark.jmh;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.room.RoomAggregator;
import io.livepulse.jobs.viewer.ViewerSessions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The room aggregation: the viewer deltas of the workload (made once by {@link ViewerSessions})
 * through the job's {@link RoomAggregator} on heap keyed state, watermarks after every batch, so
 * every room's 5-second tick snapshot is built as the job builds it.
 */
@State(Scope.Thread)
public class RoomAggregatorBenchmark {
    static final int BATCH = 1_000;
    static final long TICK = 5_000;

    private ViewerDelta[] deltas;
    private KeyedTwoInputStreamOperatorTestHarness<String, ViewerDelta, EventRecord, RoomSnapshot>
            harness;
    private int next;
    private long shift;
    private final TypeSerializer<ViewerDelta> copier =
            TypeInformation.of(ViewerDelta.class).createSerializer(new SerializerConfigImpl());

    @Setup(Level.Trial)
    public void makeDeltas() throws Exception {
        var sessions = HotPathData.viewerSessions();
        long last = 0;
        for (EventRecord e : HotPathData.enrichedViewerEvents()) {
            sessions.processElement(new StreamRecord<>(e, e.ts));
            last = e.ts;
        }
        sessions.processWatermark(new Watermark(last));
        List<ViewerDelta> out = sessions.extractOutputValues();
        sessions.close();
        deltas = out.toArray(ViewerDelta[]::new);
    }

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new RoomAggregator(
                                        TICK,
                                        Duration.ofDays(30).toMillis(),
                                        Duration.ofMinutes(10).toMillis(),
                                        Duration.ofMinutes(30).toMillis())),
                        (KeySelector<ViewerDelta, String>) d -> d.room,
                        (KeySelector<EventRecord, String>) e -> e.room,
                        Types.STRING);
        harness.open();
        for (EventRecord start : HotPathData.liveStarts()) {
            harness.processElement2(new StreamRecord<>(start, start.ts));
        }
        next = 0;
        shift = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** A batch of deltas and a watermark (ticks fire as event time passes them). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void aggregateRooms() throws Exception {
        long ts = 0;
        for (int i = 0; i < BATCH; i++) {
            // a fresh object, as a record that crossed the network is: the operator buffers it
            ViewerDelta d = copier.copy(deltas[next]);
            d.ts += shift;
            ts = d.ts;
            harness.processElement1(new StreamRecord<>(d, ts));
            if (++next == deltas.length) {
                next = 0;
                shift += deltas[deltas.length - 1].ts - deltas[0].ts + 1_000;
            }
        }
        harness.processBothWatermarks(new Watermark(ts - 1));
        harness.getOutput().clear();
    }
}
