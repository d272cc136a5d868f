package io.livepulse.jobs.recap.report;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.sink.AlertPoints;
import io.livepulse.jobs.sink.RecapPoints;
import io.livepulse.jobs.sink.SnapshotPoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;

/**
 * One broadcast's recap as read back from InfluxDB: the {@code live_recap} fields, the final {@code
 * live_room} and {@code live_tier} points at its end, its top products, and the room's online
 * viewers and GMV at every tick of the broadcast (for the charts).
 *
 * @param recap the live_recap fields (funnel, history, start, end)
 * @param figures the final live_room fields
 * @param tiers the final live_tier fields, by group name (all, fans, true_love, ...)
 * @param products the top products, best first
 * @param series the live_room ticks: time, online, gmv_cents
 * @param alerts the alerts fired during the broadcast, oldest first: the firing point's fields
 *     (time, kind, severity, evidence ...) and {@code resolved_at} when it has resolved
 */
public record RecapReport(
        String room,
        String live,
        long start,
        long end,
        Map<String, Object> recap,
        Map<String, Object> figures,
        Map<String, Map<String, Object>> tiers,
        List<Map<String, Object>> products,
        List<Tick> series,
        List<Map<String, Object>> alerts) {

    /** The room at one tick of event time. */
    public record Tick(long ts, long online, long gmvCents) {}

    /** Reads broadcast {@code live}; fails with what to check if InfluxDB has no recap of it. */
    public static RecapReport read(InfluxDB influx, String database, String live) {
        String quoted = "'" + live.replace("\\", "\\\\").replace("'", "\\'") + "'";
        List<Map<String, Object>> recaps =
                InfluxRows.query(
                        influx,
                        database,
                        "SELECT * FROM "
                                + RecapPoints.RECAP_MEASUREMENT
                                + " WHERE live = "
                                + quoted);
        if (recaps.isEmpty()) {
            throw new IllegalArgumentException(
                    "no recap of broadcast "
                            + live
                            + " in database "
                            + database
                            + ": is the broadcast over (live_end, then the watermark), is the id"
                            + " right, and does the job write to this database?");
        }
        Map<String, Object> recap = recaps.get(recaps.size() - 1);
        String room = (String) recap.get("room");
        long end = number(recap, "end");
        long start = number(recap, "start");
        String roomIs = " WHERE room = '" + room.replace("'", "\\'") + "'";
        String atEnd = " AND time = " + end + "ms";

        List<Map<String, Object>> finals =
                InfluxRows.query(
                        influx,
                        database,
                        "SELECT * FROM " + SnapshotPoints.ROOM_MEASUREMENT + roomIs + atEnd);
        Map<String, Map<String, Object>> tiers = new LinkedHashMap<>();
        for (Map<String, Object> row :
                InfluxRows.query(
                        influx,
                        database,
                        "SELECT * FROM " + SnapshotPoints.TIER_MEASUREMENT + roomIs + atEnd)) {
            tiers.put((String) row.get("tier"), row);
        }
        Map<String, Map<String, Object>> ordered = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            if (tiers.containsKey(g.wireName())) {
                ordered.put(g.wireName(), tiers.get(g.wireName()));
            }
        }
        List<Map<String, Object>> products =
                new ArrayList<>(
                        InfluxRows.query(
                                influx,
                                database,
                                "SELECT * FROM "
                                        + RecapPoints.PRODUCT_MEASUREMENT
                                        + " WHERE live = "
                                        + quoted
                                        + atEnd));
        products.sort(
                (a, b) ->
                        Integer.compare(
                                Integer.parseInt((String) a.get("rank")),
                                Integer.parseInt((String) b.get("rank"))));
        List<Tick> series = new ArrayList<>();
        for (Map<String, Object> row :
                InfluxRows.query(
                        influx,
                        database,
                        "SELECT online, gmv_cents FROM "
                                + SnapshotPoints.ROOM_MEASUREMENT
                                + roomIs
                                + " AND live = "
                                + quoted
                                + " AND time >= "
                                + start
                                + "ms AND time <= "
                                + end
                                + "ms")) {
            series.add(
                    new Tick(number(row, "time"), number(row, "online"), number(row, "gmv_cents")));
        }
        return new RecapReport(
                room,
                live,
                start,
                end,
                recap,
                finals.isEmpty() ? Map.of() : finals.get(0),
                ordered,
                products,
                series,
                alerts(influx, database, quoted));
    }

    /** The broadcast's alerts: each firing, with when it resolved. */
    private static List<Map<String, Object>> alerts(
            InfluxDB influx, String database, String quotedLive) {
        String from = "SELECT * FROM " + AlertPoints.MEASUREMENT + " WHERE live = " + quotedLive;
        Map<String, Object> resolvedAt = new HashMap<>();
        for (Map<String, Object> row :
                InfluxRows.query(influx, database, from + " AND state = 'resolved'")) {
            resolvedAt.put((String) row.get("incident"), row.get("time"));
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> row :
                InfluxRows.query(influx, database, from + " AND state = 'firing'")) {
            Map<String, Object> a = new LinkedHashMap<>(row);
            a.put("resolved_at", resolvedAt.get((String) row.get("incident")));
            alerts.add(a);
        }
        return alerts;
    }

    static long number(Map<String, Object> row, String field) {
        Object v = row.get(field);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("field " + field + " missing in " + row);
        }
        return Math.round(n.doubleValue());
    }
}
