package io.livepulse.simulator.cli;

import io.livepulse.simulator.io.KafkaOutput;
import java.io.PrintStream;

/** Prints "N/M what (rate/s)" lines for long sends. */
final class ProgressLine implements KafkaOutput.Progress {
    private final PrintStream log;
    private final String what;
    private final long startNanos = System.nanoTime();

    ProgressLine(PrintStream log, String what) {
        this.log = log;
        this.what = what;
    }

    @Override
    public void sent(long done, long total) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        log.printf("  %s: %,d/%,d (%,.0f/s)%n", what, done, total, done / seconds);
    }
}
