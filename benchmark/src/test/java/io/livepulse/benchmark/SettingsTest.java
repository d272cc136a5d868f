package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a run may be asked to do, and how a phase run alone is reported. */
class SettingsTest {
    private static final Path OUT = Path.of("target", "settings-test");

    private static Settings withPhases(Set<Settings.Phase> phases) {
        return with(phases, Settings.full(OUT).liveRate());
    }

    private static Settings with(Set<Settings.Phase> phases, double liveRate) {
        return with(phases, liveRate, Settings.full(OUT).checkpointInterval());
    }

    private static Settings with(
            Set<Settings.Phase> phases, double liveRate, Duration checkpointInterval) {
        return with(phases, liveRate, checkpointInterval, null);
    }

    private static Settings with(
            Set<Settings.Phase> phases,
            double liveRate,
            Duration checkpointInterval,
            Duration checkpointAfterTick) {
        return with(phases, liveRate, checkpointInterval, checkpointAfterTick, List.of());
    }

    private static Settings with(
            Set<Settings.Phase> phases,
            double liveRate,
            Duration checkpointInterval,
            Duration checkpointAfterTick,
            List<String> jobOptions) {
        Settings d = Settings.full(OUT);
        return new Settings(
                d.events(),
                d.rooms(),
                d.hotShare(),
                d.zipfExponent(),
                d.viewers(),
                d.seed(),
                d.eventTimeRate(),
                d.latencySeconds(),
                d.liveStepSeconds(),
                d.loads(),
                liveRate,
                d.outOfOrderness(),
                d.maxDrift(),
                checkpointInterval,
                checkpointAfterTick,
                d.scaleRooms(),
                d.scaleViewers(),
                d.taskManagerMemory(),
                d.taskManagerJvmOptions(),
                d.taskManagerJava(),
                d.drainPoll(),
                d.stateBackend(),
                jobOptions,
                d.profile(),
                d.jmhIterations(),
                phases,
                OUT);
    }

    @Test
    void theDocumentedRunAndTheSmokeRunHaveEveryPhase() {
        assertThat(Settings.full(OUT).phases()).isEqualTo(EnumSet.allOf(Settings.Phase.class));
        assertThat(Settings.smoke(OUT).phases()).isEqualTo(EnumSet.allOf(Settings.Phase.class));
        Settings.full(OUT).validate();
        Settings.smoke(OUT).validate();
    }

