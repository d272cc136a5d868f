package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.enrich.StaticFanDirectory;
import io.livepulse.jobs.ingest.RecordDecoder;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.Ingested;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.ledger.Ledger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole graph on a MiniCluster with parallelism 2, fed in process with a faulty simulated
 * stream (duplicates, disorder within the watermark bound, malformed records), compared with the
 * simulator's ledger.
 */
class LiveMetricsPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void finalSnapshotsAndRecapsEqualTheLedgerAndTheDeadLettersAreExactlyTheMalformedRecords()
            throws Exception {
        SimulationOptions sim =
                SimulationOptions.defaults(Profile.FLASH_SALE, 17)
                        .withScale(3, 3_000, 2)
                        .withFaults(0.02, 3_000, 14)
                        // two broadcasts lose their live_end: the job ends them when silent
                        .withLostLiveEnds(2);
        Simulation simulation = Simulation.run(sim);
        LiveMetricsOptions options =
                LiveMetricsOptions.parse(
                        "--parallelism", "2", "--console", "false", "--checkpoint.interval", "1 s");

        CollectingSink<RoomSnapshot> snapshots = new CollectingSink<>("pipeline-snapshots");
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>("pipeline-dead-letters");
        CollectingSink<Recap> recaps = new CollectingSink<>("pipeline-recaps");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecordDecoder decoder = new RecordDecoder(Duration.ofHours(1));
        List<Ingested> records = new ArrayList<>();
        long offset = 0;
        for (Delivery d : simulation.deliveries()) {
            records.add(decoder.decode(d.value(), "test", 0, offset++));
        }
        LiveMetricsPipeline.recaps(
                        LiveMetricsPipeline.build(
                                env.fromData(records, TypeInformation.of(Ingested.class))
                                        .assignTimestampsAndWatermarks(
                                                LiveMetricsPipeline.watermarks(options)),
                                new StaticFanDirectory(simulation.profiles()),
                                List.of(snapshots),
                                deadLetters,
                                options))
                .sinkTo(recaps);
        env.execute("pipeline test");

        Ledger ledger = simulation.ledger();
        LedgerAssertions.finalSnapshotsMatch(ledger, snapshots.collected());
        LedgerAssertions.onlineByMinuteMatches(ledger, snapshots.collected());
        // two broadcasts per room: the second recap compares with the first
        LedgerAssertions.recapsMatch(ledger, recaps.collected());

        List<String> expectedDeadLetters =
                ledger.delivery().malformedRecords().stream()
                        .map(Ledger.MalformedRecord::base64)
                        .sorted()
                        .toList();
        List<String> actualDeadLetters =
                deadLetters.collected().stream()
                        .map(d -> Base64.getEncoder().encodeToString(d.raw))
                        .sorted()
                        .toList();
        assertThat(actualDeadLetters).isEqualTo(expectedDeadLetters);
        for (DeadLetter d : deadLetters.collected()) {
            Ledger.MalformedRecord m =
                    ledger.delivery().malformedRecords().stream()
                            .filter(r -> r.index() == d.offset)
                            .findFirst()
                            .orElseThrow();
            assertThat(d.reason).isEqualTo(m.reason());
        }
    }
}
