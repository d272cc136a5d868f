package io.livepulse.jobs;

import static io.livepulse.jobs.InfluxReadBack.asLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.simulator.ledger.Ledger;
import io.livepulse.testkit.InfluxServer;
import io.livepulse.testkit.KafkaBroker;
import io.livepulse.testkit.RedisServer;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Simulator → real Kafka → the job on a MiniCluster (parallelism 2) with real Redis → real
 * InfluxDB, then InfluxQL read-back compared with the simulator's ledger.
 */
class LiveMetricsJobRealServicesTest {

    @Order(1)
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @Order(2)
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @Order(3)
    @RegisterExtension
    static final InfluxServer INFLUX = new InfluxServer();

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @Order(4)
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @Test
    void whitepaperThroughKafkaRedisAndInfluxEqualsTheLedger() throws Exception {
        SimulationOptions options =
                SimulationOptions.defaults(Profile.WHITEPAPER, 42).withFaults(0.01, 3_000, 14);
        Simulation sim = Simulation.run(options);
        Ledger ledger = sim.ledger();
        feed(sim, "wp-events", REDIS.uri());

        JobExecutionResult result = runJob("wp-events", "wp-dlq", "wp", REDIS.uri());

        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), "wp")) {
            List<Map<String, Map<String, Object>>> finals =
                    InfluxLedgerCheck.assertEqualsLedger(influx, ledger);

            // The five published figures, read back from InfluxDB over every broadcast.
            double uvFans = InfluxLedgerCheck.sum(finals, "fans", "uv"),
                    uvAll = InfluxLedgerCheck.sum(finals, "all", "uv"),
                    uvNon = InfluxLedgerCheck.sum(finals, "non_fan", "uv");
            double fanViewingRatio = uvFans / uvAll;
            double watchLift =
                    (InfluxLedgerCheck.sum(finals, "fans", "watch_ms") / uvFans)
                                    / (InfluxLedgerCheck.sum(finals, "non_fan", "watch_ms") / uvNon)
                            - 1;
            double interactionLift =
                    (InfluxLedgerCheck.sum(finals, "fans", "interactions") / uvFans)
                                    / (InfluxLedgerCheck.sum(finals, "non_fan", "interactions")
                                            / uvNon)
                            - 1;
            double fanGmvShare =
                    InfluxLedgerCheck.sum(finals, "fans", "gmv_cents")
                            / InfluxLedgerCheck.sum(finals, "all", "gmv_cents");
            double oldFanGmvShare =
                    InfluxLedgerCheck.sum(finals, "old_fans", "gmv_cents")
                            / InfluxLedgerCheck.sum(finals, "all", "gmv_cents");
            assertThat(uvAll).isGreaterThanOrEqualTo(20_000);
            assertThat(fanViewingRatio).isCloseTo(0.50, within(0.02));
            assertThat(watchLift).isCloseTo(5.00, within(0.30));
            assertThat(interactionLift).isCloseTo(0.50, within(0.05));
            assertThat(fanGmvShare).isCloseTo(0.83, within(0.02));
            assertThat(oldFanGmvShare).isCloseTo(0.59, within(0.02));
            assertThat(watchLift).isCloseTo(ledger.summary().ratios().watchLift(), within(1e-9));
            assertThat(fanGmvShare)
                    .isCloseTo(ledger.summary().ratios().fanGmvShare(), within(1e-9));
        }

        // The dead-letter topic holds exactly the injected malformed records, with their
        // coordinates.
        List<JsonNode> deadLetters =
                DeadLetterTopic.read(
                        KAFKA.bootstrapServers(), "wp-dlq", ledger.delivery().malformed());
        assertThat((long) deadLetters.size()).isEqualTo(ledger.delivery().malformed());
        DeadLetterTopic.assertHoldsExactlyTheMalformedAndLate(deadLetters, ledger, "wp-events");
        assertThat(counter(result, "deadLetters")).isEqualTo(ledger.delivery().malformed());
        assertThat(counter(result, "duplicateEvents")).isEqualTo(ledger.delivery().duplicates());
        assertThat(counter(result, "lateEvents") + counter(result, "lateRoomEvents")).isZero();
        assertThat(counter(result, "redisFallbacks")).isZero();
        assertThat(restarts(result)).isZero();
    }

    @Test
    void withRedisDownTheJobFinishesWithUnknownTiersAndExactMoney() throws Exception {
        SimulationOptions options =
                SimulationOptions.defaults(Profile.STEADY, 5).withScale(2, 1_500, 1);
        Simulation sim = Simulation.run(options);
        Ledger ledger = sim.ledger();
        feed(sim, "down-events", null);
        RedisServer stopped = new RedisServer().start();
        String deadRedis = stopped.uri();
        stopped.close();

        JobExecutionResult result = runJob("down-events", "down-dlq", "down", deadRedis);

        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), "down")) {
            for (Ledger.RoomLedger room : ledger.rooms()) {
                for (Ledger.BroadcastLedger b : room.broadcasts()) {
                    Map<String, Map<String, Object>> tiers = influx.tiersAt(b.room(), b.end());
                    assertThat(asLong(tiers.get("unknown"), "uv")).isEqualTo(b.total().uv());
                    assertThat(asLong(tiers.get("fans"), "uv")).isZero();
                    assertThat(asLong(tiers.get("non_fan"), "uv")).isZero();
                    assertThat(asLong(tiers.get("all"), "gmv_cents"))
                            .isEqualTo(b.total().gmvCents());
                    assertThat(asLong(tiers.get("all"), "orders")).isEqualTo(b.total().orders());
                    assertThat(asLong(tiers.get("all"), "watch_ms")).isEqualTo(b.total().watchMs());
                    // with no fans and no non-fans a lift has no denominator: absent, never NaN
                    assertThat(influx.roomAt(b.room(), b.end())).doesNotContainKey("watch_lift");
                }
            }
            // operations hear of it (docs/alerts.md): the hot room sees more than the rule's 20
            // new viewers a minute, all with tier unknown; the small room stays under the floor
            List<Map<String, Object>> fallbacks =
                    influx.rows(
                            "SELECT \"evidence\", \"room\" FROM \"live_alert\" WHERE \"kind\" = 'redis_fallback' AND \"state\" = 'firing'");
            assertThat(fallbacks).extracting(r -> r.get("room")).contains("room-001");
            assertThat(fallbacks)
                    .allSatisfy(
                            r -> assertThat((String) r.get("evidence")).contains("tier unknown"));
        }
        long lookups = counter(result, "fanLookups");
        assertThat(lookups).isPositive();
        assertThat(counter(result, "redisFallbacks")).isEqualTo(lookups);
        assertThat(restarts(result)).isZero();
    }

    @Test
    void wrongInfluxCredentialsFailTheJobLoudlyWithoutRestarts() throws Exception {
        Simulation sim =
                Simulation.run(SimulationOptions.defaults(Profile.STEADY, 8).withScale(1, 200, 1));
        feed(sim, "auth-events", REDIS.uri());
        try (InfluxServer secured = new InfluxServer().withAuth().start()) {
            LiveMetricsOptions options =
                    LiveMetricsOptions.parse(
                            "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                            "--kafka.topic", "auth-events",
                            "--kafka.group-id", "job-auth-events",
                            "--kafka.dlq-topic", "auth-dlq",
                            "--kafka.recaps-topic", "auth-recaps",
                            "--kafka.alerts-topic", "auth-alerts",
                            "--kafka.bounded", "true",
                            "--redis.uri", REDIS.uri(),
                            "--influx.url", secured.url(),
                            "--influx.user", InfluxServer.ADMIN_USER,
                            "--influx.password", "not-the-password",
                            "--console", "false",
                            "--parallelism", "1");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            LiveMetricsJob.build(env, options);

            assertThatThrownBy(() -> env.execute("wrong credentials"))
                    .satisfies(
                            e ->
                                    assertThat(ExceptionUtils.stringifyException(e))
                                            .contains("refused the credentials of user 'admin'")
                                            .contains("check influx.user / influx.password"));
        }
    }

    /** Sends the simulation's records to a new topic (4 partitions) and its profiles to Redis. */
    private static void feed(Simulation sim, String topic, String redisUri)
            throws InterruptedException {
        KAFKA.createTopic(topic, 4);
        KAFKA.createTopic(topic.replace("events", "dlq"), 1);
        KAFKA.createTopic(topic.replace("events", "recaps"), 1);
        KAFKA.createTopic(topic.replace("events", "alerts"), 1);
        try (KafkaOutput out = new KafkaOutput(KAFKA.bootstrapServers(), topic)) {
            out.send(sim.deliveries(), i -> {}, (done, total) -> {});
        }
        if (redisUri != null) {
            RedisFanStore.write(redisUri, sim.profiles(), n -> {});
        }
    }

    private static JobExecutionResult runJob(
            String topic, String dlq, String database, String redisUri) throws Exception {
        LiveMetricsOptions options =
                LiveMetricsOptions.parse(
                        "--kafka.bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--kafka.topic",
                        topic,
                        "--kafka.group-id",
                        "job-" + topic,
                        "--kafka.dlq-topic",
                        dlq,
                        "--kafka.recaps-topic",
                        topic.replace("events", "recaps"),
                        "--kafka.alerts-topic",
                        topic.replace("events", "alerts"),
                        "--kafka.bounded",
                        "true",
                        "--redis.uri",
                        redisUri,
                        "--influx.url",
                        INFLUX.url(),
                        "--influx.database",
                        database,
                        "--console",
                        "false",
                        "--parallelism",
                        "2",
                        "--checkpoint.interval",
                        "2 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(env, options);
        return env.execute("live metrics " + topic);
    }

    private static long counter(JobExecutionResult result, String name) {
        long sum = 0;
        for (Metric m : METRICS.findMetrics(result.getJobID(), name).values()) {
            sum += ((Counter) m).getCount();
        }
        return sum;
    }

    private static long restarts(JobExecutionResult result) {
        Map<String, Metric> found = METRICS.findMetrics(result.getJobID(), "numRestarts");
        assertThat(found).as("numRestarts metric").isNotEmpty();
        long restarts = 0;
        for (Metric m : found.values()) {
            restarts += ((Number) ((Gauge<?>) m).getValue()).longValue();
        }
        return restarts;
    }
}
