package io.livepulse.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.ToLongFunction;

/**
 * Each measured tick's time beyond its end, laid beside what else happened in that span: the
 * TaskManager's GC stops (its GC log, with wall-clock times), the job's checkpoints (Flink's REST
 * API) and InfluxDB's cache snapshots and compactions (its log, {@link InfluxLog}). The open-loop
 * producer stamps each event with the wall-clock moment it was meant to be sent, so a tick's end is
 * a wall-clock moment too, and its span runs from there to the poll that first saw its point. The
 * ticks over the design's bound ({@value #SLOW_MS} ms) are set against the rest: whether they held
 * more stopped time, a longer stop, a checkpoint or InfluxDB's own work more often, says what to
 * shorten first.
 */
final class SlowTicks {
    /** The design's bound on the time beyond the tick (shared/design.md). */
    static final long SLOW_MS = 1_000;

    /** How many of the slowest ticks the report lists. */
    static final int LISTED = 10;

    /**
     * A measured tick of a probe room.
     *
     * @param endMs its end, event time and wall clock alike
     * @param visibleMs when the probe first saw its point
     * @param untilSnapshotMs the part of the span until stage 2 made the snapshot, -1 if the probe
     *     did not read the point's freshness (it was overtaken by a newer one)
     */
    record Tick(int room, long endMs, long visibleMs, long untilSnapshotMs) {
        long beyondMs() {
            return Math.max(0, visibleMs - endMs);
        }
    }

    /**
     * One of the job's checkpoints, from its trigger to its last acknowledgement.
     *
     * @param status Flink's: COMPLETED or FAILED (one still running has no end yet and is not kept)
     * @param lastTask the task that acknowledged it last, and how ({@link TaskParts#UNKNOWN} if not
     *     read)
     */
    record Checkpoint(long id, long triggerMs, long endMs, String status, TaskParts lastTask) {
        Checkpoint(long id, long triggerMs, long endMs, String status) {
            this(id, triggerMs, endMs, status, TaskParts.UNKNOWN);
        }

        Checkpoint withLastTask(TaskParts task) {
            return new Checkpoint(id, triggerMs, endMs, status, task);
        }

        long durationMs() {
            return endMs - triggerMs;
        }

        /** When it was triggered after the end of a tick (ticks aligned to the epoch). */
        long afterTickMs(long tickMs) {
            return Math.floorMod(triggerMs, tickMs);
        }
    }

    /**
     * Where a task's part of a checkpoint went, each the largest over its subtasks (Flink's
     * checkpoint statistics): a long synchronous part stopped the task's thread; a long
     * asynchronous part ran beside it (the state written out); a long alignment held the inputs
     * whose barrier came first; a long start delay is the barrier queued behind records in flight,
     * the task behind its input.
     *
     * @param task the task's name, as Flink shows it
     */
    record TaskParts(String task, long syncMs, long asyncMs, long alignmentMs, long startDelayMs) {
        static final TaskParts UNKNOWN = new TaskParts("", -1, -1, -1, -1);
    }

    /**
     * A tick and what its span held.
     *
     * @param stopMs the GC stops' time inside the span
     * @param stopMsUntilSnapshot the part of it before the snapshot (0 without a split)
     * @param longestStopMs the longest stop reaching into the span
     * @param influxOps InfluxDB's cache snapshots and compactions that overlapped the span
     */
    record Span(
            Tick tick,
            int stops,
            double stopMs,
            double stopMsUntilSnapshot,
            double longestStopMs,
            List<Checkpoint> checkpoints,
            List<InfluxLog.Op> influxOps) {}

    /**
     * The ticks of one group (over the bound, or not), by their medians.
     *
     * @param withLongStop ticks whose span a stop over {@link GcLog#TARGET_MS} reached into
     * @param withCheckpoint ticks whose span a checkpoint overlapped
     * @param withInfluxOp ticks whose span a cache snapshot or compaction of InfluxDB overlapped
     */
    record Group(
            String name,
            int ticks,
            long beyondP50Ms,
            double stopMsP50,
            double stopShareP50,
            int withLongStop,
            int withCheckpoint,
            int withInfluxOp) {}

    /**
     * @param stops the GC stops read (0: the log had none with wall-clock times, so no tick shows
     *     one)
     * @param checkpoints the checkpoints read
     * @param checkpointP50Ms their duration at the median (0 without one)
     * @param checkpointMaxMs the longest's
     * @param checkpointPhaseMs when they were triggered, after a tick's end, at the median: with an
     *     interval that is a multiple of the tick, Flink keeps the phase its first one drew
     * @param influxOps InfluxDB's cache snapshots and compactions read
     * @param slowest the {@value #LISTED} slowest ticks, slowest first
     */
    record Summary(
            int stops,
            int checkpoints,
            long checkpointP50Ms,
            long checkpointMaxMs,
            long checkpointPhaseMs,
            int influxOps,
            List<Group> groups,
            List<Span> slowest) {}

