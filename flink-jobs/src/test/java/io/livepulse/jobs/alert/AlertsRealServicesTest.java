package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.InfluxReadBack;
import io.livepulse.jobs.KafkaTopic;
import io.livepulse.jobs.LiveMetricsJob;
import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.recap.report.RecapRenderer;
import io.livepulse.jobs.recap.report.RecapReport;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.testkit.InfluxServer;
import io.livepulse.testkit.KafkaBroker;
import io.livepulse.testkit.RedisServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert rules end to end: simulator with labelled anomalies → real Kafka → the job
 * (MiniCluster) with real Redis → alerts on the alerts topic, in real InfluxDB and at a webhook (a
 * local HTTP server), scored against the labels; then a clean whitepaper run must stay quiet. The
 * figures are printed and written to {@code target/alert-figures.md} (docs/alerts.md has those of a
 * run we saw).
 */
class AlertsRealServicesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Order(1)
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @Order(2)
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @Order(3)
    @RegisterExtension
    static final InfluxServer INFLUX = new InfluxServer();

    @Order(4)
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    HttpServer webhook;
    final ConcurrentLinkedQueue<JsonNode> posted = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startWebhook() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext(
                "/hook",
                exchange -> {
                    posted.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    @Test
    void injectedAnomaliesAreAlertedEverywhereAndACleanRunStaysQuiet() throws Exception {
        long started = System.nanoTime();
        Simulation injected =
                Simulation.run(
                        SimulationOptions.defaults(Profile.WHITEPAPER, 42)
                                .withScale(10, 60_000, 2)
                                .withAnomalies(4));
        int labels = injected.ledger().anomalies().size();
        // 4 of each of 6 kinds in the events, each bot burst labelled twice, 4 dead-letter bursts
        assertThat(labels).isEqualTo(32);
        run(injected, "anomalies");

        // every incident fires and resolves (at the broadcast's end at the latest)
        List<Alert> onKafka = fromKafka("anomalies-alerts", 2L * labels);
        AlertScore score = AlertScore.of(injected.ledger().anomalies(), onKafka);
        double seconds = (System.nanoTime() - started) / 1e9;

        Simulation clean = Simulation.run(SimulationOptions.defaults(Profile.WHITEPAPER, 7));
        run(clean, "clean");
        List<Map<String, Object>> cleanFirings;
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), "clean")) {
            cleanFirings =
                    influx.rows(
                            "SELECT \"incident\", \"evidence\" FROM \"live_alert\" WHERE \"state\" = 'firing'");
        }
        String figures =
                String.format(
                        Locale.ROOT,
                        "Real Kafka, Redis, InfluxDB; whitepaper seed 42, 10 rooms, 60,000 viewers, 2 broadcasts,"
                                + " 4 anomalies of each kind (%,d records), %.0f s including generation:%n%s"
                                + "Clean whitepaper seed 7, 10 rooms x 2 h = 20 room-hours: %d false alerts %s%n",
                        injected.deliveries().size(),
                        seconds,
                        score.report(),
                        cleanFirings.size(),
                        cleanFirings);
        System.out.println(figures);
        Files.writeString(Path.of("target", "alert-figures.md"), figures);

        assertThat(score.recall()).as(score.report()).isGreaterThanOrEqualTo(0.95);
        assertThat(score.precision()).as(score.report()).isGreaterThanOrEqualTo(0.9);
        assertThat(score.delayPercentile(95)).as(score.report()).isLessThanOrEqualTo(30_000);
        assertThat(cleanFirings).hasSizeLessThanOrEqualTo(2); // one per 10 room-hours

        // InfluxDB holds the same alerts as the topic (at least once there: distinct ones count)
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), "anomalies")) {
            List<String> points =
                    influx.rows("SELECT \"incident\", \"state\" FROM \"live_alert\"").stream()
                            .map(r -> r.get("incident") + " " + r.get("state"))
                            .sorted()
                            .toList();
            assertThat(points).isEqualTo(distinct(onKafka));
        }
        // the manager's recap lists the broadcast's alerts
        for (String live : List.of("room-001-live-1", "room-004-live-2")) {
            List<Alert> ofLive =
                    onKafka.stream()
                            .filter(a -> live.equals(a.live) && a.state.equals(Alert.FIRING))
                            .toList();
            assertThat(ofLive).isNotEmpty();
            RecapReport report;
            try (InfluxDB influx = InfluxDBFactory.connect(INFLUX.url())) {
                report = RecapReport.read(influx, "anomalies", live);
            }
            String markdown = RecapRenderer.markdown(report);
            Files.writeString(Path.of("target", "recap-" + live + ".md"), markdown);
            for (Alert a : ofLive) {
                assertThat(markdown).contains(a.kind.wireName()).contains(a.evidence);
            }
            assertThat(RecapRenderer.csv(report)).contains(",alerts,").contains(",alert.1.kind,");
            assertThat(report.alerts()).hasSize(ofLive.size());
        }
        // the webhook heard every one of them too
        List<Alert> hooked = new ArrayList<>();
        posted.forEach(json -> hooked.add(alertOf(json)));
        assertThat(distinct(hooked)).isEqualTo(distinct(onKafka));
        Alert anyFiring =
                onKafka.stream()
                        .filter(a -> a.state.equals(Alert.FIRING))
                        .findFirst()
                        .orElseThrow();
        assertThat(anyFiring.evidence).isNotBlank();
        assertThat(anyFiring.severity).isIn(Alert.WARNING, Alert.CRITICAL);
        assertThat(anyFiring.live).isNotBlank();
    }

    private void run(Simulation sim, String name) throws Exception {
        KAFKA.createTopic(name + "-events", 4);
        KAFKA.createTopic(name + "-dlq", 1);
        KAFKA.createTopic(name + "-recaps", 1);
        KAFKA.createTopic(name + "-alerts", 1);
        try (KafkaOutput out = new KafkaOutput(KAFKA.bootstrapServers(), name + "-events")) {
            out.send(sim.deliveries(), i -> {}, (done, total) -> {});
        }
        RedisFanStore.write(REDIS.uri(), sim.profiles(), n -> {});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(
                env,
                LiveMetricsOptions.parse(
                        "--kafka.bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--kafka.topic",
                        name + "-events",
                        "--kafka.group-id",
                        "job-" + name,
                        "--kafka.dlq-topic",
                        name + "-dlq",
                        "--kafka.recaps-topic",
                        name + "-recaps",
                        "--kafka.alerts-topic",
                        name + "-alerts",
                        "--kafka.bounded",
                        "true",
                        "--redis.uri",
                        REDIS.uri(),
                        "--influx.url",
                        INFLUX.url(),
                        "--influx.database",
                        name,
                        "--alerts.webhook-url",
                        "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook",
                        "--console",
                        "false",
                        "--parallelism",
                        "2",
                        "--checkpoint.interval",
                        "5 s"));
        env.execute("alerts " + name);
    }

    private static List<Alert> fromKafka(String topic, long expected) throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KafkaTopic.readAll(
                        KAFKA.bootstrapServers(), topic, expected, Duration.ofSeconds(60))) {
            alerts.add(alertOf(JSON.readTree(r.value())));
        }
        return alerts;
    }

    /** An alert back from its JSON (docs/alerts.md). */
    static Alert alertOf(JsonNode json) {
        Alert a = new Alert();
        a.room = json.path("room").asText();
        a.live = json.path("live").asText(null);
        a.kind = AlertKind.valueOf(json.path("kind").asText().toUpperCase(Locale.ROOT));
        a.severity = json.path("severity").asText();
        a.state = json.path("state").asText();
        a.ts = json.path("ts").asLong();
        a.firedAt = json.path("fired_at").asLong();
        a.value = json.path("value").asDouble();
        a.threshold = json.path("threshold").asDouble();
        a.baseline = json.has("baseline") ? json.path("baseline").asDouble() : null;
        a.evidence = json.path("evidence").asText();
        assertThat(json.path("incident").asText()).isEqualTo(a.incidentId());
        return a;
    }

    private static List<String> distinct(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> a.incidentId() + " " + a.state)
                .distinct()
                .sorted()
                .toList();
    }
}
