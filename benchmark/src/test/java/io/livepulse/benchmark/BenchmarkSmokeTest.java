package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.sink.InfluxSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's smoke run ({@code scripts/benchmark.sh --smoke}) on the real stack: every phase
 * runs and reports sane numbers. No timing threshold: how fast is for docs/benchmarks.md.
 */
class BenchmarkSmokeTest {
    @TempDir Path dir;

    @Test
    void everyPhaseRunsAndReportsSaneNumbers() throws Exception {
        // the TaskManager's java named, as a run on another JDK names it: this test's own, under
        // a name of its own, so the report shows the TaskManager was started as the run said
        Path taskManagerJava = dir.resolve("another-jdk/bin/java");
        Files.createDirectories(taskManagerJava.getParent());
        Files.createSymbolicLink(
                taskManagerJava, Path.of(ProcessHandle.current().info().command().orElseThrow()));
        Settings settings = Settings.smoke(dir).withTaskManagerJava(taskManagerJava.toString());
        Report report = new Benchmark(settings, line -> System.out.println("bench: " + line)).run();

        Report.Rate limit = report.limitRate();
        assertThat(limit.events()).isGreaterThan(settings.events() / 2);
        assertThat(limit.eventsPerSecond()).isPositive();
        assertThat(limit.cpuSeconds()).containsKey("benchmark (consumer)");
        assertThat(Double.parseDouble(report.consumerPerformanceFigures().get("nMsg.sec")))
                .isPositive();

        InfluxWriteLimit.Result write = report.influxWrite();
        assertThat(write.pointsPerTick())
                .as("a tick: every tier of every room and the room's own point")
                .isEqualTo(settings.rooms() * (io.livepulse.jobs.records.Group.COUNT + 1));
        assertThat(write.oneRequestMs()).hasSize(Benchmark.INFLUX_WRITE_TICKS);
        assertThat(write.atOnceMs()).hasSize(Benchmark.INFLUX_WRITE_TICKS);
        assertThat(write.requestsAtOnce())
                .isEqualTo(LiveMetricsOptions.PARALLELISM.defaultValue() * InfluxSink.LANES);

        assertThat(report.phases())
                .extracting(Report.Rate::phase)
                .containsExactly("job without Redis", "full job");
        for (Report.Rate phase : report.phases()) {
            assertThat(phase.events()).as(phase.phase()).isGreaterThan(settings.events() / 2);
            assertThat(phase.eventsPerSecond()).as(phase.phase()).isPositive();
            assertThat(phase.cpuSeconds().get("taskmanager-1")).as(phase.phase()).isPositive();
            assertThat(phase.cpuSeconds())
                    .as(phase.phase())
                    .containsKeys("kafka", "redis", "influxdb", "jobmanager");
            assertThat(phase.checkpointsFailed()).as(phase.phase()).isZero();
            assertThat(phase.eventsPerTaskManagerCoreSecond()).as(phase.phase()).isPositive();
        }

        LiveRateSearch.Result live = report.liveRate();
        assertThat(live.drainRate()).isEqualTo(report.sustainedRate("full job"));
        assertThat(live.steps()).isNotEmpty().hasSizeLessThanOrEqualTo(LiveRateSearch.MAX_STEPS);
        for (LiveRateSearch.Step step : live.steps()) {
            assertThat(step.seconds()).isPositive();
            assertThat(step.sent()).as("records sent in the step's window").isPositive();
            assertThat(step.consumedRate()).as("the rate the job took them at").isNotNegative();
            assertThat(step.coresUsed().get("taskmanager-1")).isPositive();
            assertThat(step.coresUsed().get("benchmark (producer)")).isPositive();
        }
        assertThat(live.steps())
                .extracting(LiveRateSearch.Step::targetRate)
                .contains(live.sustainedRate());
        if (live.found()) {
            assertThat(live.sustainedRate())
                    .as("the highest step that kept up")
                    .isEqualTo(
                            live.steps().stream()
                                    .filter(LiveRateSearch.Step::keptUp)
                                    .mapToDouble(LiveRateSearch.Step::targetRate)
                                    .max()
                                    .orElseThrow());
        }

        assertThat(report.latencies()).hasSize(settings.loads().size());
        for (Report.Latency l : report.latencies()) {
            assertThat(l.targetRate())
                    .as("a share of the live rate")
                    .isEqualTo(Math.max(100, l.load() * live.sustainedRate()));
            assertThat(l.warmupSeconds())
                    .as("the window never opens before the shortest warm-up")
                    .isGreaterThanOrEqualTo(settings.latencyWarmupSeconds());
            assertThat(l.measured()).isPositive();
            assertThat(l.neverVisible()).as("events whose tick never reached InfluxDB").isZero();
            assertThat(l.pendingAtWindowStart())
                    .as("backlog sampled as the window opened")
                    .isNotNegative();
            assertThat(l.pendingAtWindowEnd())
                    .as("backlog sampled as the window closed")
                    .isNotNegative();
            assertThat(l.coresUsed().get("taskmanager-1")).as("TaskManager cores").isPositive();
            assertThat(l.coresUsed().get("benchmark (producer, probe)"))
                    .as("the producer's and the probe's own cores")
                    .isPositive();
            assertThat(l.taskShares().keySet())
                    .as("Flink's busy / back-pressured / idle time of every task in the window")
                    .anyMatch(task -> task.startsWith("Viewer sessions"))
                    .anyMatch(task -> task.startsWith("Room aggregates"));
            l.taskShares()
                    .forEach(
                            (task, t) ->
                                    assertThat(t.busy() + t.backPressured() + t.idle())
                                            .as(task)
                                            .isCloseTo(
                                                    1.0,
                                                    org.assertj.core.data.Offset.offset(1e-9)));
            // Never ahead of its schedule. How close it keeps to it is the producer's pace on two
            // cores shared with the whole stack, a timing the report shows (target and sent) and
            // a test must not assert: after change 24 the smoke's faster drain asked for 30,739
            // events/s and the producer sent 26,954.
            assertThat(l.achievedRate()).isPositive().isLessThanOrEqualTo(l.targetRate() * 1.1);
            List<Long> total = List.copyOf(l.totalMs().values());
            assertThat(total).isSorted();
            assertThat(total.get(0)).isPositive();
            assertThat(l.beyondTickMs().get("p50")).isLessThanOrEqualTo(l.totalMs().get("p50"));
            assertThat(l.splitTicks()).as("measured ticks with their freshness read").isPositive();
            // each part of a tick's split is at most its time beyond the tick (HdrHistogram keeps
            // three significant digits)
            long longestBeyond = l.beyondTickMs().get("max");
            assertThat(l.tickToSnapshotMs().get("max"))
                    .isLessThanOrEqualTo(longestBeyond + longestBeyond / 100 + 1);
            assertThat(l.snapshotToVisibleMs().get("max"))
                    .isLessThanOrEqualTo(longestBeyond + longestBeyond / 100 + 1);
            assertThat(l.pollCycleMs().get("max")).as("the probe's poll cycles").isPositive();
            SlowTicks.Summary slowTicks = l.slowTicks();
            int ticks = slowTicks.groups().stream().mapToInt(SlowTicks.Group::ticks).sum();
            assertThat((long) ticks).as("measured ticks").isGreaterThanOrEqualTo(l.splitTicks());
            assertThat(Files.readAllLines(dir.resolve(l.ticksFile())))
                    .as("a row for every measured tick")
                    .hasSize(ticks + 1);
            assertThat(slowTicks.slowest()).hasSize(Math.min(ticks, SlowTicks.LISTED));
            assertThat(slowTicks.stops())
                    .as("the TaskManager's GC stops in the run, with their wall-clock times")
                    .isPositive();
            assertThat(slowTicks.checkpoints())
                    .as("the job's checkpoints, every 10 s, read through the run")
                    .isPositive();
            // the smoke run triggers them itself (Settings.smoke): where it asked, give or take
            // the REST call and the JobManager's handling of it
            long afterTick = settings.checkpointAfterTick().toMillis();
            assertThat(slowTicks.checkpointPhaseMs())
                    .as("when the paced checkpoints were triggered after a tick's end")
                    .isBetween(afterTick, afterTick + 1_000);
            assertThat(Files.readAllLines(dir.resolve("latency-checkpoints-50.csv")))
                    .as("a row for every checkpoint read")
                    .hasSize(slowTicks.checkpoints() + 1);
        }

        Report.Scale scale = report.scale();
        assertThat(scale.rooms()).isEqualTo(settings.scaleRooms());
        assertThat(scale.onlineOnBoards())
                .as("every viewer who entered is online on the boards")
                .isEqualTo(scale.viewers());
        assertThat(scale.heapUsedBytes()).isPositive().isLessThanOrEqualTo(scale.heapMaxBytes());
        assertThat(scale.liveHeapAfterFullGcBytes()).isPositive();
        assertThat(scale.liveObjectsBytes())
                .as("the class histogram's total")
                .isPositive()
                .isLessThanOrEqualTo(scale.heapMaxBytes());
        assertThat(scale.checkpointedBytes()).isPositive();
        assertThat(scale.checkpointMillis()).isPositive();
        assertThat(scale.gcPauses()).isNotNegative();
        assertThat(scale.gcPausesOverTarget()).isBetween(0, scale.gcPauses());
        assertThat(scale.gcPacing())
                .as("G1, the default, paces nothing")
                .isEqualTo(GcLog.Pacing.NONE);
        if (scale.gcPauses() > 0) {
            assertThat(scale.longestGcPauseKind()).startsWith("Pause");
        }
        assertThat(scale.liveHeapClasses())
                .as("the live heap's largest classes, from the class histogram")
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.bytes()).isPositive())
                .extracting(HeapHistogram.Entry::bytes)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(report.jmhResults())
                .extracting(Report.Jmh::benchmark)
                .containsExactlyInAnyOrder(
                        "ParseBenchmark.decode",
                        "ViewerSessionsBenchmark.updateViewerState",
                        "RoomAggregatorBenchmark.aggregateRooms");
        assertThat(report.jmhResults()).allSatisfy(j -> assertThat(j.score()).isPositive());

        assertThat(Files.readString(dir.resolve("report.md")))
                .contains("## Throughput", "## Live rate", "## Latency", "## Scale", "## JMH")
                .contains("### The slow ticks beside the TaskManager's GC stops");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(json.path("phases")).hasSize(2);
        assertThat(json.path("live_rate").path("steps")).hasSize(live.steps().size());
        assertThat(json.path("live_rate").path("steps").get(0).has("keptUp")).isTrue();
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("taskmanager_xx_options").toString())
                .as("the TaskManager's command line: Flink's flags and the stack's")
                .contains("-XX:MaxDirectMemorySize=", "-XX:MaxNewSize=128m");
        assertThat(json.path("taskmanager_jvm").asText())
                .as("the TaskManager's JVM, as it names itself, and the java the run named")
                .contains(" version " + System.getProperty("java.vm.version"))
                .endsWith(", started as " + taskManagerJava);
        assertThat(dir.resolve("work/stack/kafka")).as("the stack's data, deleted").doesNotExist();
        assertThat(dir.resolve("work/stack/influxdb")).doesNotExist();
        assertThat(dir.resolve("work/stack/logs/taskmanager-1.log"))
                .as("the stack's logs, kept")
                .exists();
    }
}
