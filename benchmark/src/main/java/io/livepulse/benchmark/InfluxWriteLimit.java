package io.livepulse.benchmark;

import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.jobs.sink.InfluxSink;
import io.livepulse.jobs.sink.SnapshotPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;

/**
 * The write side's limit, as the bare consumer is the read side's: how long InfluxDB takes to write
 * one tick of every room's points, the job's own points ({@link SnapshotPoints}), with no job
 * running. Once as one request, once as the job's sinks send it: one request per lane of each
 * subtask, all at once (split by room as the job splits them: its subtask by Flink's key groups,
 * its lane by {@link InfluxSink#laneOf}), alternately, each tick at a new timestamp as live ticks
 * are.
 */
final class InfluxWriteLimit {
    /** A database of its own: the boards' database is left to the jobs. */
    static final String DATABASE = "bench_write_limit";

    /**
     * @param pointsPerTick points in one tick of every room
     * @param requestsAtOnce the job's subtasks times the sink's lanes
     * @param oneRequestMs each tick written as one request, ms
     * @param atOnceMs each tick written as {@code requestsAtOnce} requests at once, ms
     */
    record Result(
            int rooms,
            int pointsPerTick,
            int requestsAtOnce,
            List<Long> oneRequestMs,
            List<Long> atOnceMs) {}

    private InfluxWriteLimit() {}

    /** Writes a warm-up tick, then {@code ticks} ticks each way, alternately. */
    static Result measure(InfluxDB influx, Workload w, int ticks) throws Exception {
        influx.query(new Query("CREATE DATABASE \"" + DATABASE + "\""));
        long tick0 = System.currentTimeMillis() / Benchmark.TICK_MS * Benchmark.TICK_MS;
        List<Long> one = new ArrayList<>();
        List<Long> atOnce = new ArrayList<>();
        List<Point> warmUp = tick(w, tick0);
        int subtasks = LiveMetricsOptions.PARALLELISM.defaultValue();
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(subtasks);
        int requests = subtasks * InfluxSink.LANES;
        ExecutorService writers = Executors.newFixedThreadPool(requests);
        try {
            write(influx, warmUp);
            for (int k = 1; k <= 2 * ticks; k++) {
                List<Point> points = tick(w, tick0 + k * Benchmark.TICK_MS);
                if (k % 2 == 1) {
                    long t = System.nanoTime();
                    write(influx, points);
                    one.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
                } else {
                    // the tick's points as the job's sinks send them: subtask by subtask, lane by
                    // lane
                    List<List<Point>> bySubtaskAndLane = new ArrayList<>();
                    for (int i = 0; i < requests; i++) {
                        bySubtaskAndLane.add(new ArrayList<>());
                    }
                    int perRoom = points.size() / w.rooms();
                    for (int r = 0; r < w.rooms(); r++) {
                        String room = w.room(r);
                        int subtask =
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                        room, maxParallelism, subtasks);
                        bySubtaskAndLane
                                .get(subtask * InfluxSink.LANES + InfluxSink.laneOf(room))
                                .addAll(points.subList(r * perRoom, (r + 1) * perRoom));
                    }
                    long t = System.nanoTime();
                    List<Future<?>> writes = new ArrayList<>();
                    for (List<Point> request : bySubtaskAndLane) {
                        writes.add(writers.submit(() -> write(influx, request)));
                    }
                    for (Future<?> f : writes) {
                        f.get();
                    }
                    atOnce.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
                }
            }
        } finally {
            writers.shutdownNow();
        }
        return new Result(w.rooms(), warmUp.size(), requests, one, atOnce);
    }

    private static void write(InfluxDB influx, List<Point> points) {
        influx.write(
                BatchPoints.database(DATABASE)
                        .precision(TimeUnit.MILLISECONDS)
                        .points(points)
                        .build());
    }

    /**
     * Every room's points at one tick, room after room, with figures that vary by room: as the job
     * writes them with its defaults, every tier's every field for the rooms whose turn it is and
     * the headline fields for the others ({@link SnapshotPoints}).
     */
    static List<Point> tick(Workload w, long ts) {
        InfluxSink.PointsOf<RoomSnapshot> pointsOf =
                SnapshotPoints.withTierDetailEvery(
                        Benchmark.TICK_MS,
                        LiveMetricsOptions.INFLUX_TIER_DETAIL_EVERY.defaultValue().toMillis());
        List<Point> points = new ArrayList<>();
        for (int r = 0; r < w.rooms(); r++) {
            RoomSnapshot s = new RoomSnapshot();
            s.room = w.room(r);
            s.live = s.room + "-live";
            s.ts = ts;
            s.start = ts - 3_600_000;
            s.groups = new GroupFigures[Group.COUNT];
            for (int g = 0; g < Group.COUNT; g++) {
                GroupFigures f = new GroupFigures();
                long n = 1 + (r * 31L + g * 7L) % 5_000;
                f.uv = n;
                f.pv = n + n / 3;
                f.online = n / 2;
                f.pcu = n;
                f.pcuAt = ts - 60_000;
                f.watchClosedMs = n * 60_000;
                f.comments = n / 4;
                f.likes = n * 3;
                f.shares = n / 20;
                f.gifts = n / 10;
                f.giftValueCents = n * 150;
                f.interactingViewers = n / 3;
                f.sharers = n / 25;
                f.follows = n / 30;
                f.fanClubJoins = n / 50;
                f.productClicks = n / 5;
                f.orders = n / 40;
                f.buyers = n / 45;
                f.repeatBuyers = n / 90;
                f.paidCents = n * 1_990;
                s.groups[g] = f;
            }
            points.addAll(pointsOf.apply(s));
        }
        return points;
    }
}