    private SlowTicks() {}

    /** Each tick's span with what happened inside it, in the ticks' order. */
    static List<Span> spans(
            List<Tick> ticks,
            List<GcLog.Stop> stops,
            List<Checkpoint> checkpoints,
            List<InfluxLog.Op> influxOps) {
        List<Span> spans = new ArrayList<>();
        for (Tick t : ticks) {
            long snapshotAt = t.untilSnapshotMs() < 0 ? t.endMs() : t.endMs() + t.untilSnapshotMs();
            int n = 0;
            double inSpan = 0;
            double untilSnapshot = 0;
            double longest = 0;
            for (GcLog.Stop s : stops) {
                long overlap = overlap(s.startMs(), s.endMs(), t.endMs(), t.visibleMs());
                if (overlap > 0) {
                    n++;
                    inSpan += overlap;
                    untilSnapshot += overlap(s.startMs(), s.endMs(), t.endMs(), snapshotAt);
                    longest = Math.max(longest, s.ms());
                }
            }
            List<Checkpoint> during =
                    overlapping(
                            checkpoints,
                            Checkpoint::triggerMs,
                            Checkpoint::endMs,
                            t.endMs(),
                            t.visibleMs());
            List<InfluxLog.Op> influx =
                    overlapping(
                            influxOps,
                            InfluxLog.Op::startMs,
                            InfluxLog.Op::endMs,
                            t.endMs(),
                            t.visibleMs());
            spans.add(new Span(t, n, inSpan, untilSnapshot, longest, during, influx));
        }
        return spans;
    }

    static Summary summarize(
            List<Span> spans, int stops, List<Checkpoint> checkpoints, int influxOps, long tickMs) {
        long[] durations =
                checkpoints.stream().mapToLong(Checkpoint::durationMs).sorted().toArray();
        long[] phases =
                checkpoints.stream().mapToLong(c -> c.afterTickMs(tickMs)).sorted().toArray();
        List<Span> slow = new ArrayList<>();
        List<Span> rest = new ArrayList<>();
        for (Span s : spans) {
            (s.tick().beyondMs() > SLOW_MS ? slow : rest).add(s);
        }
        List<Span> slowest =
                spans.stream()
                        .sorted(
                                Comparator.comparingLong((Span s) -> s.tick().beyondMs())
                                        .reversed())
                        .limit(LISTED)
                        .toList();
        return new Summary(
                stops,
                checkpoints.size(),
                durations.length == 0 ? 0 : durations[durations.length / 2],
                durations.length == 0 ? 0 : durations[durations.length - 1],
                phases.length == 0 ? 0 : phases[phases.length / 2],
                influxOps,
                List.of(
                        group("over " + SLOW_MS + " ms beyond the tick", slow),
                        group("the rest", rest)),
                slowest);
    }

    private static Group group(String name, List<Span> spans) {
        int n = spans.size();
        long[] beyond = new long[n];
        double[] stopMs = new double[n];
        double[] share = new double[n];
        int longStop = 0;
        int checkpoint = 0;
        int influx = 0;
        for (int i = 0; i < n; i++) {
            Span s = spans.get(i);
            beyond[i] = s.tick().beyondMs();
            stopMs[i] = s.stopMs();
            share[i] = beyond[i] == 0 ? 0 : s.stopMs() / beyond[i];
            if (s.longestStopMs() > GcLog.TARGET_MS) {
                longStop++;
            }
            if (!s.checkpoints().isEmpty()) {
                checkpoint++;
            }
            if (!s.influxOps().isEmpty()) {
                influx++;
            }
        }
        Arrays.sort(beyond);
        Arrays.sort(stopMs);
        Arrays.sort(share);
        return new Group(
                name,
                n,
                n == 0 ? 0 : beyond[n / 2],
                n == 0 ? 0 : stopMs[n / 2],
                n == 0 ? 0 : share[n / 2],
                longStop,
                checkpoint,
                influx);
    }

    /** The items whose interval shares some time with {@code fromMs} to {@code toMs}. */
    static <T> List<T> overlapping(
            List<T> items,
            ToLongFunction<T> startMs,
            ToLongFunction<T> endMs,
            long fromMs,
            long toMs) {
        return items.stream()
                .filter(
                        i ->
                                overlap(startMs.applyAsLong(i), endMs.applyAsLong(i), fromMs, toMs)
                                        > 0)
                .toList();
    }

