package io.livepulse.jobs.alert;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/**
 * The life of one kind of alert in one room: fires once when its rule starts to hold, stays quiet
 * while it keeps holding (dedupe), resolves after {@code resolveAfterMs} without a breach, and does
 * not fire again within {@code coolDownMs} of resolving (one incident, not a storm). Kept in Flink
 * state, so it survives restarts.
 */
public class Incident {
    public boolean firing;
    public long firedAt;
    public long lastBreachAt;
    public long resolvedAt = Long.MIN_VALUE;
    public String severity;
    public double value;
    public double threshold;
    public Double baseline;
    public String evidence;

    public Incident() {}

    /**
     * One evaluation at {@code now}: the alert to emit (firing or resolved), or {@code null}.
     * {@code breach} is {@code null} when the rule does not hold.
     */
    public Alert step(
            Breach breach, long now, String room, String live, AlertKind kind, AlertRules rules) {
        if (breach != null) {
            if (firing) {
                lastBreachAt = now;
                return null;
            }
            if (resolvedAt != Long.MIN_VALUE && now < resolvedAt + rules.coolDownMs()) {
                return null; // cooling down: the last incident is not over in a person's eyes
            }
            firing = true;
            firedAt = now;
            lastBreachAt = now;
            severity = breach.severity();
            value = breach.value();
            threshold = breach.threshold();
            baseline = breach.baseline();
            evidence = breach.evidence();
            return alert(Alert.FIRING, now, room, live, kind);
        }
        if (firing && now >= lastBreachAt + rules.resolveAfterMs()) {
            firing = false;
            resolvedAt = now;
            return alert(Alert.RESOLVED, now, room, live, kind);
        }
        return null;
    }

    /**
     * {@link #step} on an incident kept in Flink state, emitting what it returns; a rule that has
     * never held keeps no state.
     */
    public static void step(
            ValueState<Incident> state,
            Breach breach,
            long now,
            String room,
            String live,
            AlertKind kind,
            AlertRules rules,
            Collector<Alert> out)
            throws Exception {
        Incident i = state.value();
        if (i == null) {
            if (breach == null) {
                return;
            }
            i = new Incident();
        }
        Alert a = i.step(breach, now, room, live, kind, rules);
        state.update(i);
        if (a != null) {
            out.collect(a);
        }
    }

    /** Whether the incident kept in {@code state} is firing. */
    public static boolean firing(ValueState<Incident> state) throws Exception {
        Incident i = state.value();
        return i != null && i.firing;
    }

    /** Ends a firing incident at once, e.g. because its broadcast ended. */
    public Alert resolveNow(long now, String room, String live, AlertKind kind) {
        if (!firing) {
            return null;
        }
        firing = false;
        resolvedAt = now;
        return alert(Alert.RESOLVED, now, room, live, kind);
    }

    private Alert alert(String state, long now, String room, String live, AlertKind kind) {
        Alert a = new Alert();
        a.room = room;
        a.live = live;
        a.kind = kind;
        a.state = state;
        a.ts = now;
        a.firedAt = firedAt;
        a.severity = severity;
        a.value = value;
        a.threshold = threshold;
        a.baseline = baseline;
        a.evidence = evidence;
        return a;
    }
}
