package io.livepulse.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Event → point-visible-in-InfluxDB latency under an open-loop load ({@link OpenLoop}: a fixed
 * rate, each event stamped with the moment it was meant to be sent); a poller asks InfluxDB every
 * {@value #POLL_MS} ms for the newest tick of the probe rooms and notes when each tick first became
 * visible. An event is visible with the first point of its tick: the tick that ends after its event
 * time. One query reads every probe room's newest point, and nothing else runs on the poller's
 * thread (the job's backlog is read on one of its own): a point is seen at most one poll cycle
 * after it became visible, and the report gives that cycle beside the latencies.
 *
 * <p>Each tick's time beyond its end is also split in two, from the point itself: its {@code
 * freshness_ms} is the wall clock minus stage 2's watermark as the snapshot was made, so the time
 * until the job made the snapshot (watermark progress, stage 1's waiting events, backlog) is at
 * least that, and the rest is the sink, InfluxDB's write and the poll.
 *
 * <p>Every measured tick is kept with those times, and the job's checkpoints are read beside them,
 * so that the slow ticks can be laid beside the checkpoints and the GC stops ({@link SlowTicks}).
 */
final class LatencyProbe {
    static final int POLL_MS = 100;

    /** How often a run tells where it is. */
    static final int PROGRESS_S = 30;

    /** The longest warm-up, as a multiple of the shortest, when the job does not catch up. */
    static final int MAX_WARMUP_FACTOR = 3;

    record Result(
            double warmupSeconds,
            Histogram total,
            Histogram beyondTick,
            long sent,
            long measured,
            long neverVisible,
            double achievedRate,
            long maxPendingRecords,
            long pendingAtWindowStart,
            long pendingAtWindowEnd,
            Map<String, TaskTimes.Shares> taskShares,
            Histogram tickToSnapshot,
            Histogram snapshotToVisible,
            Histogram pollCycle,
            List<SlowTicks.Tick> ticks,
            List<SlowTicks.Checkpoint> checkpoints) {}

    private final Workload workload;
    private final InfluxDB influx;
    private final String database;
    private final long tickMs;
    private final int[] probeRooms;
    private final Map<Integer, TreeMap<Long, Long>> visibleAt = new ConcurrentHashMap<>();

    /** The {@code freshness_ms} of each probe room's ticks seen as the newest, by tick. */
    private final Map<Integer, TreeMap<Long, Long>> freshnessAt = new ConcurrentHashMap<>();

    /** Each probe room by its name, as the query's series are tagged. */
    private final Map<String, Integer> probeRoomsByName = new HashMap<>();

    /** The one query that reads the newest point of every probe room. */
    private final Query newestPoints;

    /** The time from one poll's answer to the next one's: how late the probe can see a point. */
    private final Histogram pollCycle = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);

    LatencyProbe(
            Workload workload, InfluxDB influx, String database, long tickMs, int[] probeRooms) {
        this.workload = workload;
        this.influx = influx;
        this.database = database;
        this.tickMs = tickMs;
        this.probeRooms = probeRooms;
        StringJoiner rooms = new StringJoiner(" OR ", "(", ")");
        for (int r : probeRooms) {
            visibleAt.put(r, new TreeMap<>());
            freshnessAt.put(r, new TreeMap<>());
            probeRoomsByName.put(workload.room(r), r);
            rooms.add("\"room\"='" + workload.room(r) + "'");
        }
        // the room's point: its tiers' points of the tick are in the same write. LIMIT applies to
        // each room's series.
        this.newestPoints =
                new Query(
                        "SELECT \"online\", \"freshness_ms\" FROM \"live_room\" WHERE "
                                + rooms
                                + " AND time > now() - 10m GROUP BY \"room\""
                                + " ORDER BY time DESC LIMIT 1",
                        database);
    }

    /** Where a run is, for its progress line: warming up, measuring, or after its window. */
    static String progressLine(long start, long from, long until, long now, long backlog) {
        String where;
        if (from == Long.MAX_VALUE) {
            where = String.format("warming up, %d s", (now - start) / 1_000);
        } else if (now < until) {
            where =
                    String.format(
                            "measuring, %d of %d s", (now - from) / 1_000, (until - from) / 1_000);
        } else {
            where = "window closed, waiting for its last ticks";
        }
        return String.format("%s; backlog %,d records", where, backlog);
    }

    /** The tick whose point first shows an event of this time. */
    long tickOf(long ts) {
        return (ts / tickMs + 1) * tickMs;
    }

    /**
     * Sends at {@code rate} events/s through a warm-up (at least {@code warmupS}, until the job has
     * caught up with its start, at most {@value #MAX_WARMUP_FACTOR} times {@code warmupS}) and a
     * measured window of {@code measureS} (only events sent in it are measured), then keeps sending
     * until the last measured tick can close, then waits for it to become visible. Tells {@code
     * progress} every {@value #PROGRESS_S} s where it is and the job's backlog.
     */
    Result run(
            KafkaProducer<String, byte[]> producer,
            String topic,
            double rate,
            int warmupS,
            int measureS,
            long watermarkDelayMs,
            JobWatch job,
            Consumer<String> progress)
            throws Exception {
        long startNanos = System.nanoTime();
        long startWall = System.currentTimeMillis();
        // The window opens once the job has caught up with its own start: a new job, cold (its
        // code, its fan-tier cache, Redis lookups for every new viewer), builds a backlog in its
        // first seconds, and ticks measured while it drains are the start's, not the steady
        // state's (run L2: 28,554 records behind as a fixed 20 s warm-up ended at 50% load).
        // At the earliest after warmupS, at the latest after MAX_WARMUP_FACTOR times it.
        long earliest = startWall + warmupS * 1_000L;
        long latest = startWall + MAX_WARMUP_FACTOR * warmupS * 1_000L;
        long caughtUp = Math.max(1, (long) rate); // a second of traffic
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong measureUntil = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean polling = new AtomicBoolean(true);
        // the backlog's maximum, and its size when the measured window opens and closes: a job
        // that keeps up ends the window with about the backlog it began it with
        long[] backlog = {0, -1, -1};
        // the job's checkpoints by id: Flink's REST API keeps only the newest few
        Map<Long, SlowTicks.Checkpoint> checkpoints = new ConcurrentHashMap<>();
        Thread poller =
                new Thread(
                        () -> {
                            long lastAnswer = -1;
                            while (polling.get()) {
                                poll();
                                long answered = System.nanoTime();
                                if (lastAnswer >= 0) {
                                    pollCycle.recordValue(
                                            TimeUnit.NANOSECONDS.toMillis(answered - lastAnswer));
                                }
                                lastAnswer = answered;
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
                            }
                        },
                        "latency-poller");
        poller.setDaemon(true);
        poller.start();
        // The backlog, once a second, on a thread of its own: it takes a REST call per task and
        // subtask, which on the poller's thread held every poll back once a second (up to
        // 2026-12-04)
        Thread backlogReader =
                new Thread(
                        () -> {
                            long nextProgress = startWall + PROGRESS_S * 1_000L;
                            while (polling.get()) {
                                long p = job.pendingRecords();
                                long now = System.currentTimeMillis();
                                if (now >= nextProgress) {
                                    nextProgress += PROGRESS_S * 1_000L;
                                    progress.accept(
                                            progressLine(
                                                    startWall,
                                                    measureFrom.get(),
                                                    measureUntil.get(),
                                                    now,
                                                    p));
                                }
                                backlog[0] = Math.max(backlog[0], p);
                                if (backlog[1] < 0
                                        && now >= earliest
                                        && (p <= caughtUp || now >= latest)) {
                                    backlog[1] = p;
                                    measureUntil.set(now + measureS * 1_000L);
                                    measureFrom.set(now);
                                }
                                if (now >= measureUntil.get() && backlog[2] < 0) {
                                    backlog[2] = p;
                                }
                                // a finished checkpoint does not change: its parts are read
                                // once, while Flink still keeps its statistics
                                for (SlowTicks.Checkpoint c : job.checkpoints()) {
                                    checkpoints.computeIfAbsent(
                                            c.id(), id -> c.withLastTask(job.lastTask(id)));
                                }
                                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                            }
                        },
                        "latency-backlog");
        backlogReader.setDaemon(true);
        backlogReader.start();
        // Flink's busy / back-pressured / idle totals as the window opens and closes: read on a
        // thread of their own, as they take a REST call per subtask and must not delay the polls
        TaskTimes.Reading[] taskTimes = {TaskTimes.Reading.NONE, TaskTimes.Reading.NONE};
        Thread taskTimesReader =
                new Thread(
                        () -> {
                            try {
                                sleepUntil(measureFrom);
                                taskTimes[0] = job.taskTimes();
                                sleepUntil(measureUntil);
                                taskTimes[1] = job.taskTimes();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "latency-task-times");
        taskTimesReader.setDaemon(true);
        taskTimesReader.start();

        Workload.Stream stream = workload.stream("lat-" + (long) rate + "-", (long) rate);
        Map<Integer, LongList> intended = new TreeMap<>();
        for (int r : probeRooms) {
            intended.put(r, new LongList());
        }
        long sent =
                OpenLoop.send(
                        producer,
                        topic,
                        stream,
                        rate,
                        () -> {
                            // after the window, keep the watermark moving until the last measured
                            // tick has closed; until the window opens, its latest possible end
                            long until = measureUntil.get();
                            return tickOf(
                                            until == Long.MAX_VALUE
                                                    ? latest + measureS * 1_000L
                                                    : until)
                                    + watermarkDelayMs
                                    + 2_000;
                        },
                        (ts, rec) -> {
                            LongList probe = intended.get(rec.room());
                            if (probe != null
                                    && ts >= measureFrom.get()
                                    && ts < measureUntil.get()) {
                                probe.add(ts);
                            }
                        });
        producer.flush();
        double achieved = sent / ((System.nanoTime() - startNanos) / 1e9);
        if (measureFrom.get() == Long.MAX_VALUE) {
            polling.set(false);
            throw new IllegalStateException(
                    "the latency window never opened: the thread that opens it"
                            + " (latency-backlog) stopped; see the log above for its error");
        }

        long lastTick = tickOf(measureUntil.get() - 1);
        // the last ticks wait for the backlog to drain and for the sink to write (at the latest
        // with the next checkpoint)
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && !allVisible(lastTick)) {
            Thread.sleep(POLL_MS);
        }
        polling.set(false);
        poller.join();
        backlogReader.join();
        taskTimesReader.join();

        Histogram total = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        Histogram beyond = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        long measured = 0;
        long never = 0;
        // the ticks of each probe room that hold a measured event: the split below is theirs
        Map<Integer, Set<Long>> measuredTicks = new TreeMap<>();
        for (Map.Entry<Integer, LongList> e : intended.entrySet()) {
            TreeMap<Long, Long> seen = visibleAt.get(e.getKey());
            Set<Long> ticks = measuredTicks.computeIfAbsent(e.getKey(), r -> new HashSet<>());
            LongList times = e.getValue();
            for (int i = 0; i < times.size; i++) {
                long ts = times.values[i];
                Long at = seen.get(tickOf(ts));
                if (at == null) {
                    never++;
                    continue;
                }
                measured++;
                ticks.add(tickOf(ts));
                total.recordValue(Math.max(0, at - ts));
                beyond.recordValue(Math.max(0, at - tickOf(ts)));
            }
        }
        // per tick, not per event: each measured tick's time beyond its end, split where the
        // probe read the point's freshness. Only ticks with a measured event: a quiet probe room
        // can have none in the window's first or last tick, and a tick's split must never be
        // longer than what the events measured.
        Histogram tickToSnapshot = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        Histogram snapshotToVisible = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        List<SlowTicks.Tick> ticks = new ArrayList<>();
        for (int r : probeRooms) {
            TreeMap<Long, Long> seen = visibleAt.get(r);
            TreeMap<Long, Long> fresh = freshnessAt.get(r);
            for (long tick : measuredTicks.get(r)) {
                long at = seen.get(tick);
                long beyondTick = Math.max(0, at - tick);
                Long freshness = fresh.get(tick);
                long untilSnapshot = freshness == null ? -1 : Math.min(freshness, beyondTick);
                if (freshness != null) {
                    tickToSnapshot.recordValue(untilSnapshot);
                    snapshotToVisible.recordValue(beyondTick - untilSnapshot);
                }
                ticks.add(new SlowTicks.Tick(r, tick, at, untilSnapshot));
            }
        }
        // by end, each room's ticks in the probe rooms' order (the sort is stable)
        ticks.sort(Comparator.comparingLong(SlowTicks.Tick::endMs));
        List<SlowTicks.Checkpoint> checkpointsById =
                new ArrayList<>(new TreeMap<>(checkpoints).values());
        return new Result(
                (measureFrom.get() - startWall) / 1e3,
                total,
                beyond,
                sent,
                measured,
                never,
                achieved,
                backlog[0],
                backlog[1],
                backlog[2],
                TaskTimes.between(taskTimes[0], taskTimes[1]),
                tickToSnapshot,
                snapshotToVisible,
                pollCycle,
                ticks,
                checkpointsById);
    }

    /** Sleeps until the wall clock reaches {@code wallMillis}, which may not be known yet. */
    private static void sleepUntil(AtomicLong wallMillis) throws InterruptedException {
        long wait;
        while ((wait = wallMillis.get() - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(wait, POLL_MS));
        }
    }

    private boolean allVisible(long tick) {
        for (int r : probeRooms) {
            TreeMap<Long, Long> seen = visibleAt.get(r);
            synchronized (seen) {
                if (seen.isEmpty() || seen.lastKey() < tick) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Notes, for each probe room, the ticks that became visible since the last poll. */
    private void poll() {
        QueryResult result;
        try {
            result = influx.query(newestPoints, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return; // a slow or failed poll only delays what it would have seen
        }
        long now = System.currentTimeMillis();
        List<QueryResult.Result> results = result.getResults();
        if (results == null || results.isEmpty() || results.get(0).getSeries() == null) {
            return;
        }
        for (QueryResult.Series series : results.get(0).getSeries()) {
            Integer r =
                    series.getTags() == null
                            ? null
                            : probeRoomsByName.get(series.getTags().get("room"));
            if (r == null || series.getValues() == null || series.getValues().isEmpty()) {
                continue;
            }
            List<Object> row = series.getValues().get(0);
            long newest = ((Number) row.get(0)).longValue();
            TreeMap<Long, Long> seen = visibleAt.get(r);
            synchronized (seen) {
                long from = seen.isEmpty() ? newest : seen.lastKey() + tickMs;
                for (long t = from; t <= newest; t += tickMs) {
                    seen.putIfAbsent(t, now);
                }
                if (from <= newest && row.get(2) instanceof Number freshness) {
                    // only the newest tick's point was read: ticks it overtook have no split
                    freshnessAt.get(r).put(newest, freshness.longValue());
                }
            }
        }
    }

    /** What the probe reads from the job under test besides the boards. */
    interface JobWatch {
        /** The job's Kafka source backlog (Flink's pendingRecords, summed over the readers). */
        long pendingRecords();

        /** Flink's busy / back-pressured / idle totals of every task. */
        TaskTimes.Reading taskTimes();

        /** The job's newest finished checkpoints (none if they cannot be read). */
        List<SlowTicks.Checkpoint> checkpoints();

        /**
         * The task that acknowledged a finished checkpoint last, and its parts of it ({@link
         * SlowTicks.TaskParts#UNKNOWN} if they cannot be read).
         */
        SlowTicks.TaskParts lastTask(long checkpointId);
    }

    /** A growable array of longs: a million measured events must not become a million Longs. */
    static final class LongList {
        long[] values = new long[1024];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
