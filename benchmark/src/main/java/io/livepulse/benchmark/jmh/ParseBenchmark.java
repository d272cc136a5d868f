package io.livepulse.benchmark.jmh;

import io.livepulse.jobs.ingest.RecordDecoder;
import io.livepulse.jobs.records.Ingested;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The job's first step on every record: JSON parse, contract validation, the event record. */
@State(Scope.Thread)
public class ParseBenchmark {
    private byte[][] records;
    private RecordDecoder decoder;
    private int next;

    @Setup
    public void setUp() {
        records = HotPathData.json();
        decoder = new RecordDecoder(Duration.ofDays(3650));
    }

    /** One record decoded; the score is records per second on one core. */
    @Benchmark
    public Ingested decode() {
        byte[] raw = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        return decoder.decode(raw, "bench", 0, next);
    }
}
