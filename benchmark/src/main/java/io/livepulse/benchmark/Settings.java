package io.livepulse.benchmark;

import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.pacer.CheckpointPacer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run does (docs/benchmarks.md). {@link #full} is the documented run; {@link
 * #smoke} the small one the test suite runs to check that every phase works and reports sane
 * numbers.
 *
 * @param events records pre-filled into the throughput topic
 * @param eventTimeRate events per second of event time in the pre-filled topic (ticks per room
 *     follow from it)
 * @param latencySeconds how long each open-loop latency run measures, after a warm-up of at least a
 *     third of it that lasts until the job has caught up with its start
 * @param liveStepSeconds the measured window of each step of the live-rate search ({@link
 *     LiveRateSearch}), after a warm-up of a third of it
 * @param loads the open-loop rates, as shares of the highest rate the full job kept up with live
 *     (the live-rate search)
 * @param liveRate the rate the loads are shares of, given instead of searched for (0: search): two
 *     runs compared at the same open-loop rates, which a search in another hour would not give
 * @param outOfOrderness the watermark delay of every job of the run ({@code
 *     --watermark.out-of-orderness}): how long each event waits in the job's state for the
 *     watermark; the workload's events are in order within each partition
 * @param maxDrift the watermark alignment of every job of the run ({@code --watermark.max-drift}):
 *     how far in event time a partition may run ahead of the slowest before it is paused (5 s: with
 *     1 s, compared every second, the live sources sat paused most of a latency run)
 * @param checkpointInterval every job's checkpoint interval ({@code --checkpoint.interval}; the
 *     job's default, 10 s, unless a run compares another): a checkpoint runs through every tick
 *     whose snapshot it overlaps (docs/benchmarks.md, runs K13 and K14)
 * @param checkpointAfterTick null: the latency jobs' checkpoints come on Flink's own schedule, at a
 *     phase to the ticks it draws at random per job; else the benchmark triggers them itself
 *     ({@link io.livepulse.jobs.pacer.CheckpointPacer}) this long after a tick's end, every {@code
 *     checkpointInterval} (a multiple of the tick, so that every one comes at the same point of a
 *     tick)
 * @param drainPoll how often a drain reads the job's progress: the window's resolution (Flink's
 *     REST metrics refresh every second on the stack); the REST calls cost the JobManager CPU
 * @param taskManagerJvmOptions extra JVM flags for the TaskManager (a collector, its tuning), after
 *     the GC log's
 * @param taskManagerJava the {@code java} that runs the TaskManager (empty: the stack's, the one on
 *     the PATH): another JDK's collectors and object layout (docs/benchmarks.md, runs JD1 to JD4)
 * @param stateBackend the cluster's state backend: hashmap (full copies at each checkpoint),
 *     rocksdb (incremental checkpoints) or changelog (hashmap whose checkpoints write the state
 *     changelog, the changes since the last one)
 * @param jobOptions options of the live metrics job, {@code key=value}, given to every job of the
 *     run as {@code --key value} (e.g. {@code dedupe.horizon=1min}): a run that compares one of the
 *     job's settings; those the benchmark sets itself have flags of their own ({@link
 *     #SET_BY_THE_BENCHMARK})
 * @param profile JFR on the TaskManager in the job phases
 * @param jmhIterations measurement iterations per JMH benchmark (0: no JMH)
 * @param phases the phases this run measures, in their fixed order (all by default; one alone
 *     reruns it faster, e.g. the scale phase under another collector)
 */
