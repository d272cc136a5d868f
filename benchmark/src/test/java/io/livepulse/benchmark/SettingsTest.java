package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a run may be asked to do, and how a phase run alone is reported. */
class SettingsTest {
    private static final Path OUT = Path.of("target", "settings-test");

    private static Settings withPhases(Set<Settings.Phase> phases) {
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
                d.outOfOrderness(),
                d.maxDrift(),
                d.scaleRooms(),
                d.scaleViewers(),
                d.taskManagerMemory(),
                d.taskManagerJvmOptions(),
                d.drainPoll(),
                d.stateBackend(),
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
                List.of(new HeapHistogram.Entry("[B", 1_000_000, 64_000_000)));
    }
}
