package io.livepulse.jobs;

import io.livepulse.jobs.recap.report.InfluxRows;
import io.livepulse.jobs.sink.SnapshotPoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** Reads the job's points back from InfluxDB with InfluxQL, as a board would. */
public final class InfluxReadBack implements AutoCloseable {
    private final InfluxDB influx;
    private final String database;

    public InfluxReadBack(String url, String database) {
        this(InfluxDBFactory.connect(url), database);
    }

    /** For an InfluxDB with authentication on. */
    public InfluxReadBack(String url, String user, String password, String database) {
        this(InfluxDBFactory.connect(url, user, password), database);
    }

    private InfluxReadBack(InfluxDB influx, String database) {
        this.influx = influx;
        this.database = database;
    }

    /** The database read. */
    public String database() {
        return database;
    }

    /** tier -> field -> value of the live_tier points of one room at one instant. */
    public Map<String, Map<String, Object>> tiersAt(String room, long ts) {
        Map<String, Map<String, Object>> byTier = new HashMap<>();
        for (Map<String, Object> row :
                rows(
                        "SELECT * FROM "
                                + SnapshotPoints.TIER_MEASUREMENT
                                + " WHERE room = '"
                                + room
                                + "' AND time = "
                                + ts
                                + "ms")) {
            byTier.put((String) row.get("tier"), row);
        }
        return byTier;
    }

    /** field -> value of the live_room point of one room at one instant. */
    public Map<String, Object> roomAt(String room, long ts) {
        List<Map<String, Object>> rows =
                rows(
                        "SELECT * FROM "
                                + SnapshotPoints.ROOM_MEASUREMENT
                                + " WHERE room = '"
                                + room
                                + "' AND time = "
                                + ts
                                + "ms");
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /**
     * Points InfluxDB accepted into this database since it started (its shard statistics), counting
     * every rewrite of a point: more than {@link #distinctSnapshotPoints()} means points were
     * written again, as after a replay.
     */
    public long pointsWritten() {
        QueryResult result = influx.query(new Query("SHOW STATS"));
        long written = 0;
        for (QueryResult.Result r : result.getResults()) {
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                if (s.getName().equals("shard")
                        && s.getTags() != null
                        && database.equals(s.getTags().get("database"))) {
                    int column = s.getColumns().indexOf("writePointsOk");
                    written += ((Number) s.getValues().get(0).get(column)).longValue();
                }
            }
        }
        return written;
    }

    /** The snapshot points that exist in the database: one per room, tier and tick. */
    public long distinctSnapshotPoints() {
        long points = 0;
        for (String measurement :
                List.of(SnapshotPoints.TIER_MEASUREMENT, SnapshotPoints.ROOM_MEASUREMENT)) {
            for (Map<String, Object> row : rows("SELECT count(uv) FROM " + measurement)) {
                points += asLong(row, "count");
            }
        }
        return points;
    }

    public List<Map<String, Object>> rows(String influxQl) {
        return InfluxRows.query(influx, database, influxQl);
    }

    public static long asLong(Map<String, Object> row, String field) {
        Object v = row.get(field);
        if (!(v instanceof Number n)) {
            throw new AssertionError("field " + field + " missing or not a number in " + row);
        }
        return Math.round(n.doubleValue());
    }

    public static Double asDouble(Map<String, Object> row, String field) {
        Object v = row.get(field);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    @Override
    public void close() {
        influx.close();
    }
}