public record Settings(
        long events,
        int rooms,
        double hotShare,
        double zipfExponent,
        int viewers,
        long seed,
        double eventTimeRate,
        int latencySeconds,
        int liveStepSeconds,
        List<Double> loads,
        double liveRate,
        Duration outOfOrderness,
        Duration maxDrift,
        Duration checkpointInterval,
        Duration checkpointAfterTick,
        int scaleRooms,
        int scaleViewers,
        String taskManagerMemory,
        String taskManagerJvmOptions,
        String taskManagerJava,
        Duration drainPoll,
        String stateBackend,
        List<String> jobOptions,
        boolean profile,
        int jmhIterations,
        Set<Phase> phases,
        Path out) {

    /**
     * The stack's phases, run in this order. JMH runs apart, after them ({@code jmhIterations}).
     */
    public enum Phase {
        /** The bare consumer, the job without Redis and the full job, each draining the topic. */
        THROUGHPUT,
        /**
         * The highest open-loop rate the full job keeps up with, then open-loop runs at shares of
         * it.
         */
        LATENCY,
        /** 10,000 rooms and 1,000,000 viewers in state: heap, checkpoint, GC pauses. */
        SCALE
    }

    /**
     * The job's options the benchmark sets for every job itself, each from a setting of its own:
     * not accepted among {@link #jobOptions}.
     */
    public static final Map<String, String> SET_BY_THE_BENCHMARK =
            Map.of(
                    "kafka.topic", "the benchmark's topics",
                    "kafka.group-id", "the benchmark's consumer groups",
                    "watermark.out-of-orderness", "--watermark-delay-ms",
                    "watermark.max-drift", "--max-drift-ms",
                    "checkpoint.interval", "--checkpoint-interval-ms");

    /** The job's arguments of {@link #jobOptions}: {@code --key value} for each. */
    public List<String> jobArguments() {
        List<String> args = new ArrayList<>();
        for (String option : jobOptions) {
            args.add("--" + jobOptionKey(option));
            args.add(option.substring(option.indexOf('=') + 1).trim());
        }
        return args;
    }

    /** The key of a {@code key=value} job option. */
    static String jobOptionKey(String option) {
        return option.substring(0, option.indexOf('=')).trim();
    }

    /** Every phase. */
    public static final Set<Phase> ALL_PHASES =
            Collections.unmodifiableSet(EnumSet.allOf(Phase.class));

    public static Settings full(Path out) {
        return new Settings(
                3_000_000,
                1_000,
                0.35,
                1.0,
                200_000,
                7,
                100_000,
                60,
                30,
                List.of(0.5, 0.8),
                0,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                null,
                10_000,
                1_000_000,
                "6g",
                "",
                "",
                Duration.ofSeconds(2),
                "hashmap",
                List.of(),
                true,
                5,
                ALL_PHASES,
                out);
    }

    public static Settings smoke(Path out) {
        return new Settings(
                // enough that a drain lasts many polls: the window must hold most of the topic
                500_000,
                100,
                0.35,
                1.0,
                10_000,
                7,
                20_000,
                12,
                6,
                List.of(0.5),
                0,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                // paced, so that the suite runs the benchmark's own triggering for real
                Duration.ofMillis(1_500),
                500,
                20_000,
                "1280m",
                "",
                "",
                Duration.ofSeconds(1),
                "hashmap",
                List.of(),
                false,
                1,
                ALL_PHASES,
                out);
    }

    /** The same run with the TaskManager on another {@code java}. */
    public Settings withTaskManagerJava(String java) {
        return new Settings(
                events,
                rooms,
                hotShare,
                zipfExponent,
                viewers,
                seed,
                eventTimeRate,
                latencySeconds,
                liveStepSeconds,
                loads,
                liveRate,
                outOfOrderness,
                maxDrift,
                checkpointInterval,
                checkpointAfterTick,
                scaleRooms,
                scaleViewers,
                taskManagerMemory,
                taskManagerJvmOptions,
                java,
                drainPoll,
                stateBackend,
                jobOptions,
                profile,
                jmhIterations,
                phases,
                out);
    }

    /** The shortest warm-up of a latency run (it lasts until the job caught up with its start). */
    public int latencyWarmupSeconds() {
        return Math.max(2, latencySeconds / 3);
    }

    /** The warm-up of each step of the live-rate search, before its measured window. */
    public int liveWarmupSeconds() {
        return Math.max(2, liveStepSeconds / 3);
    }

    /** A rejection that names the bad setting. */
    public void validate() {
        require(events >= 10_000, "--events must be at least 10000");
        require(rooms >= 2 && scaleRooms >= 2, "--rooms and --scale-rooms must be at least 2");
        require(hotShare > 0 && hotShare < 1, "--hot-share must be in (0, 1)");
        require(viewers >= rooms && scaleViewers >= scaleRooms, "every room needs a viewer");
        require(eventTimeRate > 0, "--event-time-rate must be positive");
        require(latencySeconds >= 6, "--latency-seconds must be at least 6");
        require(liveStepSeconds >= 3, "--live-step-seconds must be at least 3");
        require(liveRate >= 0, "--live-rate must not be negative (0: search for it)");
        require(!outOfOrderness.isNegative(), "--watermark-delay-ms must not be negative");
        require(
                !maxDrift.isNegative(),
                "--max-drift-ms must not be negative (0: partitions not aligned)");
        require(
                checkpointInterval.toMillis() >= 100,
                "--checkpoint-interval-ms must be at least 100 (the job's own bound)");
        if (checkpointAfterTick != null) {
            CheckpointPacer.scheduleProblem(
                            Benchmark.TICK_MS,
                            checkpointInterval.toMillis(),
                            checkpointAfterTick.toMillis())
                    .ifPresent(
                            problem ->
                                    require(
                                            false,
                                            "--checkpoint-interval-ms, --checkpoint-after-tick-ms: "
                                                    + problem));
        }
        require(
                taskManagerJava.isEmpty() || Files.isExecutable(Path.of(taskManagerJava)),
                "--taskmanager-java must name a java program that can be run; nothing executable"
                        + " at "
                        + taskManagerJava
                        + " (a JDK's bin/java, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)");
        require(
                List.of("hashmap", "rocksdb", "changelog").contains(stateBackend),
                "--state-backend must be hashmap, rocksdb or changelog");
        require(
                !loads.isEmpty() && loads.stream().allMatch(l -> l > 0 && l <= 1),
                "--loads must be shares in (0, 1]");
        for (String option : jobOptions) {
            int at = option.indexOf('=');
            require(
                    at > 0 && at < option.length() - 1,
                    "--job-option must be key=value, a live metrics job option without its"
                            + " leading --, e.g. dedupe.horizon=1min; got '"
                            + option
                            + "'");
            String key = jobOptionKey(option);
            require(
                    !SET_BY_THE_BENCHMARK.containsKey(key),
                    "--job-option "
                            + key
                            + " is set by the benchmark itself: use "
                            + SET_BY_THE_BENCHMARK.get(key));
        }
        try { // the job's own checks, before the stack starts rather than at the first submission
            LiveMetricsOptions.parse(jobArguments().toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            require(false, "--job-option: " + e.getMessage());
        }
        require(!phases.isEmpty(), "--phases must name at least one of " + ALL_PHASES);
        require(
                !phases.contains(Phase.LATENCY) || phases.contains(Phase.THROUGHPUT),
                "--phases LATENCY needs THROUGHPUT too: its search for the live rate starts from"
                        + " the full job's drain rate, which the throughput phase measures");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
