package io.livepulse.jobs.alert;

import io.livepulse.jobs.records.EventRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * The comment-flood rule (keyed by room): one text, or near-same texts, repeated at a high rate.
 * Comments are counted per 10 s bucket of event time by their normalised text (letters only, lower
 * case: "加V领红包!!" and "加v 领红包 888" are one text); the rule holds when one text fills at least
 * {@code alerts.comment-flood.min-repeats} comments and {@code alerts.comment-flood.share} of all
 * comments in the window. The share is the baseline: a room whose viewers all write "好喝!" is not
 * flooded by it, one spammer drowning the rest is.
 */
public class CommentFlood extends KeyedProcessFunction<String, EventRecord, Alert> {
    private static final long serialVersionUID = 1L;
    static final long BUCKET_MS = 10_000;

    private final AlertRules rules;
    private transient MapState<Long, Map<String, Integer>> buckets;
    private transient ValueState<Incident> incident;
    private transient ValueState<String> live;

    public CommentFlood(AlertRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        buckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "comment-buckets",
                                        Types.LONG,
                                        Types.MAP(Types.STRING, Types.INT)));
        incident =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "flood-incident", TypeInformation.of(Incident.class)));
        live = getRuntimeContext().getState(new ValueStateDescriptor<>("flood-live", Types.STRING));
    }

    @Override
    public void processElement(EventRecord e, Context ctx, Collector<Alert> out) throws Exception {
        if (e.text == null) {
            return;
        }
        long bucket = Math.floorDiv(e.ts, BUCKET_MS) * BUCKET_MS;
        Map<String, Integer> counts = buckets.get(bucket);
        if (counts == null) {
            counts = new HashMap<>();
            // judged when the watermark passes the bucket's end, whatever order comments came in
            ctx.timerService().registerEventTimeTimer(bucket + BUCKET_MS);
        }
        counts.merge(normalise(e.text), 1, Integer::sum);
        counts.merge(TOTAL, 1, Integer::sum);
        buckets.put(bucket, counts);
        live.update(e.live);
    }

    /** At each bucket's end: the window's most repeated text against the rule. */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long b : buckets.keys()) {
            if (b < t - rules.floodWindowMs()) {
                old.add(b); // out of every window from now on
            }
        }
        for (Long b : old) {
            buckets.remove(b);
        }
        Map<String, Integer> window = new HashMap<>();
        for (long b = t - rules.floodWindowMs(); b < t; b += BUCKET_MS) {
            Map<String, Integer> c = buckets.get(b);
            if (c != null) {
                c.forEach((text, n) -> window.merge(text, n, Integer::sum));
            }
        }
        long total = window.getOrDefault(TOTAL, 0);
        Map.Entry<String, Integer> top =
                window.entrySet().stream()
                        .filter(en -> !en.getKey().equals(TOTAL))
                        .max(Map.Entry.comparingByValue())
                        .orElse(null);
        Breach breach = null;
        if (top != null
                && top.getValue() >= rules.floodMin()
                && top.getValue() >= rules.floodShare() * total) {
            double share = (double) top.getValue() / total;
            breach =
                    new Breach(
                            Alert.WARNING,
                            top.getValue(),
                            rules.floodMin(),
                            share,
                            String.format(
                                    Locale.ROOT,
                                    "\"%s\" (letters only) %d times in %d s: %.0f%% of %d comments",
                                    top.getKey(),
                                    top.getValue(),
                                    rules.floodWindowMs() / 1000,
                                    share * 100,
                                    total));
        }
        step(breach, t, ctx.getCurrentKey(), out);
        Incident i = incident.value();
        if (i != null && i.firing) {
            // keep judging while it fires, so that it can resolve when the comments stop
            ctx.timerService().registerEventTimeTimer(t + BUCKET_MS);
        } else if (buckets.isEmpty()) {
            incident.clear(); // a quiet room keeps nothing (the cool-down ends with it)
            live.clear();
        }
    }

    private void step(Breach breach, long now, String room, Collector<Alert> out) throws Exception {
        Incident i = incident.value();
        if (i == null) {
            if (breach == null) {
                return;
            }
            i = new Incident();
        }
        Alert a =
                i.step(
                        breach,
                        now,
                        room,
                        live.value(),
                        AlertKind.COMMENT_FLOOD,
                        rules.resolveAfterMs(),
                        rules.coolDownMs());
        incident.update(i);
        if (a != null) {
            out.collect(a);
        }
    }

    /** The key under which a bucket counts all its comments (no normalised text is empty). */
    private static final String TOTAL = "";

    /**
     * Letters only, in lower case: spaces, punctuation, digits and emoji do not make a text new. A
     * text without letters keeps its trimmed self.
     */
    static String normalise(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints()
                .filter(Character::isLetter)
                .map(Character::toLowerCase)
                .forEach(b::appendCodePoint);
        return b.isEmpty() ? "#" + text.strip() : b.toString();
    }
}
