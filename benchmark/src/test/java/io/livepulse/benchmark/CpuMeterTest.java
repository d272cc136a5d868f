package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
    @Test
    void readsTheCpuTimeOfAProcessAndTheDifferenceBetweenSnapshots() {
        long self = ProcessHandle.current().pid();
        CpuMeter meter = new CpuMeter(Map.of("self", self, "gone", Long.MAX_VALUE));
        Map<String, Double> before = meter.snapshot();
        assertThat(before).containsOnlyKeys("self");
        long x = 0;
        for (long i = 0; i < 300_000_000L; i++) {
            x += i ^ (x >>> 3);
        }
        Map<String, Double> used = CpuMeter.between(before, meter.snapshot());
        assertThat(used.get("self")).as("CPU used by a busy loop (x=%d)", x).isPositive();
    }

    @Test
    void cpuFieldsAreReadAfterACommandNameWithSpaces() {
        assertThat(
                        CpuMeter.parseTicks(
                                "42 (tmux: server) S 1 42 42 0 -1 4194560 100 0 0 0 250 75 0 0"))
                .isEqualTo(325);
    }

    @Test
    void theNiceValueIsReadAfterACommandNameWithSpaces() {
        assertThat(
                        CpuMeter.parseNice(
                                "42 (tmux: server) S 1 42 42 0 -1 4194560 100 0 0 0 250 75 0 0 15"
                                        + " -5 1 0 1234"))
                .isEqualTo(-5);
    }

    @Test
    void prioritiesAreThoseTheProcessesRunAtAndLeaveOutTheGone() throws Exception {
        Process lowered = new ProcessBuilder("nice", "-n", "7", "sleep", "60").start();
        try {
            CpuMeter meter = new CpuMeter(Map.of("lowered", lowered.pid(), "gone", Long.MAX_VALUE));
            // nice sets the priority, then execs sleep in the same process: once the process is
            // sleep, the priority is set
            Path comm = Path.of("/proc", Long.toString(lowered.pid()), "comm");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(comm).trim().equals("sleep")) {
                assertThat(System.nanoTime())
                        .as("nice has run sleep within 10 s")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(meter.priorities()).containsOnlyKeys("lowered");
            assertThat(meter.priorities().get("lowered")).isEqualTo(7);
        } finally {
            lowered.destroyForcibly().waitFor();
        }
    }
}