    @Test
    void aPhaseMayRunAloneButLatencyNeedsTheThroughputPhasesRate() {
        withPhases(EnumSet.of(Settings.Phase.SCALE)).validate();
        withPhases(EnumSet.of(Settings.Phase.THROUGHPUT, Settings.Phase.LATENCY)).validate();

        assertThatThrownBy(() -> withPhases(EnumSet.of(Settings.Phase.LATENCY)).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--phases LATENCY needs THROUGHPUT");
        assertThatThrownBy(() -> withPhases(EnumSet.noneOf(Settings.Phase.class)).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--phases must name at least one");
    }

    @Test
    void aLiveRateMayBeGivenButNotNegative() {
        Set<Settings.Phase> latency = EnumSet.of(Settings.Phase.THROUGHPUT, Settings.Phase.LATENCY);
        with(latency, 45_000).validate();

        assertThatThrownBy(() -> with(latency, -1).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--live-rate must not be negative");
    }

    @Test
    void aCheckpointIntervalMayBeGivenDownToTheJobsOwnBound() {
        assertThat(Settings.full(OUT).checkpointInterval())
                .as("the job's default")
                .isEqualTo(Duration.ofSeconds(10));
        with(Settings.ALL_PHASES, 0, Duration.ofSeconds(30)).validate();

        assertThatThrownBy(() -> with(Settings.ALL_PHASES, 0, Duration.ofMillis(99)).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--checkpoint-interval-ms must be at least 100");
    }

    @Test
    void pacedCheckpointsComeWithinATickOfItsEndOnAnIntervalOfWholeTicks() {
        assertThat(Settings.full(OUT).checkpointAfterTick()).as("Flink's own schedule").isNull();
        with(Settings.ALL_PHASES, 0, Duration.ofSeconds(10), Duration.ZERO).validate();
        with(Settings.ALL_PHASES, 0, Duration.ofSeconds(30), Duration.ofMillis(4_999)).validate();

        for (Duration after : List.of(Duration.ofMillis(-1), Duration.ofMillis(5_000))) {
            assertThatThrownBy(
                            () ->
                                    with(Settings.ALL_PHASES, 0, Duration.ofSeconds(10), after)
                                            .validate())
                    .as("after the tick by %s", after)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--checkpoint-after-tick-ms")
                    .hasMessageContaining("must be within a tick: 0 to 4999 ms");
        }
        assertThatThrownBy(
                        () ->
                                with(
                                                Settings.ALL_PHASES,
                                                0,
                                                Duration.ofMillis(12_500),
                                                Duration.ofMillis(1_000))
                                        .validate())
                .as("an interval that would move the phase from one checkpoint to the next")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--checkpoint-interval-ms")
                .hasMessageContaining("must be a whole number of ticks (5000 ms)");
    }

    @Test
    void aReportOfTheScalePhaseAloneHasNoEmptyThroughputTable() {
        Report report = new Report(withPhases(EnumSet.of(Settings.Phase.SCALE)));
        report.scale(scale(600L << 20));

        String md = report.markdown();

        assertThat(md).doesNotContain("## Throughput").doesNotContain("## Latency");
        assertThat(md).contains("## Scale").contains("180.5").contains("Pause Young (Normal)");
        assertThat(md)
                .contains("| live heap after a full GC | 600 MiB |")
                .contains("| live objects (the class histogram's total) | 580 MiB |");
    }

    /**
     * A job option goes to every job as {@code --key value}; one that is not key=value, or that the
     * benchmark sets itself from a flag of its own, is rejected before the stack starts.
     */
    @Test
    void jobOptionsAreKeyValuePairsTheBenchmarkDoesNotSetItself() {
        Settings horizon = withJobOption("dedupe.horizon=1min");
        horizon.validate();
        assertThat(horizon.jobArguments()).containsExactly("--dedupe.horizon", "1min");
        assertThat(Settings.full(OUT).jobArguments()).isEmpty();

        for (String bad : List.of("dedupe.horizon", "=1min", "dedupe.horizon=")) {
            assertThatThrownBy(() -> withJobOption(bad).validate())
                    .hasMessageContaining("--job-option must be key=value");
        }
        assertThatThrownBy(() -> withJobOption("watermark.max-drift=1s").validate())
                .hasMessage(
                        "--job-option watermark.max-drift is set by the benchmark itself: use"
                                + " --max-drift-ms");
        assertThatThrownBy(() -> withJobOption("dedupe.horizon=30s").validate())
                .as("the job's own check, before the stack starts")
                .hasMessageContaining("--job-option: --dedupe.horizon must be at least 1 min");
    }

    private static Settings withJobOption(String option) {
        return with(Settings.ALL_PHASES, 0, Duration.ofSeconds(10), null, List.of(option));
    }

    @Test
    void aTaskManagerJavaThatCannotRunIsRejectedBeforeTheStackStarts() {
        Settings none = Settings.full(OUT).withTaskManagerJava("/no/such/jdk/bin/java");
        assertThatThrownBy(none::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--taskmanager-java")
                .hasMessageContaining("/no/such/jdk/bin/java");
        String own = ProcessHandle.current().info().command().orElseThrow();
        Settings.full(OUT).withTaskManagerJava(own).validate();
    }

    @Test
    void aLiveHeapMissingFromTheGcLogIsReportedAsMissingNotAsANumber() {
        Report report = new Report(withPhases(EnumSet.of(Settings.Phase.SCALE)));
        report.scale(scale(-1));

        assertThat(report.markdown())
                .contains("| live heap after a full GC | not in the GC log")
                .as("the histogram's figure stands without the collector's")
                .contains("| live objects (the class histogram's total) | 580 MiB |")
                .doesNotContain("-0 MiB");
    }

    @Test
    void shenandoahsPacingIsReportedBesideThePausesAndOnlyWhenThereIsAny() {
        Report report = new Report(withPhases(EnumSet.of(Settings.Phase.SCALE)));
        report.scale(scale(600L << 20));
        assertThat(report.markdown()).as("G1 paces nothing").doesNotContain("paced");

        report.scale(
                shenandoah(
                        new GcLog.Pacing(14, 1_069, 61, "Viewer sessions (room, user) (1/2)#0")));
        assertThat(report.markdown())
                .contains(
                        "| threads paced by Shenandoah: all, in 14 cycles / one thread in one"
                                + " cycle at most | 1,069 ms / 61 ms (Viewer sessions (room, user)"
                                + " (1/2)#0) |");

        report.scale(shenandoah(new GcLog.Pacing(6, 0, 0, "")));
        assertThat(report.markdown())
                .as("cycles that paced no thread")
                .contains(
                        "| threads paced by Shenandoah: all, in 6 cycles / one thread in one"
                                + " cycle at most | 0 ms / 0 ms |");
    }

    /** A scale phase as Shenandoah reports it: short pauses, no line for the full GC, pacing. */
    private static Report.Scale shenandoah(GcLog.Pacing pacing) {
        Report.Scale g1 = scale(-1);
        return new Report.Scale(
                g1.rooms(),
                g1.viewers(),
                g1.onlineOnBoards(),
                g1.heapUsedBytes(),
                g1.liveHeapAfterFullGcBytes(),
                g1.liveObjectsBytes(),
                g1.heapMaxBytes(),
                g1.checkpointedBytes(),
                g1.stateBytes(),
                g1.checkpointMillis(),
                2.7,
                "Pause Final Mark (unload classes)",
                52,
                0,
                pacing,
                g1.liveHeapClasses());
    }

    private static Report.Scale scale(long liveHeapBytes) {
        return new Report.Scale(
                10_000,
                1_000_000,
                1_000_000,
                2L << 30,
                liveHeapBytes,
                580L << 20,
                4L << 30,
                250L << 20,
                250L << 20,
                3_000,
                180.5,
                "Pause Young (Normal)",
                50,
                0,
                GcLog.Pacing.NONE,
                List.of(new HeapHistogram.Entry("[B", 1_000_000, 64_000_000)));
    }
}
