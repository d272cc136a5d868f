package io.livepulse.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scripts/benchmark.sh}: one run of every phase, the report in {@code --out}. */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the LivePulse benchmark on the native stack (scripts/stack.sh, on free ports):"
                    + " throughput against the physical limit, open-loop latency, scale, JMH."
                    + " Writes report.md and report.json to --out (docs/benchmarks.md)."
        })
public final class BenchmarkCli implements Callable<Integer> {
    /**
     * The clock of each progress line. Always with seconds: {@code LocalTime.toString} drops them
     * at a whole minute ({@code 21:18} between {@code 21:17:30} and {@code 21:18:31}).
     */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--smoke", description = "A small, quick run (what the test suite runs).")
    boolean smoke;

    @Option(names = "--out", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target", "benchmark");

    @Option(names = "--events", description = "Records pre-filled into the throughput topic.")
    Long events;

    @Option(names = "--rooms", description = "Rooms in the throughput and latency workload.")
    Integer rooms;

    @Option(names = "--hot-share", description = "Share of the events in the hot room.")
    Double hotShare;

    @Option(names = "--viewers", description = "Viewers in the throughput workload.")
    Integer viewers;

    @Option(names = "--seed", description = "Workload seed.")
    Long seed;

    @Option(names = "--latency-seconds", description = "Measured seconds per latency run.")
    Integer latencySeconds;

    @Option(
            names = "--live-step-seconds",
            description =
                    "Measured seconds of each step of the search for the highest open-loop rate the full job keeps up with (the loads are shares of it), after a warm-up of a third of it.")
    Integer liveStepSeconds;

    @Option(
            names = "--loads",
            split = ",",
            description =
                    "Open-loop rates as shares of the highest rate the full job kept up with live, e.g. 0.5,0.8.")
    List<Double> loads;

    @Option(
            names = "--live-rate",
            description =
                    "The rate, events/s, the loads are shares of, instead of searching for the highest rate the full job keeps up with: to compare two runs (a setting on and off) at the same open-loop rates. Default 0: search.")
    Double liveRate;

    @Option(
            names = "--watermark-delay-ms",
            description =
                    "Every job's watermark delay (--watermark.out-of-orderness), ms: how long each event waits in state for the watermark (default 200).")
    Long watermarkDelayMs;

    @Option(
            names = "--max-drift-ms",
            description =
                    "Every job's watermark alignment (--watermark.max-drift), ms: how far a partition may run ahead of the slowest in event time (default 5000: at 1000 the live sources sat paused most of each latency run, docs/benchmarks.md runs Q to T; 0: off).")
    Long maxDriftMs;

    @Option(
            names = "--checkpoint-interval-ms",
            description =
                    "Every job's checkpoint interval (--checkpoint.interval), ms (default 10000, the job's): a checkpoint runs through the ticks whose snapshot it overlaps, so a run may compare another.")
    Long checkpointIntervalMs;

    @Option(
            names = "--checkpoint-after-tick-ms",
            description =
                    "Trigger the latency jobs' checkpoints from the benchmark (Flink's REST API), this many ms after a tick's end, every --checkpoint-interval-ms (then a multiple of the 5000 ms tick), instead of Flink's own schedule, whose phase to the ticks is random per job; Flink's own checkpoints then wait two intervals after the last one completed, a fallback should the triggering stop. Default: Flink's schedule (--smoke: 1500).")
    Long checkpointAfterTickMs;

    @Option(names = "--scale-rooms", description = "Rooms in the scale phase.")
    Integer scaleRooms;

    @Option(names = "--scale-viewers", description = "Viewers in state in the scale phase.")
    Integer scaleViewers;

    @Option(names = "--taskmanager-memory", description = "TaskManager process size, e.g. 6g.")
    String taskManagerMemory;

    @Option(
            names = "--taskmanager-jvm-options",
            description =
                    "Extra JVM flags for the TaskManager, e.g. \"-XX:+UseZGC\" or \"-XX:MaxGCPauseMillis=100\" (GC tuning against the scale phase's pauses).")
    String taskManagerJvmOptions;

    @Option(
            names = "--taskmanager-java",
            description =
                    "The java that runs the TaskManager (default: the one on the PATH), e.g. a newer JDK's bin/java for its collectors and compact object headers.")
    String taskManagerJava;

    @Option(
            names = "--state-backend",
            description =
                    "The cluster's state backend: hashmap (default; a full copy at each checkpoint), rocksdb (incremental checkpoints) or changelog (hashmap, checkpoints write only the changes).")
    String stateBackend;

    @Option(
            names = "--job-option",
            description =
                    "An option of the live metrics job for every job of the run, key=value without the leading --, e.g. --job-option dedupe.horizon=1min (repeatable): to compare one of the job's settings.")
    List<String> jobOptions;

    @Option(
            names = "--profile",
            negatable = true,
            description =
                    "JFR on the TaskManager in the job phases (default: on, off with --smoke).")
    Boolean profile;

    @Option(names = "--jmh-iterations", description = "JMH measurement iterations (0: no JMH).")
    Integer jmhIterations;

    @Option(
            names = "--phases",
            split = ",",
            description =
                    "The stack's phases to run, of ${COMPLETION-CANDIDATES} (default: all); LATENCY needs THROUGHPUT. E.g. --phases scale to rerun the scale phase alone.")
    Set<Settings.Phase> phases;

    public static void main(String[] args) {
        System.exit(
                new CommandLine(new BenchmarkCli())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings d = smoke ? Settings.smoke(out) : Settings.full(out);
        Settings s =
                new Settings(
                        pick(events, d.events()),
                        pick(rooms, d.rooms()),
                        pick(hotShare, d.hotShare()),
                        d.zipfExponent(),
                        pick(viewers, d.viewers()),
                        pick(seed, d.seed()),
                        d.eventTimeRate(),
                        pick(latencySeconds, d.latencySeconds()),
                        pick(liveStepSeconds, d.liveStepSeconds()),
                        pick(loads, d.loads()),
                        pick(liveRate, d.liveRate()),
                        watermarkDelayMs == null
                                ? d.outOfOrderness()
                                : Duration.ofMillis(watermarkDelayMs),
                        maxDriftMs == null ? d.maxDrift() : Duration.ofMillis(maxDriftMs),
                        checkpointIntervalMs == null
                                ? d.checkpointInterval()
                                : Duration.ofMillis(checkpointIntervalMs),
                        checkpointAfterTickMs == null
                                ? d.checkpointAfterTick()
                                : Duration.ofMillis(checkpointAfterTickMs),
                        pick(scaleRooms, d.scaleRooms()),
                        pick(scaleViewers, d.scaleViewers()),
                        pick(taskManagerMemory, d.taskManagerMemory()),
                        pick(taskManagerJvmOptions, d.taskManagerJvmOptions()),
                        pick(taskManagerJava, d.taskManagerJava()),
                        d.drainPoll(),
                        pick(stateBackend, d.stateBackend()),
                        jobOptions == null ? d.jobOptions() : List.copyOf(jobOptions),
                        pick(profile, d.profile()),
                        pick(jmhIterations, d.jmhIterations()),
                        phases == null ? d.phases() : EnumSet.copyOf(phases),
                        out.toAbsolutePath());
        try {
            s.validate();
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            return 2;
        }
        long t0 = System.nanoTime();
        Report report =
                new Benchmark(
                                s,
                                line ->
                                        System.out.println(
                                                CLOCK.format(LocalTime.now()) + " " + line))
                        .run();
        System.out.println();
        System.out.println(report.markdown());
        System.out.printf(
                "benchmark: done in %s; report in %s%n",
                Duration.ofNanos(System.nanoTime() - t0).truncatedTo(ChronoUnit.SECONDS),
                s.out().resolve("report.md"));
        return 0;
    }

    private static <T> T pick(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
