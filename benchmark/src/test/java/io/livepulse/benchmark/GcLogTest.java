package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
    @TempDir Path dir;

    @Test
    void findsTheLongestStopTheWorldPauseAfterAGivenLine() throws Exception {
        Path log = dir.resolve("gc.log");
        Files.write(
                log,
                List.of(
                        "[0.012s] Using G1",
                        "[1.503s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 250.001ms",
                        "[9.100s] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 300M->95M(1024M) 14.235ms",
                        "[9.200s] GC(2) Concurrent Mark Cycle",
                        "[9.900s] GC(2) Pause Remark 120M->118M(1024M) 3.100ms",
                        "[9.950s] GC(2) Pause Cleanup 118M->118M(1024M) 0.120ms",
                        "[10.40s] GC(2) Concurrent Mark Cycle 1200.001ms"));

        GcLog gc = new GcLog(log);
        assertThat(gc.lines()).isEqualTo(7);
        GcLog.Pauses all = gc.pausesSince(0);
        assertThat(all.count()).isEqualTo(4);
        assertThat(all.longestMs()).isEqualTo(250.001);
        assertThat(all.longestKind()).isEqualTo("Pause Young (Normal) (G1 Evacuation Pause)");
        assertThat(all.overTarget()).as("pauses over 200 ms").isEqualTo(1);
        // a phase that started after the first pause does not see it; concurrent work is no pause
        GcLog.Pauses later = gc.pausesSince(2);
        assertThat(later.count()).isEqualTo(3);
        assertThat(later.longestMs()).isEqualTo(14.235);
        assertThat(later.overTarget()).isZero();
        assertThat(
                        GcLog.parse(
                                        List.of(
                                                "[9.900s] GC(2) Pause Remark 120M->118M(1024M) 603.100ms",
                                                "[9.950s] GC(2) Pause Cleanup 118M->118M(1024M) 0.120ms"))
                                .longestKind())
                .isEqualTo("Pause Remark");
        assertThat(new GcLog(dir.resolve("absent.log")).pausesSince(0).count()).isZero();
    }

    /** Lines of a real G1 log with the wall clock (JDK 17, -Xlog:gc:...:uptime,timemillis). */
    @Test
    void eachStopEndsAtItsLinesWallClock() throws Exception {
        Path log = dir.resolve("wall.log");
        Files.write(
                log,
                List.of(
                        "[0.012s][1796487999620ms] Using G1",
                        "[0.421s][1796488000029ms] GC(0) Pause Young (Normal) (G1 Evacuation Pause)"
                                + " 6M->3M(64M) 8.924ms",
                        "[0.530s][1796488000138ms] GC(1) Pause Remark 7M->7M(64M) 250.400ms"));

        assertThat(new GcLog(log).stopsSince(1))
                .containsExactly(
                        new GcLog.Stop(
                                1796488000029L,
                                8.924,
                                "Pause Young (Normal) (G1 Evacuation Pause)"),
                        new GcLog.Stop(1796488000138L, 250.4, "Pause Remark"));
        assertThat(new GcLog.Stop(1796488000138L, 250.4, "Pause Remark").startMs())
                .isEqualTo(1796487999888L);
        // a log without the decoration has pauses, but none with a wall-clock time
        assertThat(
                        GcLog.stops(
                                List.of(
                                        "[1.503s] GC(0) Pause Young (Normal) (G1 Evacuation Pause)"
                                                + " 24M->5M(256M) 250.001ms")))
                .isEmpty();
    }

    /** Lines of a real ZGC log (JDK 17, -Xlog:gc,gc+phases), its stalls the longest stops. */
    @Test
    void zgcPausesAndStallsCountConcurrentPhasesDoNot() throws Exception {
        Path log = dir.resolve("zgc.log");
        Files.write(
                log,
                List.of(
                        "[0.199s] GC(0) Pause Mark Start 0.010ms",
                        "[0.205s] GC(0) Concurrent Mark 5.912ms",
                        "[0.208s] GC(0) Pause Mark End 0.015ms",
                        "[0.262s] GC(0) Pause Relocate Start 0.015ms",
                        "[0.379s] Relocation Stall (Thread-1) 6.634ms",
                        "[0.379s] Allocation Stall (Thread-1) 63.815ms",
                        "[0.380s] GC(1) Garbage Collection (Allocation Stall) 94M(98%)->30M(31%)"));
        GcLog.Pauses all = new GcLog(log).pausesSince(0);
        assertThat(all.count()).isEqualTo(5);
        assertThat(all.longestMs()).isEqualTo(63.815);
        assertThat(all.longestKind()).isEqualTo("Allocation Stall (Thread-1)");
    }

    /**
     * Lines of a real Shenandoah log (JDK 17, -Xlog:gc,gc+phases,gc+stats, run Q2): its pauses, the
     * statistics after a cycle (in microseconds, not pauses) and the pacing report, which reads as
     * what the threads were held back.
     */
    @Test
    void shenandoahsPausesCountAndItsPacingIsReadFromTheReportsAfterEachCycle() throws Exception {
        Path log = dir.resolve("shenandoah.log");
        Files.write(
                log,
                List.of(
                        "[98.334s] GC(13) Pause Final Mark (unload classes) 0.419ms",
                        "[99.403s] GC(13) Pause Final Update Refs 0.145ms",
                        "[99.406s] GC(13) Concurrent cleanup 1980M->1412M(4556M) 0.097ms",
                        "[104.330s] Pause Final Update Refs (G)         213 us",
                        "[104.330s] Pacing                           212812 us",
                        "[104.330s] ",
                        "[104.330s] Allocation pacing accrued:",
                        "[104.330s]      11 of 22097 ms (  0.1%): Okio Watchdog",
                        "[104.330s]      36 of 22097 ms (  0.2%): Source: Kafka bench-events -> Parse and validate (1/2)#0",
                        "[104.330s]     213 of 22097 ms (  1.0%): <total>",
                        "[104.330s]       1 of 22097 ms (  0.0%): <average total>",
                        "[104.330s]      18 of 22097 ms (  0.1%): <average non-zero>",
                        "[104.330s] ",
                        "[505.341s] Allocation pacing accrued:",
                        "[505.341s]     754 of 21774 ms (  3.5%): Source: Kafka bench-live-50 -> Parse and validate (2/2)#0",
                        "[505.341s]    3664 of 21774 ms ( 16.8%): <total>",
                        "[505.341s] ",
                        "[505.400s] GC(84) Pause Init Mark (unload classes) 12.190ms"));

        GcLog.Pauses all = new GcLog(log).pausesSince(0);
        assertThat(all.count()).as("the pause lines, not the statistics").isEqualTo(3);
        assertThat(all.longestMs()).isEqualTo(12.190);
        assertThat(all.longestKind()).isEqualTo("Pause Init Mark (unload classes)");
        assertThat(all.pacing())
                .isEqualTo(
                        new GcLog.Pacing(
                                2,
                                213 + 3664,
                                754,
                                "Source: Kafka bench-live-50 -> Parse and validate (2/2)#0"));
        assertThat(new GcLog(log).pausesSince(14).pacing())
                .as("a phase sees only the reports written since it began")
                .isEqualTo(GcLog.Pacing.NONE);
        assertThat(GcLog.parse(List.of("[1.503s] GC(0) Pause Young (Normal) 24M->5M(256M) 1.0ms")))
                .extracting(GcLog.Pauses::pacing)
                .as("G1 paces nothing")
                .isEqualTo(GcLog.Pacing.NONE);
    }

    @Test
    void theHeapAfterTheLastFullCollectionIsReadFromItsLine() throws Exception {
        Path log = dir.resolve("full.log");
        Files.write(
                log,
                List.of(
                        "[600.1s] GC(390) Pause Full (Diagnostic Command) 2353M->900M(4556M) 3795.666ms",
                        "[631.5s] GC(392) Pause Young (Normal) (G1 Evacuation Pause) 3000M->2900M(4556M) 9.1ms",
                        "[631.6s] GC(393) Pause Full (Diagnostic Command) 3009M->734M(4556M) 2819.946ms",
                        "[640.0s] GC(394) Pause Young (Normal) (G1 Evacuation Pause) 1000M->800M(4556M) 5.0ms"));
        GcLog gc = new GcLog(log);
        assertThat(gc.heapAfterLastFullGc(0)).isEqualTo(734L << 20);
        assertThat(gc.heapAfterLastFullGc(3)).isEqualTo(-1); // none after the phase's start
        assertThat(
                        GcLog.heapAfterLastFullGc(
                                List.of(
                                        "[0.380s] GC(1) Garbage Collection (System.gc()) 94M(98%)->30M(31%)")))
                .isEqualTo(30L << 20);
        assertThat(new GcLog(dir.resolve("absent.log")).heapAfterLastFullGc(0)).isEqualTo(-1);
    }

    /**
     * Lines of a real generational ZGC log (JDK 25, -Xlog:gc,gc+phases): each generation's pauses
     * count, and a major collection gives the heap it left.
     */
    @Test
    void generationalZgcPausesCountAndAMajorCollectionGivesTheHeapLeft() throws Exception {
        Path log = dir.resolve("zgc-generational.log");
        Files.write(
                log,
                List.of(
                        "[1.249s][1796617029471ms] GC(2) Major Collection (System.gc())",
                        "[1.249s][1796617029471ms] GC(2) Y: Pause Mark Start 0.017ms",
                        "[1.256s][1796617029478ms] GC(2) Y: Pause Mark End 0.011ms",
                        "[1.258s][1796617029480ms] GC(2) Y: Pause Relocate Start 0.021ms",
                        "[1.261s][1796617029483ms] GC(2) Y: Pause Mark Start (Major) 0.009ms",
                        "[1.266s][1796617029488ms] GC(2) O: Pause Mark End 0.016ms",
                        "[1.268s][1796617029490ms] GC(2) Major Collection (System.gc())"
                                + " 206M(20%)->84M(8%) 0.019s"));
        GcLog gc = new GcLog(log);
        GcLog.Pauses all = gc.pausesSince(0);
        assertThat(all.count()).isEqualTo(5);
        assertThat(all.longestMs()).isEqualTo(0.021);
        assertThat(gc.heapAfterLastFullGc(0)).isEqualTo(84L << 20);
    }
}
