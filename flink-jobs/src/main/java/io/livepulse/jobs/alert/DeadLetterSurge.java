package io.livepulse.jobs.alert;

import io.livepulse.jobs.records.DeadLetter;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The dead-letter rule of pipeline health: rejected records (bad JSON, unknown types, missing
 * fields...) of all rooms, at or above {@code alerts.dead-letters.per-minute} within a minute. A
 * rejected record has no trustworthy time of its own, so it counts at the stream's event-time
 * position when it passed (the watermark); records before the first watermark are not counted.
 * Keyed by one constant key: the dead letters are a trickle, and the rule is about the whole input.
 */
public class DeadLetterSurge extends KeyedProcessFunction<String, DeadLetter, Alert> {
    private static final long serialVersionUID = 1L;

    /** The room name of alerts about the job's input as a whole. */
    public static final String PIPELINE = "pipeline";

    static final long WINDOW_MS = 60_000;
    static final long BUCKET_MS = 10_000;

    private final AlertRules rules;
    private transient MapState<Long, Long> buckets;
    private transient ValueState<Incident> incident;

    public DeadLetterSurge(AlertRules rules) {
        this.rules = rules;
    }

    /** Every dead letter goes to one key. */
    public static String key(DeadLetter d) {
        return PIPELINE;
    }

    @Override
    public void open(OpenContext openContext) {
        buckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "dead-letter-buckets", Types.LONG, Types.LONG));
        incident =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "dead-letter-incident",
                                        TypeInformation.of(Incident.class)));
    }

    @Override
    public void processElement(DeadLetter d, Context ctx, Collector<Alert> out) throws Exception {
        long now = ctx.timerService().currentWatermark();
        if (now == Long.MIN_VALUE) {
            return;
        }
        long bucket = Math.floorDiv(now, BUCKET_MS) * BUCKET_MS;
        Long count = buckets.get(bucket);
        if (count == null) {
            count = 0L;
            ctx.timerService().registerEventTimeTimer(bucket + BUCKET_MS + WINDOW_MS);
        }
        buckets.put(bucket, count + 1);
        long inWindow = 0;
        for (long b = bucket - WINDOW_MS + BUCKET_MS; b <= bucket; b += BUCKET_MS) {
            Long c = buckets.get(b);
            inWindow += c == null ? 0 : c;
        }
        Breach breach = null;
        if (inWindow >= rules.deadLettersPerMinute()) {
            breach =
                    new Breach(
                            Alert.WARNING,
                            inWindow,
                            rules.deadLettersPerMinute(),
                            null,
                            String.format(
                                    Locale.ROOT,
                                    "%d records rejected within a minute (latest: %s at %s/%d offset %d)",
                                    inWindow,
                                    d.reason,
                                    d.topic,
                                    d.partition,
                                    d.offset));
            ctx.timerService().registerEventTimeTimer(now + rules.resolveAfterMs());
        }
        Incident.step(incident, breach, now, PIPELINE, null, AlertKind.DEAD_LETTERS, rules, out);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        buckets.remove(t - BUCKET_MS - WINDOW_MS);
        Incident.step(incident, null, t, PIPELINE, null, AlertKind.DEAD_LETTERS, rules, out);
    }
}
