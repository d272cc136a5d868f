package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.recap.report.RecapCli;
import io.livepulse.jobs.recap.report.RecapSections;
import io.livepulse.jobs.sink.RecapPoints;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.simulator.io.Pacer;
import io.livepulse.simulator.ledger.Ledger;
import io.livepulse.testkit.InfluxServer;
import io.livepulse.testkit.KafkaBroker;
import io.livepulse.testkit.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-stream recap end to end: simulator → real Kafka → the job (MiniCluster) with real Redis
 * → recaps in real InfluxDB and on the recaps topic, compared with the simulator's ledger for
 * several broadcasts of each room; then the {@code recap} command renders one from InfluxDB and
 * headless Chromium opens it.
 */
class RecapRealServicesTest {

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

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir Path dir;

    @Test
    void recapsOfSeveralBroadcastsPerRoomEqualTheLedgerAndTheReportShowsThem() throws Exception {
        // 2 rooms, 3 broadcasts each: the third compares with two before it; the first broadcast
        // loses its live_end and is over when it has been silent for 30 min
        Simulation sim =
                Simulation.run(
                        SimulationOptions.defaults(Profile.FLASH_SALE, 23)
                                .withScale(2, 2_000, 3)
                                .withFaults(0.01, 2_000, 3)
                                .withLostLiveEnds(1));
        Ledger ledger = sim.ledger();
        feed(sim, "rc");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(env, LiveMetricsOptions.parse(jobArgs("rc", true)));
        env.execute("recaps");

        List<Ledger.BroadcastLedger> broadcasts =
                ledger.rooms().stream().flatMap(r -> r.broadcasts().stream()).toList();
        assertThat(broadcasts).hasSize(6);
        try (InfluxReadBack influx = new InfluxReadBack(INFLUX.url(), "rc")) {
            // the figures the recap is made of: every final point, the idle-ended broadcast too
            InfluxLedgerCheck.assertEqualsLedger(influx, ledger);
            SoftAssertions soft = new SoftAssertions();
            for (Ledger.BroadcastLedger b : broadcasts) {
                assertRecapPoints(soft, influx, b);
            }
            soft.assertAll();
        }

        // the recaps topic: one JSON record per broadcast (at least once: the last one counts)
        Map<String, JsonNode> recaps = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("rc-recaps", broadcasts.size())) {
            JsonNode json = new ObjectMapper().readTree(r.value());
            recaps.put(json.path("recap").path("live").asText(), json);
        }
        assertThat(recaps).hasSize(broadcasts.size());
        for (Ledger.BroadcastLedger b : broadcasts) {
            JsonNode json = recaps.get(b.live());
            assertThat(json.path("room_figures").path("gmv_cents").asLong())
                    .isEqualTo(b.total().gmvCents());
            assertThat(json.path("tiers").path("fans").path("uv").asLong())
                    .isEqualTo(b.fans().uv());
            assertThat(json.path("history")).hasSize(b.recap().history().size());
            assertThat(json.path("top_products").size()).isEqualTo(b.recap().topProducts().size());
        }

        // the report of the last broadcast of the first room, from InfluxDB
        Ledger.BroadcastLedger third = ledger.rooms().get(0).broadcasts().get(2);
        assertThat(
                        RecapCli.execute(
                                "--influx-url", INFLUX.url(),
                                "--database", "rc",
                                "--live", third.live(),
                                "--out", dir.toString()))
                .isZero();
        Path html = dir.resolve(third.live() + ".html");
        String page = Files.readString(html);
        assertThat(page)
                .as("a self-contained page: nothing to fetch")
                .doesNotContain("http://", "https://", "src=", "<link", "@import", "url(");
        List<String> keyFigures =
                List.of(
                        RecapSections.money(third.total().gmvCents()),
                        RecapSections.count(third.total().uv()),
                        RecapSections.count(third.pcu()),
                        RecapSections.percent(third.ratios().fanViewingRatio()),
                        third.recap().history().get("gmv_cents").rank()
                                + " / "
                                + third.recap().history().get("gmv_cents").of(),
                        third.recap().topProducts().get(0).sku());
        assertThat(page).contains(keyFigures);
        assertThat(Files.readString(dir.resolve(third.live() + ".md"))).contains(keyFigures);
        Map<String, String> csv = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve(third.live() + ".csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            csv.put(cells[2], cells.length > 5 ? cells[cells.length - 1] : "");
        }
        assertThat(csv.get("gmv_cents")).isEqualTo(Long.toString(third.total().gmvCents()));
        assertThat(csv.get("funnel.buyers")).isEqualTo(Long.toString(third.funnel().buyers()));
        assertThat(csv.get("history.gmv_cents_rank"))
                .isEqualTo(third.recap().history().get("gmv_cents").rank().toString());
        assertThat(csv.get("product.1.sku")).isEqualTo(third.recap().topProducts().get(0).sku());

