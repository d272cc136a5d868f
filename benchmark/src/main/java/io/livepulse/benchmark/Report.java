package io.livepulse.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What a run measured, as Markdown for people ({@code report.md}, the source of
 * docs/benchmarks.md's figures) and JSON for tools ({@code report.json}, read by the smoke test).
 */
public final class Report {
    /** A drain phase: events and CPU between 10% and 90% of the topic. */
    public record Rate(
            String phase,
            long events,
            double seconds,
            double eventsPerSecond,
            Map<String, Double> cpuSeconds,
            long checkpointsCompleted,
            long checkpointsFailed) {

        /** CPU seconds per million events, by process. */
        public Map<String, Double> cpuPerMillion() {
            Map<String, Double> m = new LinkedHashMap<>();
            cpuSeconds.forEach((k, v) -> m.put(k, v / (events / 1e6)));
            return m;
        }

        /**
         * Events per CPU-second of the TaskManager: the rate one fully busy TaskManager core gives.
         */
        public double eventsPerTaskManagerCoreSecond() {
            Double tm = cpuSeconds.get("taskmanager-1");
            return tm == null || tm == 0 ? 0 : events / tm;
        }
    }

    public record Latency(
            double load,
            double targetRate,
            double achievedRate,
            long sent,
            double warmupSeconds,
            long measured,
            long neverVisible,
            long maxPendingRecords,
            long pendingAtWindowStart,
            long pendingAtWindowEnd,
            Map<String, Double> coresUsed,
            Map<String, Long> totalMs,
            Map<String, Long> beyondTickMs,
            Map<String, TaskTimes.Shares> taskShares,
            long splitTicks,
            Map<String, Long> tickToSnapshotMs,
            Map<String, Long> snapshotToVisibleMs,
            Map<String, Long> pollCycleMs,
            SlowTicks.Summary slowTicks,
            String ticksFile) {}

    /**
     * The scale phase; {@code liveHeapAfterFullGcBytes} (the collector's figure) is -1 when the GC
     * log had no line, {@code liveObjectsBytes} (the class histogram's total) when the histogram
     * had no total.
     */
    public record Scale(
            int rooms,
            int viewers,
            long onlineOnBoards,
            long heapUsedBytes,
            long liveHeapAfterFullGcBytes,
            long liveObjectsBytes,
            long heapMaxBytes,
            long checkpointedBytes,
            long stateBytes,
            long checkpointMillis,
            double longestGcPauseMs,
            String longestGcPauseKind,
            int gcPauses,
            int gcPausesOverTarget,
            GcLog.Pacing gcPacing,
            List<HeapHistogram.Entry> liveHeapClasses) {}

    public record Jmh(String benchmark, double score, double error, String unit) {}

    private final Settings settings;
    private Map<String, String> machine = Map.of();
    private List<String> taskManagerXxOptions = List.of();
    private String taskManagerJvm = "?";
    private Map<String, Integer> priorities = Map.of();
    private String influxdGoMaxProcs = "?";
    private final Map<String, Object> workload = new LinkedHashMap<>();
    private Rate limit;
    private Map<String, String> consumerPerformance = Map.of();
    private final List<Rate> phases = new ArrayList<>();
    private final Map<String, JfrSummary.Summary> profiles = new LinkedHashMap<>();
    private LiveRateSearch.Result liveRate;
    private final List<Latency> latencies = new ArrayList<>();
    private Scale scale;
    private InfluxWriteLimit.Result influxWrite;
    private List<Jmh> jmh = List.of();

    Report(Settings settings) {
        this.settings = settings;
    }

    void machine(Map<String, String> m) {
        machine = m;
    }

    /** The -XX options the TaskManager runs with: Flink's own, the stack's and the run's. */
    void taskManagerXxOptions(List<String> options) {
        taskManagerXxOptions = options;
    }

    /**
     * The TaskManager's JVM as it names itself ({@code jcmd VM.version}) and the program it was
     * started as.
     */
    void taskManagerJvm(String version) {
        taskManagerJvm = version;
    }

    /** The nice value each of the stack's processes runs at (INFLUXD_NICE for InfluxDB). */
    void priorities(Map<String, Integer> nice) {
        priorities = nice;
    }

    void workload(Workload w, long events, long spanMs) {
        workload.put("events", events);
        workload.put("rooms", w.rooms());
        workload.put("hot_room_share", w.hotShare());
        workload.put("zipf_exponent", settings.zipfExponent());
        workload.put("viewers", w.viewers());
        workload.put("event_time_span_s", spanMs / 1000);
        workload.put("seed", settings.seed());
        workload.put("watermark_delay_ms", settings.outOfOrderness().toMillis());
        workload.put("max_drift_ms", settings.maxDrift().toMillis());
        workload.put("checkpoint_interval_ms", settings.checkpointInterval().toMillis());
        workload.put(
                "latency_checkpoints",
                settings.checkpointAfterTick() == null
                        ? "Flink's schedule"
                        : "triggered "
                                + settings.checkpointAfterTick().toMillis()
                                + " ms after a tick's end");
        workload.put("state_backend", settings.stateBackend());
        workload.put("job_options", String.join(" ", settings.jobArguments()));
        workload.put("taskmanager_jvm_options", settings.taskManagerJvmOptions());
    }

    void limit(Rate r) {
        limit = r;
    }

    void influxWrite(InfluxWriteLimit.Result r) {
        influxWrite = r;
    }

    public InfluxWriteLimit.Result influxWrite() {
        return influxWrite;
    }

    void consumerPerformance(Map<String, String> figures) {
        consumerPerformance = figures;
    }

    void phase(Rate r) {
        phases.add(r);
    }

    void profile(String phase, JfrSummary.Summary summary) {
        profiles.put(phase, summary);
    }

    /**
     * @param coresUsed each process's CPU seconds during the run (warm-up and tail included) per
     *     second of it
     * @param ticksFile where every measured tick's span is, beside report.md
     */
    void latency(
            double load,
            double rate,
            LatencyProbe.Result r,
            Map<String, Double> coresUsed,
            SlowTicks.Summary slowTicks,
            String ticksFile) {
        latencies.add(
                new Latency(
                        load,
                        rate,
                        r.achievedRate(),
                        r.sent(),
                        r.warmupSeconds(),
                        r.measured(),
                        r.neverVisible(),
                        r.maxPendingRecords(),
                        r.pendingAtWindowStart(),
                        r.pendingAtWindowEnd(),
                        coresUsed,
                        percentiles(r.total()),
                        percentiles(r.beyondTick()),
                        r.taskShares(),
                        r.tickToSnapshot().getTotalCount(),
                        percentiles(r.tickToSnapshot()),
                        percentiles(r.snapshotToVisible()),
                        percentiles(r.pollCycle()),
                        slowTicks,
                        ticksFile));
    }

    void liveRate(LiveRateSearch.Result r) {
        liveRate = r;
    }

    void scale(Scale s) {
        scale = s;
    }

    void jmh(List<Jmh> results) {
        jmh = results;
    }

    public Rate limitRate() {
        return limit;
    }

    public List<Rate> phases() {
        return phases;
    }

    /** The live-rate search, or {@code null} when the latency phase did not run. */
    public LiveRateSearch.Result liveRate() {
        return liveRate;
    }

    public List<Latency> latencies() {
        return latencies;
    }

    public Scale scale() {
        return scale;
    }

    public List<Jmh> jmhResults() {
        return jmh;
    }

    public Map<String, String> consumerPerformanceFigures() {
        return consumerPerformance;
    }

    double sustainedRate(String phase) {
        return phases.stream()
                .filter(p -> p.phase().equals(phase))
                .findFirst()
                .orElseThrow()
                .eventsPerSecond();
    }

    private static String medianAndMax(List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        return String.format(
                "%,d / %,d", sorted.get((sorted.size() - 1) / 2), sorted.get(sorted.size() - 1));
    }

    private static Map<String, Long> percentiles(Histogram h) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("p50", h.getValueAtPercentile(50));
        m.put("p95", h.getValueAtPercentile(95));
        m.put("p99", h.getValueAtPercentile(99));
        m.put("p99.9", h.getValueAtPercentile(99.9));
        m.put("max", h.getMaxValue());
        return m;
    }

    /** The most cores influxd's Go runtime runs on at once (INFLUXD_GOMAXPROCS). */
    void influxdGoMaxProcs(String value) {
        influxdGoMaxProcs = value;
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("report.md"), markdown(), StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings.toString());
        json.put("machine", machine);
        json.put("workload", workload);
        json.put("taskmanager_jvm", taskManagerJvm);
        json.put("taskmanager_xx_options", taskManagerXxOptions);
        json.put("process_nice", priorities);
        json.put("influxd_gomaxprocs", influxdGoMaxProcs);
        json.put("limit", limit);
        json.put("consumer_performance", consumerPerformance);
        json.put("influx_write", influxWrite);
        json.put("phases", phases);
        json.put("live_rate", liveRate);
        json.put("latency", latencies);
        json.put("scale", scale);
        json.put("jmh", jmh);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("report.json").toFile(), json);
    }

    /**
     * The slow ticks beside the GC stops, checkpoints and InfluxDB's operations in their spans
     * ({@link SlowTicks}).
     */
    private static void slowTicks(StringBuilder md, Latency l) {
        SlowTicks.Summary st = l.slowTicks();
        md.append(
                String.format(
                        "\n### The slow ticks beside the TaskManager's GC stops, the"
                                + " checkpoints and InfluxDB's own work: latency at %.0f%%"
                                + " load\n\n"
                                + "Each measured tick's span, from its end to the poll that first"
                                + " saw its point, against the %,d GC stops of the TaskManager's"
                                + " log%s, the %d checkpoints of the job read through the"
                                + " run (%,d ms at the median, the longest %,d ms; triggered %.1f"
                                + " s after a tick's end at the median) and InfluxDB's"
                                + " %d cache snapshots and compactions (its log). Every tick is in"
                                + " `%s`.\n\n",
                        l.load() * 100,
                        st.stops(),
                        st.stops() == 0 ? " (none with a wall-clock time: no tick shows one)" : "",
                        st.checkpoints(),
                        st.checkpointP50Ms(),
                        st.checkpointMaxMs(),
                        st.checkpointPhaseMs() / 1e3,
                        st.influxOps(),
                        l.ticksFile()));
        md.append(
                "| ticks | count | beyond the tick p50 ms | GC stopped in the span p50 ms |"
                        + " share of the span p50 | a stop over "
                        + Math.round(GcLog.TARGET_MS)
                        + " ms in the span | a checkpoint in the span | InfluxDB's snapshot or"
                        + " compaction in the span |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SlowTicks.Group g : st.groups()) {
            md.append(
                    String.format(
                            "| %s | %d | %,d | %.0f | %.0f%% | %d | %d | %d |\n",
                            g.name(),
                            g.ticks(),
                            g.beyondP50Ms(),
                            g.stopMsP50(),
                            100 * g.stopShareP50(),
                            g.withLongStop(),
                            g.withCheckpoint(),
                            g.withInfluxOp()));
        }
        md.append(
                "\nThe slowest, with the stops in the span (how many, their time in it, the part"
                        + " before the snapshot, the longest), and the checkpoints and InfluxDB's"
                        + " operations in it (each with its start from the tick's end and its"
                        + " duration):\n\n"
                        + "| tick end (UTC) | room | beyond ms | until the snapshot ms |"
                        + " GC stops: n / ms / before the snapshot / longest |"
                        + " checkpoints | InfluxDB |\n|---|---:|---:|---:|---|---|---|\n");
        for (SlowTicks.Span sp : st.slowest()) {
            SlowTicks.Tick t = sp.tick();
            String cps =
                    sp.checkpoints().stream()
                            .map(
                                    c ->
                                            during(
                                                    c.status().equals("COMPLETED")
                                                            ? Long.toString(c.id())
                                                            : c.id() + " " + c.status(),
                                                    c.triggerMs(),
                                                    c.endMs(),
                                                    t))
                            .collect(Collectors.joining("; "));
            String ops =
                    sp.influxOps().stream()
                            .map(op -> during(op.kind(), op.startMs(), op.endMs(), t))
                            .collect(Collectors.joining("; "));
            md.append(
                    String.format(
                            "| %s | %d | %,d | %s | %d / %.0f / %.0f / %.0f | %s | %s |\n",
                            Instant.ofEpochMilli(t.endMs()),
                            t.room(),
                            t.beyondMs(),
                            t.untilSnapshotMs() < 0
                                    ? "not read"
                                    : String.format("%,d", t.untilSnapshotMs()),
                            sp.stops(),
                            sp.stopMs(),
                            sp.stopMsUntilSnapshot(),
                            sp.longestStopMs(),
                            cps.isEmpty() ? "none" : cps,
                            ops.isEmpty() ? "none" : ops));
        }
    }

    /** What ran in a tick's span: what it was, its start from the tick's end, its duration. */
    private static String during(String what, long startMs, long endMs, SlowTicks.Tick t) {
        return String.format(
                "%s: %+.1f s, %,d ms", what, (startMs - t.endMs()) / 1e3, endMs - startMs);
    }

    /** The report as Markdown tables. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# LivePulse benchmark report\n\n");
        md.append("Machine: ");
        machine.forEach((k, v) -> md.append(k).append(' ').append(v).append("; "));
        md.append("\n\nWorkload: ");
        workload.forEach((k, v) -> md.append(k).append(' ').append(v).append("; "));
        md.append("\n\nTaskManager's JVM: ")
                .append(taskManagerJvm)
                .append("\n\nTaskManager's -XX options (from its command line; a later one wins): ")
                .append(String.join(" ", taskManagerXxOptions))
                .append("\n\nScheduling priority (nice) of each process: ");
        priorities.forEach((k, v) -> md.append(k).append(' ').append(v).append("; "));
        md.append("\n\nInfluxDB's GOMAXPROCS (the most cores it runs on at once): ")
                .append(influxdGoMaxProcs)
                .append("\n");
        if (limit != null || !phases.isEmpty()) {
            md.append("\n## Throughput (between 10% and 90% of the pre-filled topic)\n\n");
            md.append(
                    "| phase | events/s | ratio to limit | events per TaskManager CPU-second |"
                            + " checkpoints completed / failed | CPU s per million events |\n");
            md.append("|---|---:|---:|---:|---:|---|\n");
            List<Rate> all = new ArrayList<>();
            if (limit != null) {
                all.add(limit);
            }
            all.addAll(phases);
            for (Rate r : all) {
                md.append(
                        String.format(
                                "| %s | %,.0f | %.2f | %s | %s | %s |\n",
                                r.phase(),
                                r.eventsPerSecond(),
                                limit == null ? 0 : r.eventsPerSecond() / limit.eventsPerSecond(),
                                r == limit
                                        ? "–"
                                        : String.format(
                                                "%,.0f", r.eventsPerTaskManagerCoreSecond()),
                                r == limit
                                        ? "–"
                                        : r.checkpointsCompleted() + " / " + r.checkpointsFailed(),
                                cpu(r.cpuPerMillion())));
            }
            if (!consumerPerformance.isEmpty()) {
                md.append("\nKafka ConsumerPerformance (reads only, no parsing): ")
                        .append(consumerPerformance.getOrDefault("nMsg.sec", "?"))
                        .append(" records/s, ")
                        .append(consumerPerformance.getOrDefault("MB.sec", "?"))
                        .append(" MB/s over the whole topic (fetch only: ")
                        .append(consumerPerformance.getOrDefault("fetch.nMsg.sec", "?"))
                        .append(" records/s).\n");
            }
            if (influxWrite != null) {
                md.append(
                        String.format(
                                "\nInfluxDB's write of one tick of every room (%,d rooms, %,d points,"
                                        + " the job's own points), no job running: as one request"
                                        + " %s ms, as the job's sinks send it (%d requests at"
                                        + " once, a subtask's lanes each) %s ms"
                                        + " (median and longest of %d each).\n",
                                influxWrite.rooms(),
                                influxWrite.pointsPerTick(),
                                medianAndMax(influxWrite.oneRequestMs()),
                                influxWrite.requestsAtOnce(),
                                medianAndMax(influxWrite.atOnceMs()),
                                influxWrite.oneRequestMs().size()));
            }
        }
        profiles.forEach(
                (phase, p) -> {
                    md.append("\n### Where the TaskManager's time goes: ")
                            .append(phase)
                            .append(" (JFR, ")
                            .append(p.samples())
                            .append(
                                    " samples)\n\n| part of the pipeline on the stack | share |\n|---|---:|\n");
                    p.parts()
                            .forEach(
                                    (k, v) ->
                                            md.append(
                                                    String.format(
                                                            "| %s | %.0f%% |\n",
                                                            k, 100.0 * v / p.samples())));
                    md.append("\n| method on the CPU (self) | share |\n|---|---:|\n");
                    p.topSelf()
                            .forEach(
                                    (k, v) ->
                                            md.append(
                                                    String.format(
                                                            "| `%s` | %.1f%% |\n",
                                                            k, 100.0 * v / p.samples())));
                });
        if (liveRate != null && liveRate.given()) {
            md.append(
                    String.format(
                            "\n## Live rate: given, not searched for\n\n**%,.0f events/s**"
                                    + " (--live-rate; %.2f of the full job's drain rate, %,.0f"
                                    + " events/s): the latency loads are shares of it.\n",
                            liveRate.sustainedRate(),
                            liveRate.sustainedRate() / liveRate.drainRate(),
                            liveRate.drainRate()));
        } else if (liveRate != null) {
            md.append(
                    String.format(
                            "\n## Live rate: the highest open-loop rate the full job keeps up with\n\n"
                                    + "**%,.0f events/s**%s (%.2f of the full job's drain rate,"
                                    + " %,.0f events/s): the latency loads are shares of it. Each"
                                    + " step holds an open-loop rate for %d s of warm-up and %d s"
                                    + " measured; it keeps up when the producer kept at least %.0f%%"
                                    + " of its pace, the backlog grew by at most %.0f s of its"
                                    + " traffic and no checkpoint failed.\n\n",
                            liveRate.sustainedRate(),
                            liveRate.found() ? "" : " (no step kept up: the lowest rate tried)",
                            liveRate.sustainedRate() / liveRate.drainRate(),
                            liveRate.drainRate(),
                            settings.liveWarmupSeconds(),
                            settings.liveStepSeconds(),
                            LiveRateSearch.MIN_PACE * 100,
                            LiveRateSearch.SLACK_S));
            md.append(
                    "| rate, events/s | sent events/s | taken by the job, events/s |"
                            + " backlog growth, s of traffic | checkpoints failed | kept up |"
                            + " cores used |\n|---:|---:|---:|---:|---:|---|---|\n");
            for (LiveRateSearch.Step st : liveRate.steps()) {
                md.append(
                        String.format(
                                "| %,.0f | %,.0f | %,.0f | %+.1f | %d | %s | %s |\n",
                                st.targetRate(),
                                st.sentRate(),
                                st.consumedRate(),
                                st.backlogGrowthSeconds(),
                                st.checkpointsFailed(),
                                st.keptUp() ? "yes" : "no: " + st.verdict(),
                                cpu(st.coresUsed())));
            }
        }
        if (!latencies.isEmpty()) {
            md.append(
                    "\n## Latency: event → point visible in InfluxDB (open loop, tick "
                            + Benchmark.TICK_MS / 1000
                            + " s, watermark delay "
                            + settings.outOfOrderness().toMillis()
                            + " ms, checkpoints on; each load a share of the live rate above)\n\n"
                            + "Each run is a new job. Its measured window opens once the job has"
                            + " caught up with its start (the source backlog at most a second of"
                            + " traffic), at the earliest after "
                            + settings.latencyWarmupSeconds()
                            + " s and at the latest after "
                            + LatencyProbe.MAX_WARMUP_FACTOR * settings.latencyWarmupSeconds()
                            + " s (the warm-up column), and lasts "
                            + settings.latencySeconds()
                            + " s.\n\n");
            md.append(
                    "| load | target events/s | sent events/s | warm-up s | measured events |"
                            + " never visible |"
                            + " source backlog at the window's start / end, max |"
                            + " total p50 / p95 / p99 / p99.9 / max ms |"
                            + " beyond the tick p50 / p95 / p99 / p99.9 / max ms |"
                            + " cores used |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
            for (Latency l : latencies) {
                md.append(
                        String.format(
                                "| %.0f%% | %,.0f | %,.0f | %.0f | %,d | %d | %,d / %,d, %,d | %s |"
                                        + " %s | %s |\n",
                                l.load() * 100,
                                l.targetRate(),
                                l.achievedRate(),
                                l.warmupSeconds(),
                                l.measured(),
                                l.neverVisible(),
                                l.pendingAtWindowStart(),
                                l.pendingAtWindowEnd(),
                                l.maxPendingRecords(),
                                joined(l.totalMs()),
                                joined(l.beyondTickMs()),
                                cpu(l.coresUsed())));
            }
            md.append(
                    "\nThe time beyond each probe room's measured ticks, split (per tick, not per"
                            + " event): until stage 2 made the snapshot, which is at least the"
                            + " job's freshness in the point (wall clock minus its watermark),"
                            + " and from then until the probe saw it (the sink, InfluxDB's write,"
                            + " the poll). The poll cycle is the time from one answer of the"
                            + " probe's query to the next: a point is seen at most one cycle after"
                            + " it became visible.\n\n");
            md.append(
                    "| load | ticks | until the snapshot p50 / p95 / p99 / p99.9 / max ms |"
                            + " snapshot to visible p50 / p95 / p99 / p99.9 / max ms |"
                            + " poll cycle p50 / p95 / p99 / p99.9 / max ms |\n");
            md.append("|---:|---:|---|---|---|\n");
            for (Latency l : latencies) {
                md.append(
                        String.format(
                                "| %.0f%% | %d | %s | %s | %s |\n",
                                l.load() * 100,
                                l.splitTicks(),
                                joined(l.tickToSnapshotMs()),
                                joined(l.snapshotToVisibleMs()),
                                joined(l.pollCycleMs())));
            }
            for (Latency l : latencies) {
                slowTicks(md, l);
            }
            for (Latency l : latencies) {
                if (l.taskShares().isEmpty()) {
                    continue;
                }
                md.append(
                        String.format(
                                "\n### Where each task's time goes in the window: latency at %.0f%%"
                                        + " load (Flink's busy / back-pressured / idle time)\n\n",
                                l.load() * 100));
                md.append(
                        "| task | subtasks | busy | back-pressured | idle | busiest subtask"
                                + " busy |\n|---|---:|---:|---:|---:|---:|\n");
                l.taskShares()
                        .forEach(
                                (task, t) ->
                                        md.append(
                                                String.format(
                                                        "| %s | %d | %.0f%% | %.0f%% | %.0f%% |"
                                                                + " %.0f%% |\n",
                                                        task,
                                                        t.parallelism(),
                                                        100 * t.busy(),
                                                        100 * t.backPressured(),
                                                        100 * t.idle(),
                                                        100 * t.hottest())));
            }
        }
        if (scale != null) {
            md.append("\n## Scale\n\n| figure | value |\n|---|---:|\n");
            md.append(row("rooms", String.format("%,d", scale.rooms())));
            md.append(
                    row(
                            "viewers entered (sessions in state)",
                            String.format("%,d", scale.viewers())));
            md.append(
                    row(
                            "viewers online on the boards",
                            String.format("%,d", scale.onlineOnBoards())));
            md.append(
                    row(
                            "TaskManager heap used / max",
                            mib(scale.heapUsedBytes()) + " / " + mib(scale.heapMaxBytes())));
            md.append(
                    row(
                            "live heap after a full GC",
                            scale.liveHeapAfterFullGcBytes() < 0
                                    ? "not in the GC log (see the run's output)"
                                    : mib(scale.liveHeapAfterFullGcBytes())));
            md.append(
                    row(
                            "live objects (the class histogram's total)",
                            scale.liveObjectsBytes() < 0
                                    ? "no total in the histogram"
                                    : mib(scale.liveObjectsBytes())));
            md.append(
                    row(
                            "checkpoint size (checkpointed / full state)",
                            mib(scale.checkpointedBytes()) + " / " + mib(scale.stateBytes())));
            md.append(row("checkpoint duration", scale.checkpointMillis() + " ms"));
            md.append(
                    row(
                            "longest GC pause (of " + scale.gcPauses() + ")",
                            String.format(
                                    "%.1f ms (%s)",
                                    scale.longestGcPauseMs(), scale.longestGcPauseKind())));
            md.append(
                    row(
                            String.format("GC pauses over %.0f ms", GcLog.TARGET_MS),
                            Integer.toString(scale.gcPausesOverTarget())));
            GcLog.Pacing pacing = scale.gcPacing();
            if (pacing.reports() > 0) {
                md.append(
                        row(
                                "threads paced by Shenandoah: all, in "
                                        + pacing.reports()
                                        + " cycles / one thread in one cycle at most",
                                String.format(
                                        "%,d ms / %,d ms%s",
                                        pacing.totalMs(),
                                        pacing.longestMs(),
                                        pacing.longestThread().isEmpty()
                                                ? ""
                                                : " (" + pacing.longestThread() + ")")));
            }
            md.append(
                    "\nWhat the live heap holds (jcmd GC.class_histogram after the forced full GC):"
                            + "\n\n| class | instances | MiB | bytes per viewer |\n|---|---:|---:|---:|\n");
            for (HeapHistogram.Entry c : scale.liveHeapClasses()) {
                md.append(
                        String.format(
                                "| `%s` | %,d | %s | %.1f |%n",
                                c.className(),
                                c.instances(),
                                mib(c.bytes()),
                                (double) c.bytes() / scale.viewers()));
            }
        }
        if (!jmh.isEmpty()) {
            md.append(
                    "\n## JMH: the hot functions\n\n| benchmark | score | ± | unit |\n|---|---:|---:|---|\n");
            for (Jmh j : jmh) {
                md.append(
                        String.format(
                                "| %s | %,.0f | %,.0f | %s |\n",
                                j.benchmark(), j.score(), j.error(), j.unit()));
            }
        }
        return md.toString();
    }

    private static String row(String k, String v) {
        return "| " + k + " | " + v + " |\n";
    }

    private static String mib(long bytes) {
        return String.format("%,.0f MiB", bytes / 1024.0 / 1024.0);
    }

    private static String joined(Map<String, Long> p) {
        return String.join(" / ", p.values().stream().map(v -> String.format("%,d", v)).toList());
    }

    /** One figure per process, e.g. "kafka 0.3, taskmanager-1 1.6". */
    private static String cpu(Map<String, Double> byProcess) {
        List<String> parts = new ArrayList<>();
        byProcess.forEach((k, v) -> parts.add(String.format("%s %.1f", k, v)));
        return String.join(", ", parts);
    }
}
