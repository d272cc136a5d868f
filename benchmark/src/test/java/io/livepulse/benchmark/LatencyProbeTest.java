package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyProbeTest {
    static final long START = 1_000_000;

    @Test
    void theProgressLineSaysWhereTheRunIs() {
        long never = Long.MAX_VALUE;
        assertThat(LatencyProbe.progressLine(START, never, never, START + 30_400, 44_257))
                .isEqualTo("warming up, 30 s; backlog 44,257 records");
        long from = START + 200_000;
        long until = from + 600_000;
        assertThat(LatencyProbe.progressLine(START, from, until, from + 120_500, 12))
                .isEqualTo("measuring, 120 of 600 s; backlog 12 records");
        assertThat(LatencyProbe.progressLine(START, from, until, until + 1, 0))
                .isEqualTo("window closed, waiting for its last ticks; backlog 0 records");
    }
}