        // headless Chromium renders it: the key figures are on the page, and a screenshot is taken
        assertThat(CHROMIUM)
                .as("Debian's chromium (scripts/install-deps.sh installs it)")
                .isExecutable();
        String dom = chromium(html, "--dump-dom");
        assertThat(dom).contains(keyFigures);
        Path png = dir.resolve("recap.png");
        chromium(html, "--screenshot=" + png, "--window-size=1100,3300");
        byte[] image = Files.readAllBytes(png);
        assertThat(image.length).as("screenshot bytes").isGreaterThan(20_000);
        assertThat(new String(image, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PNG");
    }

    @Test
    void aRecapIsWrittenWithinAMinuteOfEventTimeAfterLiveEnd() throws Exception {
        // two rooms a minute apart: the second room's events carry the stream past the first
        // room's live_end
        Simulation sim =
                Simulation.run(
                        SimulationOptions.defaults(Profile.FLASH_SALE, 5).withScale(2, 600, 1));
        Ledger.BroadcastLedger first = sim.ledger().rooms().get(0).broadcasts().get(0);
        long speed = 20;
        List<Delivery> backlog = new ArrayList<>();
        List<Delivery> live = new ArrayList<>();
        EventCodec codec = new EventCodec();
        for (Delivery d : sim.deliveries()) {
            long ts = ((DecodeResult.Valid) codec.decode(d.value())).event().ts();
            (live.isEmpty() && ts < first.end() - 120_000 ? backlog : live).add(d);
        }
        // one partition read by one source task: an empty partition, or a source task without
        // one, holds the watermark back until it turns idle (30 s of wall time), which a
        // production topic whose partitions all carry rooms never does
        createTopics("lat", 1);
        RedisFanStore.write(REDIS.uri(), sim.profiles(), n -> {});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<String> args = new ArrayList<>(List.of(jobArgs("lat", false)));
        args.addAll(List.of("--parallelism", "1"));
        LiveMetricsJob.build(env, LiveMetricsOptions.parse(args.toArray(String[]::new)));
        JobClient job = env.executeAsync("recap latency");
        try (KafkaOutput out = new KafkaOutput(KAFKA.bootstrapServers(), "lat-events")) {
            out.send(backlog, i -> {}, (done, total) -> {});
            // from two minutes before the end on, the stream arrives at 20x event time
            long ts0 = ((DecodeResult.Valid) codec.decode(live.get(0).value())).event().ts();
            long wall0 = System.currentTimeMillis();
            out.send(
                    live,
                    new Pacer(live.stream().map(Delivery::value).toList(), speed),
                    (d, t) -> {});
            ConsumerRecord<byte[], byte[]> recap =
                    readAll("lat-recaps", 1).stream()
                            .filter(r -> new String(r.value()).contains(first.live()))
                            .findFirst()
                            .orElseThrow();
            // the event time the feed had reached when the recap was written
            long eventTimeAtWrite = ts0 + (recap.timestamp() - wall0) * speed;
            long afterEnd = eventTimeAtWrite - first.end();
            System.out.printf(
                    "RECAP written %.1f s of event time after live_end (fed at %dx)%n",
                    afterEnd / 1000.0, speed);
            assertThat(afterEnd).as("event time from live_end to the recap, ms").isLessThan(60_000);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertRecapPoints(
            SoftAssertions soft, InfluxReadBack influx, Ledger.BroadcastLedger b) {
        String what = b.live();
        List<Map<String, Object>> rows =
                influx.rows(
                        "SELECT * FROM "
                                + RecapPoints.RECAP_MEASUREMENT
                                + " WHERE live = '"
                                + b.live()
                                + "'");
        soft.assertThat(rows).as("%s recap points", what).hasSize(1);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> r = rows.get(0);
        soft.assertThat(InfluxReadBack.asLong(r, "time")).as(what + " time").isEqualTo(b.end());
        soft.assertThat(InfluxReadBack.asLong(r, "start")).as(what + " start").isEqualTo(b.start());
        soft.assertThat(InfluxReadBack.asLong(r, "duration_ms"))
                .as(what + " duration")
                .isEqualTo(b.durationMs());
        Map<String, Long> funnel =
                Map.of(
                        "new_viewers", b.funnel().newViewers(),
                        "follows", b.funnel().follows(),
                        "fan_club_joins", b.funnel().fanClubJoins(),
                        "interacting_viewers", b.funnel().interactingViewers(),
                        "buyers", b.funnel().buyers(),
                        "repeat_buyers", b.funnel().repeatBuyers(),
                        "sharers", b.funnel().sharers());
        funnel.forEach(
                (step, count) -> {
                    soft.assertThat(InfluxReadBack.asLong(r, step))
                            .as(what + " " + step)
                            .isEqualTo(count);
                    Double rate = b.total().uv() == 0 ? null : (double) count / b.total().uv();
                    LedgerAssertions.ratio(
                            soft,
                            what + " " + step + "_rate",
                            rate,
                            InfluxReadBack.asDouble(r, step + "_rate"));
                });
        b.recap()
                .history()
                .forEach(
                        (figure, c) -> {
                            String f = what + " " + figure;
                            LedgerAssertions.ratio(
                                    soft, f, c.value(), InfluxReadBack.asDouble(r, figure));
                            LedgerAssertions.ratio(
                                    soft,
                                    f + " previous",
                                    c.previous(),
                                    InfluxReadBack.asDouble(r, figure + "_previous"));
                            LedgerAssertions.ratio(
                                    soft,
                                    f + " difference",
                                    c.difference(),
                                    InfluxReadBack.asDouble(r, figure + "_difference"));
                            soft.assertThat(
                                            c.rank() == null
                                                    ? null
                                                    : InfluxReadBack.asLong(r, figure + "_rank"))
                                    .as(f + " rank")
                                    .isEqualTo(c.rank() == null ? null : c.rank().longValue());
                            soft.assertThat(InfluxReadBack.asLong(r, figure + "_of"))
                                    .as(f + " of")
                                    .isEqualTo(c.of());
                        });
        List<Map<String, Object>> products =
                influx.rows(
                        "SELECT * FROM "
                                + RecapPoints.PRODUCT_MEASUREMENT
                                + " WHERE live = '"
                                + b.live()
                                + "'");
        products.sort((x, y) -> ((String) x.get("rank")).compareTo((String) y.get("rank")));
        soft.assertThat(
                        products.stream()
                                .map(
                                        p ->
                                                List.of(
                                                        p.get("sku"),
                                                        InfluxReadBack.asLong(p, "orders"),
                                                        InfluxReadBack.asLong(p, "paid_cents"),
                                                        InfluxReadBack.asLong(p, "refunds"),
                                                        InfluxReadBack.asLong(p, "refunded_cents"),
                                                        InfluxReadBack.asLong(p, "gmv_cents")))
                                .toList())
                .as(what + " top products")
                .isEqualTo(LedgerAssertions.topProductRows(b));
    }

    private static String[] jobArgs(String name, boolean bounded) {
        return new String[] {
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
            Boolean.toString(bounded),
            "--redis.uri",
            REDIS.uri(),
            "--influx.url",
            INFLUX.url(),
            "--influx.database",
            name,
            "--console",
            "false",
            "--parallelism",
            "2",
            "--checkpoint.interval",
            "2 s"
        };
    }

    private static void createTopics(String name, int partitions) {
        KAFKA.createTopic(name + "-events", partitions);
        KAFKA.createTopic(name + "-dlq", 1);
        KAFKA.createTopic(name + "-recaps", 1);
        KAFKA.createTopic(name + "-alerts", 1);
    }

    private static void feed(Simulation sim, String name) throws Exception {
        createTopics(name, 4);
        try (KafkaOutput out = new KafkaOutput(KAFKA.bootstrapServers(), name + "-events")) {
            out.send(sim.deliveries(), i -> {}, (done, total) -> {});
        }
        RedisFanStore.write(REDIS.uri(), sim.profiles(), n -> {});
    }

    /** Every record of {@code topic}: until at least {@code expected} arrived (60 s at most). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        return KafkaTopic.readAll(
                KAFKA.bootstrapServers(), topic, expected, Duration.ofSeconds(60));
    }

    /** Runs headless Chromium on the page; returns what it printed. */
    private String chromium(Path page, String... what) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                CHROMIUM.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        cmd.addAll(List.of(what));
        cmd.add(page.toUri().toString());
        Process p =
                new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out =
                new String(
                        p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue())
                .as("chromium exit code (log: %s)", Files.readString(dir.resolve("chromium.log")))
                .isZero();
        return out;
    }
}
