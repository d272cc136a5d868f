package io.livepulse.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.testkit.InfluxServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink's writer against a real InfluxDB: batches written by its own threads (lanes), in bounds,
 * a room's points in the order they came.
 */
class InfluxSinkTest {
    @RegisterExtension static final InfluxServer INFLUX = new InfluxServer();

    private static final InfluxSink.PointsOf<Long> ONE_POINT_EACH =
            n ->
                    List.of(
                            Point.measurement("m")
                                    .time(1_000_000 + n, TimeUnit.MILLISECONDS)
                                    .addField("n", n)
                                    .build());

    /** Records alternate between two rooms. */
    private static final InfluxSink.RoomOf<Long> TWO_ROOMS = n -> "room-" + (n % 2);

    /** Record n goes to lane n mod LANES: the records take every lane in turn. */
    private static final InfluxSink.RoomOf<Long> EVERY_LANE =
            n -> roomInLane((int) (n % InfluxSink.LANES));

    /** The first room "room-k" whose points take the given lane. */
    private static String roomInLane(int lane) {
        for (int k = 0; ; k++) {
            if (InfluxSink.laneOf("room-" + k) == lane) {
                return "room-" + k;
            }
        }
    }

    private static InfluxSink.Settings settings(String database, int batchPoints) {
        return new InfluxSink.Settings(
                INFLUX.url(), database, null, null, batchPoints, Duration.ofSeconds(30), true);
    }

    /** The rows of a query's first series, none if it has no series. */
    private static List<List<Object>> rowsOf(String query, String database) {
        try (InfluxDB influx = InfluxDBFactory.connect(INFLUX.url())) {
            QueryResult r = influx.query(new Query(query, database));
            List<QueryResult.Series> series = r.getResults().get(0).getSeries();
            return series == null ? List.of() : series.get(0).getValues();
        }
    }

    private static long pointsIn(String database) {
        List<List<Object>> rows = rowsOf("SELECT count(\"n\") FROM \"m\"", database);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    /** The field n of every point in the database, in time order. */
    private static List<Long> valuesOfN(String database) {
        return rowsOf("SELECT \"n\" FROM \"m\"", database).stream()
                .map(row -> ((Number) row.get(1)).longValue())
                .toList();
    }

    @Test
    void everyPointSentIsWrittenAndCountedWhenFlushReturns() throws Exception {
        SimpleCounter pointsOut = new SimpleCounter();
        InfluxSink.Writer<Long> writer =
                new InfluxSink.Writer<>(
                        settings("flushed", 10), ONE_POINT_EACH, TWO_ROOMS, pointsOut);
        for (long n = 0; n < 95; n++) {
            writer.write(n, null);
        }
        writer.flush(false);

        assertThat(pointsIn("flushed")).isEqualTo(95);
        assertThat(pointsOut.getCount()).isEqualTo(95);
        writer.close();
    }

    @Test
    void aFrozenInfluxDbHoldsTheTaskOnceTwoBatchesAreOnTheirWay() throws Exception {
        SimpleCounter pointsOut = new SimpleCounter();
        InfluxSink.Writer<Long> writer =
                new InfluxSink.Writer<>(
                        settings("frozen", 1), ONE_POINT_EACH, EVERY_LANE, pointsOut);
        // one record more in each lane than it takes while InfluxDB is frozen
        int records = (InfluxSink.MAX_IN_FLIGHT + 1) * InfluxSink.LANES;
        AtomicInteger accepted = new AtomicInteger();
        // the task thread's failure, asserted below: an exception of its own would otherwise only
        // reach stderr, and the test fail later on a count
        AtomicReference<Exception> taskFailure = new AtomicReference<>();
        Thread task =
                new Thread(
                        () -> {
                            try {
                                for (long n = 0; n < records; n++) {
                                    writer.write(n, null);
                                    accepted.incrementAndGet();
                                }
                                writer.flush(false);
                            } catch (Exception e) {
                                taskFailure.set(e);
                            }
                        });
        INFLUX.pause();
        try {
            task.start();
            // the task thread waits only for the oldest batch of a lane, once the lane's next one
            // has no room; the other lanes took their own batches meanwhile
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (task.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(task.getState()).isEqualTo(Thread.State.WAITING);
            assertThat(accepted.get())
                    .as(
                            "records taken while InfluxDB is frozen: %d batches in each of %d"
                                    + " lanes",
                            InfluxSink.MAX_IN_FLIGHT, InfluxSink.LANES)
                    .isEqualTo(InfluxSink.MAX_IN_FLIGHT * InfluxSink.LANES);
            assertThat(pointsOut.getCount()).isZero();
        } finally {
            INFLUX.resume();
        }
        task.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(task.isAlive()).as("the task thread, 60 s after InfluxDB thawed").isFalse();
        assertThat(taskFailure.get()).as("the task thread's failure").isNull();
        assertThat(accepted.get()).isEqualTo(records);
        // on a failure, say which points InfluxDB has and what the sink counted: one CI run
        // (2026-12-05) found 5 of the 6, not seen again in 1,300 repetitions of the scenario
        assertThat(pointsIn("frozen"))
                .as(
                        () ->
                                "points in InfluxDB after the flush (n of each: "
                                        + valuesOfN("frozen")
                                        + "), the sink counted "
                                        + pointsOut.getCount())
                .isEqualTo(records);
        assertThat(pointsOut.getCount()).isEqualTo(records);
        writer.close();
    }

    @Test
    void aRoomsLaterPointIsNeverOvertakenByAnEarlierOneWithTheSameIdentity() throws Exception {
        // every record of a room rewrites the room's one point: the last written must stay
        InfluxSink.PointsOf<Long> roomPoint =
                n ->
                        List.of(
                                Point.measurement("m")
                                        .time(1_000_000, TimeUnit.MILLISECONDS)
                                        .tag("room", "room-" + (n % 2))
                                        .addField("n", n)
                                        .build());
        SimpleCounter pointsOut = new SimpleCounter();
        InfluxSink.Writer<Long> writer =
                new InfluxSink.Writer<>(settings("ordered", 1), roomPoint, TWO_ROOMS, pointsOut);
        for (long n = 0; n < 400; n++) {
            writer.write(n, null);
        }
        writer.flush(false);
        writer.close();

        assertThat(pointsOut.getCount()).isEqualTo(400);
        try (InfluxDB influx = InfluxDBFactory.connect(INFLUX.url())) {
            QueryResult r =
                    influx.query(new Query("SELECT \"n\" FROM \"m\" GROUP BY \"room\"", "ordered"));
            assertThat(r.getResults().get(0).getSeries())
                    .extracting(
                            series -> series.getTags().get("room"),
                            series -> ((Number) series.getValues().get(0).get(1)).longValue())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("room-0", 398L),
                            org.assertj.core.groups.Tuple.tuple("room-1", 399L));
        }
    }

    @Test
    void refusedCredentialsReachTheTaskAsTheNoRestartFailure() throws Exception {
        try (InfluxServer secured = new InfluxServer().withAuth().start()) {
            InfluxSink.Settings wrong =
                    new InfluxSink.Settings(
                            secured.url(),
                            "livepulse",
                            InfluxServer.ADMIN_USER,
                            "not-the-password",
                            10,
                            Duration.ofSeconds(30),
                            false);
            InfluxSink.Writer<Long> writer =
                    new InfluxSink.Writer<>(wrong, ONE_POINT_EACH, TWO_ROOMS, new SimpleCounter());
            writer.write(1L, null);

            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(SuppressRestartsException.class)
                    .cause()
                    .hasMessageContaining("refused the credentials of user 'admin'");
            writer.close();
        }
    }
}
