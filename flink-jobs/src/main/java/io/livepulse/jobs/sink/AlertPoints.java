package io.livepulse.jobs.sink;

import io.livepulse.jobs.alert.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts in InfluxDB: measurement {@code live_alert}, tags room, kind and state (all bounded), time
 * = the state change's event time, so a replay writes the same points. The boards read it as
 * annotations (firing) and as a table. The fields are the alert's JSON (docs/alerts.md), minus the
 * tags.
 */
public final class AlertPoints {
    public static final String MEASUREMENT = "live_alert";

    private AlertPoints() {}

    public static List<org.influxdb.dto.Point> of(Alert a) {
        Map<String, Object> fields = fields(a);
        fields.remove("room");
        fields.remove("kind");
        fields.remove("state");
        fields.remove("ts");
        return List.of(
                SnapshotPoints.point(MEASUREMENT, a.ts, a.room)
                        .tag("kind", a.kind.wireName())
                        .tag("state", a.state)
                        .fields(fields)
                        .build());
    }

    /** Every field of an alert by its wire name: the JSON of the topic and the webhook. */
    public static Map<String, Object> fields(Alert a) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("room", a.room);
        SnapshotPoints.optional(f, "live", a.live);
        f.put("kind", a.kind.wireName());
        f.put("severity", a.severity);
        f.put("state", a.state);
        f.put("ts", a.ts);
        f.put("fired_at", a.firedAt);
        f.put("incident", a.incidentId());
        f.put("value", a.value);
        f.put("threshold", a.threshold);
        SnapshotPoints.optional(f, "baseline", a.baseline);
        f.put("evidence", a.evidence);
        return f;
    }
}
