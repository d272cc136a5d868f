package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.CollectingSink;
import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.LiveMetricsPipeline;
import io.livepulse.jobs.enrich.StaticFanDirectory;
import io.livepulse.jobs.ingest.RecordDecoder;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.Ingested;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert rules over whole simulated broadcasts on a MiniCluster, scored against labels. */
class AlertScenarioTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void injectedAnomaliesAreFoundAndACleanRunStaysQuiet() throws Exception {
        Simulation injected =
                Simulation.run(
                        SimulationOptions.defaults(Profile.WHITEPAPER, 42)
                                .withScale(10, 60_000, 2)
                                .withAnomalies(4));
        AlertScore score = AlertScore.of(injected.ledger().anomalies(), run(injected));
        System.out.println("injected: " + score.report());

        Simulation clean = Simulation.run(SimulationOptions.defaults(Profile.WHITEPAPER, 7));
        AlertScore quiet = AlertScore.of(List.of(), run(clean));
        System.out.println("clean: " + quiet.report());

        assertThat(score.recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(score.precision()).isGreaterThanOrEqualTo(0.9);
        assertThat(score.delayPercentile(95)).isLessThanOrEqualTo(30_000);
        assertThat(quiet.fired()).hasSizeLessThanOrEqualTo(2); // 10 rooms x 2 h
    }

    static List<Alert> run(Simulation simulation) throws Exception {
        LiveMetricsOptions options =
                LiveMetricsOptions.parse("--parallelism", "2", "--console", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecordDecoder decoder = new RecordDecoder(Duration.ofHours(1));
        List<Ingested> records = new ArrayList<>();
        long offset = 0;
        for (Delivery d : simulation.deliveries()) {
            records.add(decoder.decode(d.value(), "test", 0, offset++));
        }
        CollectingSink<Alert> alerts = new CollectingSink<>("alerts-" + System.nanoTime());
        LiveMetricsPipeline.alerts(
                        LiveMetricsPipeline.build(
                                env.fromData(records, TypeInformation.of(Ingested.class))
                                        .assignTimestampsAndWatermarks(
                                                LiveMetricsPipeline.watermarks(options)),
                                new StaticFanDirectory(simulation.profiles()),
                                List.of(new DiscardingSink<RoomSnapshot>()),
                                new DiscardingSink<DeadLetter>(),
                                options),
                        AlertRules.from(options))
                .sinkTo(alerts);
        env.execute("alert scenario");
        return alerts.collected();
    }
}
