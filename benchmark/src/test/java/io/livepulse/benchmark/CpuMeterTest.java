package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

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
}
