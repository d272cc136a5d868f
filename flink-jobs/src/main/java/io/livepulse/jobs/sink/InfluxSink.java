package io.livepulse.jobs.sink;

import io.livepulse.jobs.alert.Alert;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.RoomSnapshot;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records (snapshots, recaps) to InfluxDB as points through the v1 write API, in batches. A
 * batch is written by a thread of the writer's own while the task goes on: the room aggregates the
 * sink is chained to used to wait out every write, and at 17,000 events/s a third of their time
 * went to InfluxDB's answers (docs/benchmarks.md, change 15). The writer has {@value #LANES} lanes,
 * each with its own buffer and thread, written at the same time (the client opens a connection for
 * each write in progress): one write of a tick of 1,000 rooms took InfluxDB 0.5-1.0 s alone on this
 * machine, two halves at once 0.3-0.4 s (docs/benchmarks.md, change 23); with the job's two
 * subtasks four requests go at once, and eight (four lanes each) made a tick visible no sooner
 * (docs/benchmarks.md, runs N1 to N3). A room's points always take the same lane, whose batches are
 * written in order, so a later point of a room is never overtaken by an earlier one with the same
 * identity. At most {@value #MAX_IN_FLIGHT} batches of a lane are on their way; the next one waits
 * for the oldest, so a slow InfluxDB still slows the job down (backpressure) instead of filling
 * memory, and nothing is dropped. Transient failures are retried with backoff for up to {@code
 * maxRetryTime}, then the job fails (and restarts from its checkpoint). Authentication errors fail
 * at once. Buffered points are sent when a batch is full and when a watermark arrives (a tick's
 * points then show without delay), and every one of them is written before a checkpoint completes,
 * so with deterministic point identity an at-least-once write gives exactly-once results.
 */
public final class InfluxSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Batches of a lane on their way, at most: one being written and one ready behind it. */
    static final int MAX_IN_FLIGHT = 2;

    /** Writes to InfluxDB at once, each with batches of its own. */
    public static final int LANES = 2;

    /** How a record becomes points: their identity must be deterministic (see above). */
    public interface PointsOf<T> extends Function<T, List<Point>>, Serializable {}

    /** The room a record's points belong to: it picks their lane. */
    public interface RoomOf<T> extends Function<T, String>, Serializable {}

    /** The lane a room's points take, always the same one. */
    public static int laneOf(String room) {
        return Math.floorMod(Objects.hashCode(room), LANES);
    }

    /** Connection and batching settings. */
    public record Settings(
            String url,
            String database,
            String user,
            String password,
            int batchPoints,
            Duration maxRetryTime,
            boolean createDatabase)
            implements Serializable {}

    private final Settings settings;
    private final PointsOf<T> pointsOf;
    private final RoomOf<T> roomOf;

    public InfluxSink(Settings settings, PointsOf<T> pointsOf, RoomOf<T> roomOf) {
        this.settings = settings;
        this.pointsOf = pointsOf;
        this.roomOf = roomOf;
    }

    /**
     * The live boards' points: every tick of every room, a tier's every field once in {@code
     * tierDetailEvery} ({@link SnapshotPoints}).
     */
    public static InfluxSink<RoomSnapshot> snapshots(
            Settings settings, Duration tick, Duration tierDetailEvery) {
        return new InfluxSink<>(
                settings,
                SnapshotPoints.withTierDetailEvery(tick.toMillis(), tierDetailEvery.toMillis()),
                s -> s.room);
    }

    /** The recap board's points: one recap per broadcast. */
    public static InfluxSink<Recap> recaps(Settings settings) {
        return new InfluxSink<>(settings, RecapPoints::of, r -> r.room);
    }

    /** The alerts' points: annotations and the alert tables of the boards. */
    public static InfluxSink<Alert> alerts(Settings settings) {
        return new InfluxSink<>(settings, AlertPoints::of, a -> a.room);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(
                settings,
                pointsOf,
                roomOf,
                context.metricGroup().getIOMetricGroup().getNumRecordsOutCounter());
    }

    static final class Writer<T> implements SinkWriter<T> {
        private static final Logger LOG = LoggerFactory.getLogger(InfluxSink.class);

        private final Settings settings;
        private final PointsOf<T> pointsOf;
        private final RoomOf<T> roomOf;
        private final Counter pointsOut;
        private final InfluxDB influx;
        private final Lane[] lanes = new Lane[LANES];

        /** Points buffered for one thread that talks to InfluxDB, and its batches on their way. */
        private static final class Lane {
            List<Point> buffer = new ArrayList<>();

            /** The lane's only thread once the writer is open: its batches in order. */
            final ExecutorService io;

            /** Batches handed to {@link #io}, oldest first, with their sizes. */
            final ArrayDeque<Future<Integer>> inFlight = new ArrayDeque<>();

            Lane(String name) {
                io =
                        Executors.newSingleThreadExecutor(
                                task -> {
                                    Thread t = new Thread(task, name);
                                    t.setDaemon(true);
                                    return t;
                                });
            }
        }

        Writer(Settings settings, PointsOf<T> pointsOf, RoomOf<T> roomOf, Counter pointsOut) {
            this.settings = settings;
            this.pointsOf = pointsOf;
            this.roomOf = roomOf;
            this.pointsOut = pointsOut;
            OkHttpClient.Builder http =
                    new OkHttpClient.Builder()
                            .connectTimeout(5, TimeUnit.SECONDS)
                            .readTimeout(30, TimeUnit.SECONDS)
                            .writeTimeout(30, TimeUnit.SECONDS);
            this.influx =
                    settings.user() == null
                            ? InfluxDBFactory.connect(settings.url(), http)
                            : InfluxDBFactory.connect(
                                    settings.url(), settings.user(), settings.password(), http);
            if (settings.createDatabase()) {
                withRetries(
                        "create database " + settings.database(),
                        () ->
                                influx.query(
                                        new Query(
                                                "CREATE DATABASE \""
                                                        + settings.database()
                                                        + "\"")));
            }
            for (int i = 0; i < LANES; i++) {
                lanes[i] = new Lane("influx-writer " + settings.database() + " " + i);
            }
        }

        @Override
        public void write(T record, Context context) throws IOException {
            Lane lane = lanes[laneOf(roomOf.apply(record))];
            lane.buffer.addAll(pointsOf.apply(record));
            if (lane.buffer.size() >= settings.batchPoints()) {
                send(lane);
            }
            for (Lane l : lanes) {
                collectWritten(l);
            }
        }

        /** Before each checkpoint and at the end: every point buffered or sent is written. */
        @Override
        public void flush(boolean endOfInput) throws IOException {
            for (Lane lane : lanes) {
                send(lane);
            }
            for (Lane lane : lanes) {
                while (!lane.inFlight.isEmpty()) {
                    collectOldest(lane);
                }
            }
        }

        /**
         * Ticks fire on the watermark, so when one reaches the sink every point of the ticks before
         * it is here: send them now. Waiting for a full batch or the next checkpoint held a tick's
         * last points back by up to a checkpoint interval (docs/benchmarks.md, latency).
         */
        @Override
        public void writeWatermark(Watermark watermark) throws IOException {
            for (Lane lane : lanes) {
                send(lane);
            }
        }

        /**
         * Hands the lane's buffer to its thread, once fewer than the most batches are on their way.
         */
        private void send(Lane lane) throws IOException {
            if (lane.buffer.isEmpty()) {
                return;
            }
            while (lane.inFlight.size() >= MAX_IN_FLIGHT) {
                collectOldest(lane); // backpressure: InfluxDB is behind
            }
            List<Point> points = lane.buffer;
            lane.buffer = new ArrayList<>();
            BatchPoints batch =
                    BatchPoints.database(settings.database())
                            .precision(TimeUnit.MILLISECONDS)
                            .points(points)
                            .build();
            String what = "write " + points.size() + " points";
            lane.inFlight.add(
                    lane.io.submit(
                            () -> {
                                withRetries(what, () -> influx.write(batch));
                                return points.size();
                            }));
        }

        /** Counts the batches already written; a failed one fails the task here. */
        private void collectWritten(Lane lane) throws IOException {
            while (!lane.inFlight.isEmpty() && lane.inFlight.peekFirst().isDone()) {
                collectOldest(lane);
            }
        }

        /** Waits for the oldest batch: counted once written, its failure rethrown as it was. */
        private void collectOldest(Lane lane) throws IOException {
            Future<Integer> oldest = lane.inFlight.peekFirst();
            try {
                pointsOut.inc(oldest.get());
                lane.inFlight.removeFirst();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while InfluxDB was being written");
            } catch (ExecutionException e) {
                // the writer thread's failure, unchanged: the credentials'
                // SuppressRestartsException must reach Flink as it is
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IOException(e.getCause());
            }
        }

        private void withRetries(String what, Runnable call) {
            long deadline = System.nanoTime() + settings.maxRetryTime().toNanos();
            long backoffMs = 100;
            while (true) {
                try {
                    call.run();
                    return;
                } catch (InfluxDBException e) {
                    if (isAuthFailure(e)) {
                        // A restart cannot fix credentials: fail the job for good, loudly.
                        throw new SuppressRestartsException(
                                new IllegalStateException(
                                        "InfluxDB at "
                                                + settings.url()
                                                + " refused the credentials of user '"
                                                + settings.user()
                                                + "' ("
                                                + e.getMessage()
                                                + "): check influx.user / influx.password and the"
                                                + " user's WRITE privilege on "
                                                + settings.database(),
                                        e));
                    }
                    if (!isRetryable(e) || System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "InfluxDB "
                                        + what
                                        + " failed at "
                                        + settings.url()
                                        + ": "
                                        + e.getMessage(),
                                e);
                    }
                    LOG.warn(
                            "InfluxDB {} failed ({}); retrying in {} ms",
                            what,
                            e.getMessage(),
                            backoffMs);
                    sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 5_000);
                }
            }
        }

        private static boolean isAuthFailure(InfluxDBException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            return m.contains("authorization failed")
                    || m.contains("unable to parse authentication credentials")
                    || m.contains("user not found")
                    || m.contains("not authorized");
        }

        /** Network trouble and server errors are transient; a rejected point or query is not. */
        private static boolean isRetryable(InfluxDBException e) {
            if (e instanceof InfluxDBIOException) {
                return true;
            }
            String m = String.valueOf(e.getMessage()).toLowerCase();
            return m.contains("timeout")
                    || m.contains("engine")
                    || m.contains("unavailable")
                    || m.contains("hinted handoff")
                    || m.contains("cache-max-memory-size")
                    || e.isRetryWorth();
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to retry InfluxDB", e);
            }
        }

        /**
         * After {@link #flush} nothing is on its way; on a cancel or failure, what is still on its
         * way is abandoned: the checkpoint the job restarts from does not count on it.
         */
        @Override
        public void close() throws InterruptedException {
            for (Lane lane : lanes) {
                lane.io.shutdownNow();
            }
            for (Lane lane : lanes) {
                lane.io.awaitTermination(10, TimeUnit.SECONDS);
            }
            influx.close();
        }
    }
}
