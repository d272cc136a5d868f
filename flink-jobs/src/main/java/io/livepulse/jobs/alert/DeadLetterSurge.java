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
 * rejected record has no trustworthy time of its own, so it counts where the stream had come in its
 * partition when it was rejected ({@link DeadLetter#seenAt}; the watermark where that is unknown;
 * records before any event are not counted). Counted in 10 s {@link Buckets}, judged at the
 * watermark. Keyed by one constant key: the dead letters are a trickle, and the rule is about the
 * whole input.
 */
public class DeadLetterSurge extends KeyedProcessFunction<String, DeadLetter, Alert> {
    private static final long serialVersionUID = 1L;

    /** The room name of alerts about the job's input as a whole. */
    public static final String PIPELINE = "pipeline";

    static final long WINDOW_MS = 60_000;

    private final AlertRules rules;
    private transient MapState<Long, Long> buckets;
    private transient ValueState<Incident> incident;
    private transient ValueState<String> latest;

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
        latest =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("latest-dead-letter", Types.STRING));
    }

    @Override
    public void processElement(DeadLetter d, Context ctx, Collector<Alert> out) throws Exception {
        long at = d.seenAt != Long.MIN_VALUE ? d.seenAt : ctx.timerService().currentWatermark();
        if (at == Long.MIN_VALUE) {
            return; // before any event: nothing to place it in time with
        }
        long bucket = Buckets.of(at);
        Long count = buckets.get(bucket);
        if (count == null) {
            count = 0L;
            ctx.timerService().registerEventTimeTimer(bucket + Buckets.SIZE_MS);
        }
        buckets.put(bucket, count + 1);
        latest.update(
                String.format(
                        Locale.ROOT,
                        "%s at %s/%d offset %d",
                        d.reason,
                        d.topic,
                        d.partition,
                        d.offset));
    }

    /** At each bucket's end: the last minute's rejected records against the limit. */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Buckets.dropBefore(buckets, t - WINDOW_MS);
        long inWindow = 0;
        for (long b = t - WINDOW_MS; b < t; b += Buckets.SIZE_MS) {
            Long count = buckets.get(b);
            inWindow += count == null ? 0 : count;
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
                                    "%d records rejected within a minute (latest: %s)",
                                    inWindow,
                                    latest.value()));
        }
        Incident.step(incident, breach, t, PIPELINE, null, AlertKind.DEAD_LETTERS, rules, out);
        if (Incident.firing(incident)) {
            // keep judging while it fires, so that it can resolve when the records stop
            ctx.timerService().registerEventTimeTimer(t + Buckets.SIZE_MS);
        }
    }
}
