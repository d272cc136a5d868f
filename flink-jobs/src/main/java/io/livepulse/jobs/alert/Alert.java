package io.livepulse.jobs.alert;

/**
 * One change in an incident's life: {@code firing} when a rule starts to hold, {@code resolved}
 * when it has not held for {@code alerts.resolve-after}. Both carry the figures that made the rule
 * fire. Times are event time, so a replay produces the same alerts at the same instants.
 */
public class Alert {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    /** The room, or {@code pipeline} for rules about the job's input as a whole. */
    public String room;

    /** The broadcast, or {@code null} when the rule is not about one. */
    public String live;

    public AlertKind kind;
    public String severity;
    public String state;

    /** When this state began (event time, epoch ms). */
    public long ts;

    /** When the incident fired: with room and kind, it identifies the incident. */
    public long firedAt;

    /** The measured value that broke the rule (at firing; the last one seen when resolved). */
    public double value;

    /** The limit the value was held against. */
    public double threshold;

    /** The room's normal level the threshold was derived from, when the rule has one. */
    public Double baseline;

    /** The figures behind the value, for a person to read. */
    public String evidence;

    public Alert() {}

    /** Stable across replays: room, kind and firing instant. */
    public String incidentId() {
        return room + "/" + kind.wireName() + "/" + firedAt;
    }

    @Override
    public String toString() {
        return state
                + " "
                + severity
                + " "
                + kind.wireName()
                + " "
                + room
                + (live == null ? "" : "/" + live)
                + " @"
                + ts
                + ": "
                + evidence;
    }
}
