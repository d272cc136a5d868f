package io.livepulse.jobs.tiering;

import static io.livepulse.jobs.Story.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.livepulse.events.EventCodec;
import io.livepulse.events.EventType;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.enrich.FanDirectory;
import io.livepulse.jobs.enrich.RedisFanDirectory;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The fan tiering job and the CSV loader against a real Redis, on a MiniCluster. */
class FanTiersTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    static final long MIN = 60_000;

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = FanTiersCli.execute(args);
            return new Run(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    static EventRecord fanClubJoin(String user, long ts) {
        EventRecord e = follow(user).at(ts);
        e.type = EventType.FAN_CLUB_JOIN;
        return e;
    }

    Path history(String name, List<EventRecord> events) throws Exception {
        List<String> lines = new ArrayList<>();
        for (EventRecord e : events) {
            lines.add(new String(EventCodec.encode(e.toLiveEvent()), StandardCharsets.UTF_8));
        }
        lines.add("{not json");
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    static Map<String, String> hash(String room, String user) {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().hgetall(FanProfile.redisKey(room, user));
        } finally {
            client.shutdown();
        }
    }

    static List<String> keys(String pattern) {
        RedisClient client = RedisClient.create(REDIS.uri());
        List<String> keys = new ArrayList<>();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(pattern).limit(1000))
                    .forEachRemaining(keys::add);
        } finally {
            client.shutdown();
        }
        return keys;
    }

    @Test
    void aRunWritesExactlyTheFollowersProfilesAndReportsWhatChanged() throws Exception {
        long t = seconds(0);
        String asOf = Instant.ofEpochMilli(t).toString();
        List<EventRecord> events =
                new ArrayList<>(
                        List.of(
                                // hana: follows, watches 4 hours, buys, is in the fan club ->
                                // true-love
                                follow("hana").at(t - 20 * MIN),
                                enter("hana").at(t - 240 * MIN),
                                order("hana", 99_900).at(t - 30 * MIN),
                                leave("hana").at(t - MIN),
                                fanClubJoin("hana", t - 2 * MIN),
                                // ivan: follows, watches 2 hours and comments -> affinity (raw 24.5
                                // + 10 = 34.5 -> 57.8)
                                follow("ivan").at(t - 10 * MIN),
                                enter("ivan").at(t - 120 * MIN),
                                comment("ivan").at(t - 60 * MIN),
                                leave("ivan").at(t),
                                fanClubJoin("ivan", t),
                                // jin: follows and likes once -> passer-by
                                follow("jin").at(t - 5 * MIN),
                                like("jin", 1).at(t - 4 * MIN),
                                // kim: watches and buys but never follows -> no profile
                                enter("kim").at(t - 60 * MIN),
                                order("kim", 10_000).at(t - 30 * MIN)));
        Path file = history("history.jsonl", events);

        Run first =
                cli("score", "--input", file.toString(), "--redis", REDIS.uri(), "--as-of", asOf);

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(hash(ROOM, "hana"))
                .containsEntry("tier", "true_love")
                .containsEntry("fan_club", "1")
                .containsEntry("followed_at", Long.toString(t - 20 * MIN))
                .containsEntry("last_purchase_at", Long.toString(t - 30 * MIN));
        assertThat(hash(ROOM, "ivan"))
                .containsEntry("tier", "affinity")
                .doesNotContainKey("last_purchase_at");
        assertThat(hash(ROOM, "jin"))
                .containsEntry("tier", "passerby")
                .containsEntry("fan_club", "0");
        assertThat(hash(ROOM, "kim")).isEmpty();
        assertThat(keys("fan:" + ROOM + ":*")).hasSize(3);
        assertThat(first.out())
                .contains("room-1")
                .containsPattern("room-1\\s+3\\s+1\\s+1\\s+1\\s.*\\s3\\s+0\\s+0\\s+0");

        // jin comes back for a long watch: the next run moves jin up and says so
        events.addAll(
                List.of(
                        enter("jin").at(t - 200 * MIN),
                        leave("jin").at(t - 3 * MIN),
                        fanClubJoin("jin", t - 3 * MIN)));
        Run second =
                cli(
                        "score",
                        "--input",
                        history("history2.jsonl", events).toString(),
                        "--redis",
                        REDIS.uri(),
                        "--as-of",
                        asOf);
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(hash(ROOM, "jin").get("tier")).isNotEqualTo("passerby");
        assertThat(second.out()).containsPattern("room-1\\s+3\\s.*\\s0\\s+1\\s+0\\s+2");

        // the live job's fan directory reads the new tier (it freezes tiers at first sight, so
        // running broadcasts keep theirs and the next broadcast gets it)
        try (FanDirectory.Lookup lookup =
                new RedisFanDirectory(
                                REDIS.uri(), Duration.ofSeconds(1), 100, 0, Duration.ofSeconds(10))
                        .open()) {
            FanProfile jin = null;
            for (int i = 0; i < 50 && jin == null; i++) {
                try {
                    jin = lookup.lookup(ROOM, "jin").get();
                } catch (Exception notConnectedYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(jin).isNotNull();
            assertThat(jin.tier()).isNotEqualTo(Tier.PASSERBY);
        }
    }

    @Test
    void aWriteInterruptedHalfWayLeavesEveryProfileWholeOldOrNew() {
        List<FanProfile> old = new ArrayList<>();
        List<FanProfile> fresh = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            old.add(new FanProfile("room-x", "u" + i, Tier.PASSERBY, 1_000L, false, 10.0, null));
            fresh.add(
                    new FanProfile("room-x", "u" + i, Tier.TRUE_LOVE, 2_000L, true, 90.0, 3_000L));
        }
        RedisFanStore.write(REDIS.uri(), old, n -> {});

        assertThatThrownBy(
                        () ->
                                RedisFanStore.write(
                                        REDIS.uri(),
                                        fresh,
                                        n -> {
                                            throw new IllegalStateException("killed after " + n);
                                        }))
                .hasMessage("killed after 1000");

        List<String> keys = keys("fan:room-x:*");
        assertThat(keys).hasSize(2_500).noneMatch(k -> k.endsWith(":loading"));
        int updated = 0;
        for (int i = 0; i < 2_500; i++) {
            FanProfile p = FanProfile.fromHash("room-x", "u" + i, hash("room-x", "u" + i));
            assertThat(p).isIn(old.get(i), fresh.get(i));
            updated += p.equals(fresh.get(i)) ? 1 : 0;
        }
        assertThat(updated).isEqualTo(1_000);
    }

    @Test
    void theCsvLoaderRejectsBadRowsByLineAndLoadsAGoodFileCompletely() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(
                bad,
                "room,user,tier,followed_at,fan_club,intimacy\n"
                        + "crm-room,c1,true_love,1700000000000,1,91.5\n"
                        + "crm-room,c2,superfan,1700000000000,0,10\n"
                        + "crm-room,c3,affinity,yesterday,0,50\n"
                        + "crm-room,c4,passerby,2024-05-01T08:00:00Z,2,20\n"
                        + "crm-room,c5\n");
        Run rejected = cli("load-csv", "--file", bad.toString(), "--redis", REDIS.uri());
        assertThat(rejected.code()).isEqualTo(1);
        assertThat(rejected.err())
                .contains(bad + ":3: unknown tier \"superfan\"")
                .contains(
                        bad
                                + ":4: followed_at must be epoch milliseconds or an ISO-8601 instant, got \"yesterday\"")
                .contains(bad + ":5: fan_club must be 0 or 1, got \"2\"")
                .contains(bad + ":6: expected 6 columns, got 2")
                .contains("4 bad row(s)")
                .contains("nothing was loaded");
        assertThat(keys("fan:crm-room:*")).isEmpty();

        Path good = dir.resolve("good.csv");
        StringBuilder csv =
                new StringBuilder(
                        "room,user,tier,followed_at,fan_club,intimacy,last_purchase_at\n");
        for (int i = 0; i < 1_500; i++) {
            csv.append("crm-room,g")
                    .append(i)
                    .append(",affinity,2024-05-01T08:00:00Z,1,55.5,")
                    .append(i % 2 == 0 ? "1714550400000" : "")
                    .append('\n');
        }
        Files.writeString(good, csv);
        Run loaded = cli("load-csv", "--file", good.toString(), "--redis", REDIS.uri());
        assertThat(loaded.code()).as(loaded.err()).isZero();
        assertThat(keys("fan:crm-room:*")).hasSize(1_500);
        assertThat(FanProfile.fromHash("crm-room", "g0", hash("crm-room", "g0")))
                .isEqualTo(
                        new FanProfile(
                                "crm-room",
                                "g0",
                                Tier.AFFINITY,
                                Instant.parse("2024-05-01T08:00:00Z").toEpochMilli(),
                                true,
                                55.5,
                                1714550400000L));
        assertThat(hash("crm-room", "g1")).doesNotContainKey("last_purchase_at");
    }
}