    /** The milliseconds two intervals share. */
    static long overlap(long from1, long to1, long from2, long to2) {
        return Math.max(0, Math.min(to1, to2) - Math.max(from1, from2));
    }

    /**
     * The finished checkpoints in a reply of Flink's {@code /jobs/:id/checkpoints} (its {@code
     * history} keeps the newest few, so the probe reads it every second and keeps them all).
     */
    static List<Checkpoint> checkpointsIn(JsonNode reply) {
        List<Checkpoint> found = new ArrayList<>();
        for (JsonNode c : reply.path("history")) {
            String status = c.path("status").asText();
            long trigger = c.path("trigger_timestamp").asLong(-1);
            long end = c.path("latest_ack_timestamp").asLong(-1);
            if (!status.equals("IN_PROGRESS") && trigger > 0 && end >= trigger) {
                found.add(new Checkpoint(c.path("id").asLong(), trigger, end, status));
            }
        }
        return found;
    }

    /**
     * The id of the task that acknowledged a checkpoint last, from Flink's {@code
     * /jobs/:id/checkpoints/details/:checkpoint}; {@code null} if it lists none.
     */
    static String lastTaskIn(JsonNode details) {
        String last = null;
        long latest = Long.MIN_VALUE;
        for (var task : details.path("tasks").properties()) {
            long ack = task.getValue().path("latest_ack_timestamp").asLong(-1);
            if (ack > latest) {
                latest = ack;
                last = task.getKey();
            }
        }
        return last;
    }

    /**
     * A task's parts of a checkpoint from Flink's {@code
     * /jobs/:id/checkpoints/details/:checkpoint/subtasks/:task}: the largest of each over its
     * subtasks.
     */
    static TaskParts taskPartsIn(String task, JsonNode subtasks) {
        JsonNode summary = subtasks.path("summary");
        return new TaskParts(
                task,
                max(summary.path("checkpoint_duration").path("sync")),
                max(summary.path("checkpoint_duration").path("async")),
                max(summary.path("alignment").path("duration")),
                max(summary.path("start_delay")));
    }

    private static long max(JsonNode statistics) {
        return statistics.path("max").asLong(-1);
    }

    /**
     * Every tick's span as CSV, one row a tick in the ticks' order, for laying beside other logs.
     */
    static void writeCsv(List<Span> spans, Path file) throws IOException {
        StringBuilder csv =
                new StringBuilder(
                        "room,tick_end,tick_end_ms,beyond_ms,until_snapshot_ms,gc_stops,"
                                + "gc_stop_ms,gc_stop_ms_until_snapshot,longest_gc_stop_ms,"
                                + "checkpoints,influxdb_ops\n");
        for (Span s : spans) {
            Tick t = s.tick();
            StringJoiner ids = new StringJoiner(" ");
            s.checkpoints().forEach(c -> ids.add(Long.toString(c.id())));
            StringJoiner ops = new StringJoiner("; ");
            s.influxOps().forEach(op -> ops.add(op.kind()));
            csv.append(
                    String.format(
                            "%d,%s,%d,%d,%d,%d,%.0f,%.0f,%.0f,%s,%s\n",
                            t.room(),
                            Instant.ofEpochMilli(t.endMs()),
                            t.endMs(),
                            t.beyondMs(),
                            t.untilSnapshotMs(),
                            s.stops(),
                            s.stopMs(),
                            s.stopMsUntilSnapshot(),
                            s.longestStopMs(),
                            ids,
                            ops));
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    /**
     * The checkpoints read as CSV, one row each in trigger order, with when each was triggered
     * after a tick's end: one off the others' phase is one Flink triggered on its own.
     */
    static void writeCheckpointsCsv(List<Checkpoint> checkpoints, long tickMs, Path file)
            throws IOException {
        StringBuilder csv =
                new StringBuilder(
                        "id,trigger,trigger_ms,after_tick_ms,duration_ms,status,last_task,"
                                + "last_task_sync_ms,last_task_async_ms,last_task_alignment_ms,"
                                + "last_task_start_delay_ms\n");
        checkpoints.stream()
                .sorted(Comparator.comparingLong(Checkpoint::triggerMs))
                .forEach(
                        c -> {
                            TaskParts t = c.lastTask();
                            csv.append(
                                    String.format(
                                            "%d,%s,%d,%d,%d,%s,\"%s\",%d,%d,%d,%d\n",
                                            c.id(),
                                            Instant.ofEpochMilli(c.triggerMs()),
                                            c.triggerMs(),
                                            c.afterTickMs(tickMs),
                                            c.durationMs(),
                                            c.status(),
                                            t.task().replace("\"", "\"\""),
                                            t.syncMs(),
                                            t.asyncMs(),
                                            t.alignmentMs(),
                                            t.startDelayMs()));
                        });
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }
}
