package io.livepulse.jobs;

import io.livepulse.jobs.alert.Alert;
import io.livepulse.jobs.alert.AlertRules;
import io.livepulse.jobs.alert.DeadLetterSurge;
import io.livepulse.jobs.alert.RoomEventRules;
import io.livepulse.jobs.alert.RoomWatch;
import io.livepulse.jobs.enrich.EnrichWithFanTier;
import io.livepulse.jobs.enrich.FanDirectory;
import io.livepulse.jobs.ingest.LateToDeadLetter;
import io.livepulse.jobs.ingest.SplitDeadLetters;
import io.livepulse.jobs.recap.BroadcastRecaps;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.room.RoomAggregator;
import io.livepulse.jobs.sink.ConsoleBoard;
import io.livepulse.jobs.viewer.ViewerSessions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The live metrics graph, from whatever source and to whatever sinks it is given (Kafka and
 * InfluxDB in production, in-process ones in tests and the embedded run):
 *
 * <pre>
 * ingested ─ split ─┬─ room events ─────────────────────────────┐
 *                   ├─ viewer events ─ enrich ─ viewer sessions ─┴─ room aggregates ─ snapshots
 *                   └─ dead letters (+ late events) ─ dead-letter sink
 * snapshots ─ final ones, by room ─ broadcast recaps ({@link #recaps})
 * snapshots, comments and entries, dead letters ─ alert rules ({@link #alerts})
 * </pre>
 */
public final class LiveMetricsPipeline {
    private LiveMetricsPipeline() {}

    /** The watermark strategy to put on the source: bounded out-of-orderness plus idleness. */
    public static WatermarkStrategy<Ingested> watermarks(LiveMetricsOptions o) {
        return WatermarkStrategy.<Ingested>forBoundedOutOfOrderness(
                        o.get(LiveMetricsOptions.OUT_OF_ORDERNESS))
                .withTimestampAssigner(new EventTimeOf())
                .withIdleness(o.get(LiveMetricsOptions.IDLENESS));
    }

    /** What the graph hands on for recaps, alerts and more sinks. */
    public record Streams(
            DataStream<EventRecord> events,
            DataStream<RoomSnapshot> snapshots,
            DataStream<DeadLetter> rejected) {}

    /** Wires the graph. */
    public static Streams build(
            DataStream<Ingested> ingested,
            FanDirectory fans,
            List<Sink<RoomSnapshot>> snapshotSinks,
            Sink<DeadLetter> deadLetterSink,
            LiveMetricsOptions o) {
        SingleOutputStreamOperator<EventRecord> events =
                ingested.process(new SplitDeadLetters())
                        .uid("parse-validate")
                        .name("Parse and validate");

        DataStream<EventRecord> roomEvents =
                events.filter(new RoomLevel()).uid("room-events").name("Room events (start, end)");
        DataStream<EventRecord> viewerEvents =
                events.filter(new ViewerLevel()).uid("viewer-events").name("Viewer events");

        DataStream<EventRecord> enriched =
                AsyncDataStream.unorderedWait(
                                viewerEvents,
                                new EnrichWithFanTier(
                                        fans,
                                        o.get(LiveMetricsOptions.CACHE_SIZE),
                                        o.get(LiveMetricsOptions.CACHE_TTL).toMillis(),
                                        o.get(LiveMetricsOptions.ASYNC_TIMEOUT).toMillis()),
                                // no timer per event: the function times its lookups out itself
                                0,
                                TimeUnit.MILLISECONDS,
                                o.get(LiveMetricsOptions.ASYNC_CAPACITY))
                        .uid("enrich-fan-tier")
                        .name("Enrich with fan tier");

        SingleOutputStreamOperator<ViewerDelta> deltas =
                enriched.keyBy(ViewerSessions::key, ViewerSessions.KEY_TYPE)
                        .transform(
                                "Viewer sessions (room, user)",
                                TypeInformation.of(ViewerDelta.class),
                                new ViewerSessions(
                                        o.get(LiveMetricsOptions.IDLE_TIMEOUT).toMillis(),
                                        o.get(LiveMetricsOptions.VIEWER_RETENTION).toMillis(),
                                        o.get(LiveMetricsOptions.DEDUPE_HORIZON).toMillis()))
                        .uid("viewer-sessions");

        SingleOutputStreamOperator<RoomSnapshot> snapshots =
                deltas.keyBy(RoomKeys::ofDelta)
                        .connect(roomEvents.keyBy(RoomKeys::ofEvent))
                        .process(
                                new RoomAggregator(
                                        o.get(LiveMetricsOptions.TICK).toMillis(),
                                        o.get(LiveMetricsOptions.OLD_FAN_CUTOFF).toMillis(),
                                        o.get(LiveMetricsOptions.IDLE_TIMEOUT).toMillis(),
                                        o.get(LiveMetricsOptions.LIVE_IDLE_END).toMillis()))
                        .uid("room-aggregates-2")
                        .name("Room aggregates (room)");

        for (int i = 0; i < snapshotSinks.size(); i++) {
            Sink<RoomSnapshot> sink = snapshotSinks.get(i);
            var op =
                    snapshots
                            .sinkTo(sink)
                            .uid("snapshot-sink-" + sink.getClass().getSimpleName())
                            .name(sink.getClass().getSimpleName());
            if (sink instanceof ConsoleBoard) {
                op.setParallelism(1);
            }
        }

        DataStream<DeadLetter> late =
                deltas.getSideOutput(ViewerSessions.LATE)
                        .union(snapshots.getSideOutput(RoomAggregator.LATE))
                        .map(new LateToDeadLetter())
                        .uid("late-events")
                        .name("Late events");
        DataStream<DeadLetter> rejected = events.getSideOutput(SplitDeadLetters.DEAD_LETTERS);
        rejected.union(late).sinkTo(deadLetterSink).uid("dead-letter-sink").name("Dead letters");
        return new Streams(events, snapshots, rejected);
    }

    /**
     * Alerts (docs/alerts.md): the tick rules per room from the snapshots, the comment-flood and
     * shared-device rules per room from comments and entries, and the dead-letter rule over all
     * rejected records.
     */
    public static DataStream<Alert> alerts(Streams streams, AlertRules rules) {
        DataStream<Alert> roomAlerts =
                streams.snapshots()
                        .keyBy(RoomKeys::ofSnapshot)
                        .process(new RoomWatch(rules))
                        .uid("room-watch")
                        .name("Alert rules on ticks (room)");
        DataStream<Alert> eventAlerts =
                streams.events()
                        .filter(new ReadByEventRules())
                        .uid("comments-and-devices")
                        .name("Comments and entries with a device")
                        .keyBy(RoomKeys::ofEvent)
                        .process(new RoomEventRules(rules))
                        .uid("room-event-rules")
                        .name("Comment flood and shared device rules (room)");
        DataStream<Alert> deadLetters =
                streams.rejected()
                        .keyBy(DeadLetterSurge::key)
                        .process(new DeadLetterSurge(rules))
                        .uid("dead-letter-surge")
                        .name("Dead-letter rule");
        return roomAlerts.union(eventAlerts, deadLetters);
    }

    /**
     * One recap per broadcast from the final snapshots, keyed by room so that each compares with
     * the room's earlier broadcasts.
     */
    public static DataStream<Recap> recaps(Streams streams) {
        return streams.snapshots()
                .filter(s -> s.isFinal)
                .uid("final-snapshots")
                .name("Final snapshots")
                .keyBy(RoomKeys::ofSnapshot)
                .process(new BroadcastRecaps())
                .uid("broadcast-recaps")
                .name("Broadcast recaps (room)");
    }

    /** Event time of an ingested record; dead letters never move the watermark. */
    static final class EventTimeOf implements SerializableTimestampAssigner<Ingested> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(Ingested element, long recordTimestamp) {
            return element.eventTime();
        }
    }

    static final class RoomLevel implements FilterFunction<EventRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(EventRecord e) {
            return !e.isViewerEvent();
        }
    }

    static final class ViewerLevel implements FilterFunction<EventRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(EventRecord e) {
            return e.isViewerEvent();
        }
    }

    static final class ReadByEventRules implements FilterFunction<EventRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(EventRecord e) {
            return RoomEventRules.reads(e);
        }
    }

    /** Stage 2's key: the room. */
    static final class RoomKeys {
        private RoomKeys() {}

        static String ofDelta(ViewerDelta d) {
            return d.room;
        }

        static String ofEvent(EventRecord e) {
            return e.room;
        }

        static String ofSnapshot(RoomSnapshot s) {
            return s.room;
        }
    }
}
