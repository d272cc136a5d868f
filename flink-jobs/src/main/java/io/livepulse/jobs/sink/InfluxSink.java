package io.livepulse.jobs.sink;

import io.livepulse.jobs.alert.Alert;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.RoomSnapshot;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Writes records (snapshots, recaps) to InfluxDB as points through the v1 write API, in batches,
 * synchronously: a slow InfluxDB slows the job down (backpressure) instead of filling memory, and
 * nothing is dropped. Transient failures are retried with backoff for up to {@code maxRetryTime},
 * then the job fails (and restarts from its checkpoint). Authentication errors fail at once.
 * Buffered points are written when a batch is full, when a watermark arrives (a tick's points then
 * show without delay) and before every checkpoint completes, so with deterministic point identity
 * an at-least-once write gives exactly-once results.
 */
public final class InfluxSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** How a record becomes points: their identity must be deterministic (see above). */
    public interface PointsOf<T> extends Function<T, List<Point>>, Serializable {}

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

    public InfluxSink(Settings settings, PointsOf<T> pointsOf) {
        this.settings = settings;
        this.pointsOf = pointsOf;
    }

    /** The live boards' points: every tick of every room. */
    public static InfluxSink<RoomSnapshot> snapshots(Settings settings) {
        return new InfluxSink<>(settings, SnapshotPoints::of);
    }

    /** The recap board's points: one recap per broadcast. */
    public static InfluxSink<Recap> recaps(Settings settings) {
        return new InfluxSink<>(settings, RecapPoints::of);
    }

    /** The alerts' points: annotations and the alert tables of the boards. */
    public static InfluxSink<Alert> alerts(Settings settings) {
        return new InfluxSink<>(settings, AlertPoints::of);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(
                settings,
                pointsOf,
                context.metricGroup().getIOMetricGroup().getNumRecordsOutCounter());
    }

    static final class Writer<T> implements SinkWriter<T> {
        private static final Logger LOG = LoggerFactory.getLogger(InfluxSink.class);

        private final Settings settings;
        private final PointsOf<T> pointsOf;
        private final Counter pointsOut;
        private final InfluxDB influx;
        private final List<Point> buffer = new ArrayList<>();

        Writer(Settings settings, PointsOf<T> pointsOf, Counter pointsOut) {
            this.settings = settings;
            this.pointsOf = pointsOf;
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
        }

        @Override
        public void write(T record, Context context) throws IOException {
            buffer.addAll(pointsOf.apply(record));
            if (buffer.size() >= settings.batchPoints()) {
                writeBuffer();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            writeBuffer();
        }

        /**
         * Ticks fire on the watermark, so when one reaches the sink every point of the ticks before
         * it is here: write them now. Waiting for a full batch or the next checkpoint held a tick's
         * last points back by up to a checkpoint interval (docs/benchmarks.md, latency).
         */
        @Override
        public void writeWatermark(Watermark watermark) throws IOException {
            writeBuffer();
        }

        private void writeBuffer() throws IOException {
            if (buffer.isEmpty()) {
                return;
            }
            BatchPoints batch =
                    BatchPoints.database(settings.database())
                            .precision(TimeUnit.MILLISECONDS)
                            .points(buffer)
                            .build();
            withRetries("write " + buffer.size() + " points", () -> influx.write(batch));
            pointsOut.inc(buffer.size());
            buffer.clear();
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

        @Override
        public void close() {
            influx.close();
        }
    }
}
