package io.livepulse.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH benchmarks of the hot functions ({@code io.livepulse.benchmark.jmh}): parsing, the viewer
 * state update and the room aggregation, throughput mode, one thread.
 */
final class Hotspots {
    private Hotspots() {}

    /**
     * @param iterations measurement iterations of 2 s after as many warm-up ones; with 1 (the smoke
     *     run) the benchmarks run in this JVM, otherwise each in its own fork
     */
    static List<Report.Jmh> run(int iterations, Path json) throws Exception {
        Options options =
                new OptionsBuilder()
                        .include("io\\.livepulse\\.benchmark\\.jmh\\..*")
                        .forks(iterations > 1 ? 1 : 0)
                        .warmupIterations(iterations)
                        .warmupTime(TimeValue.seconds(iterations > 1 ? 2 : 1))
                        .measurementIterations(iterations)
                        .measurementTime(TimeValue.seconds(iterations > 1 ? 2 : 1))
                        .threads(1)
                        .result(json.toString())
                        .resultFormat(ResultFormatType.JSON)
                        .build();
        List<Report.Jmh> out = new ArrayList<>();
        for (RunResult r : new Runner(options).run()) {
            String name = r.getParams().getBenchmark();
            out.add(
                    new Report.Jmh(
                            name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
                            r.getPrimaryResult().getScore(),
                            r.getPrimaryResult().getScoreError(),
                            r.getPrimaryResult().getScoreUnit()));
        }
        return out;
    }
}
