package io.livepulse.jobs.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.InfluxReadBack;
import io.livepulse.jobs.LiveMetricsJob;
import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.sink.SnapshotPoints;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.simulator.ledger.Ledger;
import io.livepulse.testkit.InfluxServer;
import io.livepulse.testkit.KafkaBroker;
import io.livepulse.testkit.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard check: the provisioned boards are well formed, every panel uses the provisioned
 * datasource, and every InfluxQL target, with $timeFilter, $__interval and the variables
 * substituted, runs against the real InfluxDB after a simulated broadcast and returns the fields
 * the panel shows. Flink's own metrics go to the same InfluxDB (its InfluxDB reporter), as on the
 * stacks, so the pipeline-health panels are checked too.
 */
class DashboardsTest {
    static final Path DASHBOARDS =
            Path.of(System.getProperty("livepulse.dashboards", "../dashboards"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String DB = "livepulse";

    @Order(1)
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @Order(2)
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    // Its port is known before it starts: the MiniCluster's metrics reporter is configured with it.
    @Order(0)
    @RegisterExtension
    static final InfluxServer INFLUX = new InfluxServer();

    @Order(3)
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(influxReporter())
                            .build());

    static Simulation sim;

    /**
     * The Flink metrics the boards read, and all the reporter sends (scripts/stack.sh and
     * docker-compose.yml say the same; a test below holds them to it): the other ~350 measurements
     * cost InfluxDB writes the live job's points wait behind (docs/benchmarks.md, change 16).
     */
    static final String REPORTED =
            "jobmanager.job:lastCheckpointDuration;taskmanager.job.task.operator:pendingRecords,"
                    + "deadLetters,lateEvents,lateRoomEvents,redisFallbacks";

    /** The reporter settings the stacks use, pointed at the test's InfluxDB. */
    static Configuration influxReporter() {
        Configuration c = new Configuration();
        c.setString(
                "metrics.reporter.influxdb.factory.class",
                "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory");
        c.setString("metrics.reporter.influxdb.scheme", "http");
        c.setString("metrics.reporter.influxdb.host", "127.0.0.1");
        c.setString("metrics.reporter.influxdb.port", Integer.toString(INFLUX.port()));
        c.setString("metrics.reporter.influxdb.db", DB);
        c.setString("metrics.reporter.influxdb.interval", "1 SECONDS");
        c.setString("metrics.reporter.influxdb.filter.includes", REPORTED);
        return c;
    }

    /**
     * A broadcast with dead letters, duplicates and disorder, through Kafka, the job and InfluxDB;
     * once, from inside a test (before each test the extension makes the shared MiniCluster, with
     * the metrics reporter, the context environment; in @BeforeAll it is not yet).
     */
    static synchronized void simulateABroadcast() throws Exception {
        if (sim != null) {
            return;
        }
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), DB)) {
            influx.rows("CREATE DATABASE " + DB);
        }
        Simulation simulation =
                Simulation.run(
                        SimulationOptions.defaults(Profile.FLASH_SALE, 12)
                                .withScale(3, 1_500, 2)
                                .withFaults(0.01, 2_000, 7));
        KAFKA.createTopic("board-events", 2);
        KAFKA.createTopic("board-dlq", 1);
        KAFKA.createTopic("board-recaps", 1);
        KAFKA.createTopic("board-alerts", 1);
        try (KafkaOutput out = new KafkaOutput(KAFKA.bootstrapServers(), "board-events")) {
            out.send(simulation.deliveries(), i -> {}, (done, total) -> {});
        }
        RedisFanStore.write(REDIS.uri(), simulation.profiles(), n -> {});

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(
                env,
                LiveMetricsOptions.parse(
                        "--kafka.bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--kafka.topic",
                        "board-events",
                        "--kafka.dlq-topic",
                        "board-dlq",
                        "--kafka.recaps-topic",
                        "board-recaps",
                        "--kafka.alerts-topic",
                        "board-alerts",
                        "--redis.uri",
                        REDIS.uri(),
                        "--influx.url",
                        INFLUX.url(),
                        "--influx.database",
                        DB,
                        "--console",
                        "false",
                        "--checkpoint.interval",
                        "1 s",
                        // thresholds this low make the short broadcast raise room and pipeline
                        // alerts, for the alert table, column and annotations to show
                        "--alerts.viewer-cliff.drop",
                        "0.01",
                        "--alerts.viewer-cliff.min-drop",
                        "1",
                        "--alerts.dead-letters.per-minute",
                        "1"));
        // Unbounded, like production: runs until final snapshots and Flink's checkpoint and source
        // metrics are in InfluxDB, then is cancelled. (The last room to end gets its final
        // snapshot only when later events move the watermark past its live_end: the stream ends
        // here, so five of the six broadcasts of three rooms are final, and have a recap.)
        JobClient job = env.executeAsync("dashboard check");
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), DB)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            String state = "";
            while (System.nanoTime() < deadline) {
                long finals = finalSnapshots(influx);
                long recaps = influx.rows("SELECT \"uv\" FROM \"live_recap\"").size();
                boolean checkpoints = hasSeries(influx, "jobmanager_job_lastCheckpointDuration");
                boolean lag = hasSeries(influx, "taskmanager_job_task_operator_pendingRecords");
                // rate panels need several reports of a counter (the reporter writes every second)
                boolean reports =
                        influx.rows(
                                                "SELECT \"count\" FROM \"taskmanager_job_task_operator_deadLetters\"")
                                        .size()
                                >= 10;
                state =
                        "final snapshots "
                                + finals
                                + ", recaps "
                                + recaps
                                + ", checkpoint metric "
                                + checkpoints
                                + ", lag metric "
                                + lag
                                + ", counter reports "
                                + reports;
                if (finals >= 5 && recaps >= 5 && checkpoints && lag && reports) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(state)
                    .as("the broadcast and Flink's metrics reached InfluxDB")
                    .isEqualTo(
                            "final snapshots 5, recaps 5, checkpoint metric true, lag metric true, counter reports true");
        } finally {
            job.cancel().get();
        }
        sim = simulation;
    }

    static long finalSnapshots(InfluxReadBack influx) {
        return influx.rows("SELECT \"uv\" FROM \"live_room\" WHERE \"final\" = true").size();
    }

    static boolean hasSeries(InfluxReadBack influx, String measurement) {
        return !influx.rows("SELECT * FROM \"" + measurement + "\" LIMIT 1").isEmpty();
    }

    static List<Path> boards() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS.resolve("boards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    static JsonNode provisionedDatasource() throws IOException {
        JsonNode ds =
                YAML.readTree(DASHBOARDS.resolve("provisioning/datasources/influxdb.yaml").toFile())
                        .get("datasources")
                        .get(0);
        assertThat(ds.get("type").asText()).isEqualTo("influxdb");
        return ds;
    }

    @Test
    void theStacksReportTheTestedFlinkMetricsAndNoOthers() throws Exception {
        for (Path config :
                List.of(Path.of("../scripts/stack.sh"), Path.of("../docker-compose.yml"))) {
            assertThat(Files.readString(config))
                    .as(config + " reports what the boards read (DashboardsTest.REPORTED)")
                    .contains("metrics.reporter.influxdb.filter.includes: " + REPORTED + "\n");
        }
        simulateABroadcast();
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), DB)) {
            // the filter is in force (a wrong one would report everything or nothing; the panels'
            // test shows the boards' metrics arrive)
            assertThat(hasSeries(influx, "taskmanager_job_task_operator_numRecordsIn"))
                    .as("a metric no board reads")
                    .isFalse();
            assertThat(hasSeries(influx, "taskmanager_Status_JVM_CPU_Load")).isFalse();
        }
    }

    @Test
    void boardsAreWellFormedAndUseTheProvisionedDatasource() throws IOException {
        JsonNode ds = provisionedDatasource();
        List<Path> boards = boards();
        assertThat(boards)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("live-room.json", "operations.json", "recap.json");
        SoftAssertions soft = new SoftAssertions();
        Set<String> uids = new HashSet<>();
        for (Path file : boards) {
            JsonNode board = JSON.readTree(file.toFile());
            String uid = board.get("uid").asText();
            soft.assertThat(uid).as(file + " uid").matches("[A-Za-z0-9_-]{8,40}");
            soft.assertThat(uids.add(uid)).as(file + " uid unique").isTrue();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : board.get("panels")) {
                String where = file.getFileName() + " panel " + panel.get("title").asText();
                soft.assertThat(ids.add(panel.get("id").asInt()))
                        .as(where + ": unique id")
                        .isTrue();
                soft.assertThat(panel.get("title").asText())
                        .as(where + ": Chinese and English title")
                        .matches(".*\\p{IsHan}.* · [A-Za-z].*");
                datasource(soft, where, panel.get("datasource"), ds);
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : panel.get("targets")) {
                    soft.assertThat(refIds.add(t.get("refId").asText()))
                            .as(where + ": unique refId")
                            .isTrue();
                    datasource(
                            soft, where + " " + t.get("refId").asText(), t.get("datasource"), ds);
                    soft.assertThat(t.get("rawQuery").asBoolean())
                            .as(where + ": InfluxQL")
                            .isTrue();
                }
            }
            for (JsonNode variable : board.get("templating").get("list")) {
                datasource(
                        soft,
                        file.getFileName() + " variable " + variable.get("name").asText(),
                        variable.get("datasource"),
                        ds);
            }
        }
        soft.assertAll();
    }

    private static void datasource(
            SoftAssertions soft, String where, JsonNode ref, JsonNode provisioned) {
        soft.assertThat(ref).as(where + ": datasource").isNotNull();
        if (ref != null) {
            soft.assertThat(ref.get("type").asText())
                    .as(where + ": datasource type")
                    .isEqualTo(provisioned.get("type").asText());
            soft.assertThat(ref.get("uid").asText())
                    .as(where + ": datasource uid")
                    .isEqualTo(provisioned.get("uid").asText());
        }
    }

    @Test
    void everyTargetRunsAgainstTheRealInfluxDbAndReturnsTheFieldsThePanelShows() throws Exception {
        simulateABroadcast();
        // the hot room's second broadcast: its recap compares it with the first
        Ledger.BroadcastLedger hot = sim.ledger().rooms().get(0).broadcasts().get(1);
        Map<String, String> variables = Map.of("$room", hot.room(), "$live", hot.live());
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), DB)) {
            for (Path file : boards()) {
                JsonNode board = JSON.readTree(file.toFile());
                for (JsonNode variable : board.get("templating").get("list")) {
                    String q = substitute(variable.get("query").asText(), variables);
                    soft.assertThat(runs(influx, q))
                            .as(
                                    file.getFileName()
                                            + " variable "
                                            + variable.get("name").asText()
                                            + ": "
                                            + q)
                            .isNotEmpty();
                }
                for (JsonNode annotation : board.get("annotations").get("list")) {
                    if (!annotation.has("target")) {
                        continue; // Grafana's built-in one
                    }
                    String q =
                            substitute(annotation.get("target").get("query").asText(), variables);
                    List<Map<String, Object>> rows = runs(influx, q);
                    soft.assertThat(rows).as(file.getFileName() + " annotation: " + q).isNotEmpty();
                    for (String column :
                            (annotation.get("textColumn").asText()
                                            + ","
                                            + annotation.get("tagsColumn").asText())
                                    .split(",")) {
                        soft.assertThat(rows.stream().anyMatch(r -> r.get(column) != null))
                                .as(file.getFileName() + " annotation column " + column)
                                .isTrue();
                    }
                    checked++;
                }
                for (JsonNode panel : board.get("panels")) {
                    for (JsonNode t : panel.get("targets")) {
                        String q = substitute(t.get("query").asText(), variables);
                        String where =
                                file.getFileName()
                                        + " \""
                                        + panel.get("title").asText()
                                        + "\" "
                                        + t.get("refId").asText()
                                        + ": "
                                        + q;
                        List<Map<String, Object>> rows = runs(influx, q);
                        soft.assertThat(rows).as(where + " returns rows").isNotEmpty();
                        soft.assertThat(rows.stream().anyMatch(DashboardsTest::hasAValue))
                                .as(where + " returns values")
                                .isTrue();
                        for (String alias : aliases(q)) {
                            soft.assertThat(rows.stream().anyMatch(r -> r.get(alias) != null))
                                    .as(where + " returns field " + alias)
                                    .isTrue();
                        }
                        checked++;
                    }
                }
            }
        }
        soft.assertThat(checked).isGreaterThan(25);
        soft.assertAll();
    }

    /**
     * A live_tier point carries its every field only once a minute (SnapshotPoints): a board that
     * read another tier field would show it up to a minute late, or nothing for a short broadcast.
     * And every field a tick carries is one a board reads (selected, or filtered on as the recap
     * board filters on the broadcast): InfluxDB's write of each tick grows with them.
     */
    @Test
    void boardsReadExactlyTheTierFieldsEveryTickCarries() throws IOException {
        Set<String> read = new HashSet<>();
        for (Path file : boards()) {
            for (JsonNode panel : JSON.readTree(file.toFile()).get("panels")) {
                for (JsonNode t : panel.get("targets")) {
                    String q = t.get("query").asText();
                    if (!q.contains("FROM \"" + SnapshotPoints.TIER_MEASUREMENT + "\"")) {
                        continue;
                    }
                    String select =
                            q.substring(0, q.indexOf(" FROM ")).replaceAll(" AS \"[^\"]+\"", "");
                    Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(select);
                    while (m.find()) {
                        read.add(m.group(1));
                    }
                    int where = q.indexOf(" WHERE ");
                    if (where >= 0) {
                        Matcher filtered =
                                Pattern.compile("\"([^\"]+)\" =").matcher(q.substring(where));
                        while (filtered.find()) {
                            read.add(filtered.group(1));
                        }
                    }
                }
            }
        }
        read.removeAll(Set.of("room", "tier")); // the tags
        assertThat(read).containsExactlyInAnyOrderElementsOf(SnapshotPoints.HEADLINE_TIER_FIELDS);
    }

    @Test
    void alertRuleQueriesRunWithoutError() throws Exception {
        simulateABroadcast();
        JsonNode rules =
                YAML.readTree(DASHBOARDS.resolve("provisioning/alerting/rules.yaml").toFile());
        int checked = 0;
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), DB)) {
            for (JsonNode group : rules.get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    assertThat(rule.get("noDataState").asText())
                            .as(rule.get("uid").asText())
                            .isEqualTo("OK");
                    for (JsonNode data : rule.get("data")) {
                        JsonNode model = data.get("model");
                        if (model.has("query")) {
                            runs(influx, substitute(model.get("query").asText(), Map.of()));
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(4);
    }

    /**
     * What Grafana does before sending a query; all time so both event-time and wall-clock data
     * match.
     */
    static String substitute(String query, Map<String, String> variables) {
        // The job's points carry event time (the simulated day); Flink's metrics carry wall-clock
        // time.
        boolean jobPoints = query.contains("\"live_");
        String timeFilter =
                jobPoints
                        ? "time >= " + simulatedStart() + "ms AND time <= " + simulatedEnd() + "ms"
                        : "time > now() - 1h";
        // Grafana's interval follows the time range: minutes over a broadcast, seconds over the
        // last moments of Flink's metrics.
        String q =
                query.replace("$timeFilter", timeFilter)
                        .replace("$__interval", jobPoints ? "1m" : "1s");
        for (Map.Entry<String, String> v : variables.entrySet()) {
            q = q.replace(v.getKey(), v.getValue());
        }
        assertThat(q)
                .as("every variable substituted in " + q)
                .doesNotContainPattern("\\$[A-Za-z_]");
        return q;
    }

    static long simulatedStart() {
        return sim.ledger().rooms().stream()
                .flatMap(r -> r.broadcasts().stream())
                .mapToLong(Ledger.BroadcastLedger::start)
                .min()
                .orElseThrow();
    }

    static long simulatedEnd() {
        return sim.ledger().rooms().stream()
                .flatMap(r -> r.broadcasts().stream())
                .mapToLong(Ledger.BroadcastLedger::end)
                .max()
                .orElseThrow();
    }

    static List<Map<String, Object>> runs(InfluxReadBack influx, String q) {
        return influx.rows(q); // throws with InfluxDB's message on a bad query
    }

    static boolean hasAValue(Map<String, Object> row) {
        return row.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals("time") && e.getValue() instanceof Number);
    }

    static List<String> aliases(String query) {
        List<String> aliases = new ArrayList<>();
        Matcher m = Pattern.compile("AS \"([^\"]+)\"").matcher(query);
        while (m.find()) {
            aliases.add(m.group(1));
        }
        return aliases;
    }
}
