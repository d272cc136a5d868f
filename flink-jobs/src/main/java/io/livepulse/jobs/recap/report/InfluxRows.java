package io.livepulse.jobs.recap.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** InfluxQL results as rows: tag and field name to value, {@code time} in epoch milliseconds. */
public final class InfluxRows {
    private InfluxRows() {}

    public static List<Map<String, Object>> query(InfluxDB influx, String database, String q) {
        QueryResult result = influx.query(new Query(q, database), TimeUnit.MILLISECONDS);
        if (result.getError() != null) {
            throw new IllegalStateException(result.getError() + " in " + q);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Result r : result.getResults()) {
            if (r.getError() != null) {
                throw new IllegalStateException(r.getError() + " in " + q);
            }
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                for (List<Object> values : s.getValues()) {
                    Map<String, Object> row = new HashMap<>();
                    if (s.getTags() != null) {
                        row.putAll(s.getTags());
                    }
                    for (int i = 0; i < s.getColumns().size(); i++) {
                        if (values.get(i) != null) {
                            row.put(s.getColumns().get(i), values.get(i));
                        }
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
