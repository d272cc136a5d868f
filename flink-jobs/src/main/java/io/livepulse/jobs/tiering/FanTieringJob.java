package io.livepulse.jobs.tiering;

import io.livepulse.fans.FanProfile;
import io.livepulse.jobs.ingest.RecordDecoder;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The fan tiering job: in batch mode over JSON Lines files of past events, scores every (room,
 * user) that followed the room with the {@link IntimacyModel} and writes their profiles to Redis,
 * each key replaced whole (a reader sees the old profile or the new one). Records that are not
 * valid events are skipped (they were dead letters in the live job too).
 */
public final class FanTieringJob {
    private FanTieringJob() {}

    /** Scores the history in batch mode and writes the followers' profiles to Redis. */
    public static void run(
            StreamExecutionEnvironment env,
            List<String> inputs,
            IntimacyModel model,
            long asOf,
            String redisUri)
            throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Path[] paths = inputs.stream().map(Path::new).toArray(Path[]::new);
        FileSource<String> history =
                FileSource.forRecordStreamFormat(new TextLineInputFormat(), paths).build();
        env.fromSource(history, WatermarkStrategy.noWatermarks(), "History (JSON Lines)")
                .uid("history-source")
                .flatMap(new ViewerEventsOf())
                .uid("decode-history")
                .name("Decode viewer events")
                .keyBy(FanTieringJob::roomAndUser)
                .process(new ScoreFan(model, asOf))
                .uid("score-fans")
                .name("Score intimacy (room, user)")
                .sinkTo(new RedisProfileSink(redisUri))
                .uid("redis-profiles")
                .name("Fan profiles to Redis");
        env.execute("LivePulse fan tiering");
    }

    static String roomAndUser(EventRecord e) {
        return e.room + '\u0000' + e.user;
    }

    /** The valid viewer events of a history file; everything else is skipped. */
    static final class ViewerEventsOf implements FlatMapFunction<String, EventRecord> {
        private static final long serialVersionUID = 1L;
        // History is in the past; a far bound keeps a replayed future-dated test history too.
        private final RecordDecoder decoder = new RecordDecoder(Duration.ofDays(3650));

        @Override
        public void flatMap(String line, Collector<EventRecord> out) {
            if (line.isBlank()) {
                return;
            }
            Ingested in = decoder.decode(line.getBytes(StandardCharsets.UTF_8), "history", 0, -1);
            if (in.event != null && in.event.isViewerEvent()) {
                out.collect(in.event);
            }
        }
    }

    /** Gathers one (room, user)'s history; at the end of the input, scores it. */
    static final class ScoreFan extends KeyedProcessFunction<String, EventRecord, FanProfile> {
        private static final long serialVersionUID = 1L;
        private final IntimacyModel model;
        private final long asOf;
        private transient ListState<EventRecord> history;

        ScoreFan(IntimacyModel model, long asOf) {
            this.model = model;
            this.asOf = asOf;
        }

        @Override
        public void open(OpenContext openContext) {
            history =
                    getRuntimeContext()
                            .getListState(
                                    new ListStateDescriptor<>(
                                            "history", TypeInformation.of(EventRecord.class)));
        }

        @Override
        public void processElement(EventRecord e, Context ctx, Collector<FanProfile> out)
                throws Exception {
            history.add(e);
            // In batch mode event-time timers fire when the key's input is complete.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<FanProfile> out)
                throws Exception {
            List<EventRecord> events = new ArrayList<>();
            history.get().forEach(events::add);
            history.clear();
            if (events.isEmpty()) {
                return;
            }
            FanProfile p = model.profile(events.get(0).room, events.get(0).user, events, asOf);
            if (p != null) {
                out.collect(p);
            }
        }
    }
}
