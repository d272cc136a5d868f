package io.livepulse.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.livepulse.fans.FanProfile;
import io.livepulse.simulator.generate.RecordKeys;
import io.livepulse.simulator.io.Json;
import io.livepulse.simulator.io.JsonLines;
import io.livepulse.testkit.KafkaBroker;
import io.livepulse.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's outputs read back from a real Kafka broker and a real Redis. */
class SimulatorOutputsTest {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    @TempDir Path dir;

    @Test
    void kafkaOutputAndReplayEqualTheFileRecordForRecord() throws Exception {
        KAFKA.createTopic("sim-direct", 4);
        KAFKA.createTopic("sim-replayed", 4);
        Path out = dir.resolve("run");
        int code =
                SimulatorCli.execute(
                        "generate",
                        "--profile",
                        "steady",
                        "--seed",
                        "9",
                        "--rooms",
                        "5",
                        "--viewers",
                        "1500",
                        "--duplicate-rate",
                        "0.02",
                        "--max-delay-ms",
                        "1500",
                        "--malformed",
                        "14",
                        "--out",
                        out.toString(),
                        "--quiet",
                        "--kafka-bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "sim-direct");
        assertThat(code).isZero();
        List<byte[]> file = JsonLines.read(out.resolve("events.jsonl"));

        List<ConsumerRecord<String, byte[]>> direct = readAll("sim-direct", file.size());
        assertThat(direct).hasSize(file.size());
        // Keyed records keep the file's order within their key (one key, one partition).
        assertThat(byKey(direct)).isEqualTo(byKey(file));

        assertThat(
                        SimulatorCli.execute(
                                "replay",
                                "--file",
                                out.resolve("events.jsonl").toString(),
                                "--kafka-bootstrap",
                                KAFKA.bootstrapServers(),
                                "--topic",
                                "sim-replayed"))
                .isZero();
        List<ConsumerRecord<String, byte[]>> replayed = readAll("sim-replayed", file.size());
        assertThat(replayed).hasSize(file.size());
        assertThat(byPartitionKeyed(replayed)).isEqualTo(byPartitionKeyed(direct));
        assertThat(byKey(replayed)).isEqualTo(byKey(file));
    }

    @Test
    void profilesLoadedIntoRedisReadBackEqualTheFile() throws Exception {
        Path out = dir.resolve("profiles-run");
        int code =
                SimulatorCli.execute(
                        "generate",
                        "--seed",
                        "4",
                        "--rooms",
                        "3",
                        "--viewers",
                        "2000",
                        "--out",
                        out.toString(),
                        "--quiet",
                        "--redis",
                        REDIS.uri());
        assertThat(code).isZero();
        List<FanProfile> expected =
                Files.readAllLines(out.resolve("profiles.jsonl")).stream()
                        .map(Json::parseProfileLine)
                        .toList();
        assertThat(expected).hasSizeGreaterThan(500);

        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            for (FanProfile p : expected) {
                Map<String, String> hash = redis.hgetall(p.redisKey());
                assertThat(FanProfile.fromHash(p.room(), p.user(), hash)).isEqualTo(p);
            }
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(redis, ScanArgs.Builder.matches("fan:*").limit(1000))
                    .forEachRemaining(keys::add);
            assertThat(keys).hasSize(expected.size()); // no staging keys left behind
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aProfileFileWithABadLineLoadsNothingAndNamesTheLine() throws Exception {
        Path file = dir.resolve("bad-profiles.jsonl");
        Files.write(
                file,
                List.of(
                        "{\"room\":\"bad-room\",\"user\":\"u1\",\"tier\":\"true_love\",\"followed_at\":1700000000000,\"fan_club\":1,\"intimacy\":90}",
                        "{\"room\":\"bad-room\",\"user\":\"u2\",\"tier\":\"superfan\",\"followed_at\":1700000000000}",
                        "{\"room\":\"bad-room\",\"user\":\"u3\",\"tier\":\"affinity\",\"followed_at\":\"yesterday\"}"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code =
                    SimulatorCli.execute(
                            "load-profiles", "--file", file.toString(), "--redis", REDIS.uri());
        } finally {
            System.setErr(saved);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(message)
                .contains(file + ":2: unknown tier \"superfan\"")
                .contains(file + ":3: 'followed_at' must be an integer")
                .contains("nothing was loaded");
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().exists("fan:bad-room:u1")).isZero();
        } finally {
            client.shutdown();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KAFKA.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + topic,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // one more poll: nothing beyond what the file holds
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    /** Values per key in order; records without a key are compared as a sorted multiset. */
    private static Map<String, List<ByteBuffer>> byKey(List<?> records) {
        Map<String, List<ByteBuffer>> out = new TreeMap<>();
        for (Object o : records) {
            String key;
            byte[] value;
            if (o instanceof ConsumerRecord<?, ?> r) {
                key = (String) r.key();
                value = (byte[]) r.value();
            } else {
                value = (byte[]) o;
                key = RecordKeys.keyOf(value);
            }
            out.computeIfAbsent(key == null ? "<no key>" : key, k -> new ArrayList<>())
                    .add(ByteBuffer.wrap(value));
        }
        out.computeIfPresent(
                "<no key>", (k, v) -> v.stream().sorted().collect(Collectors.toList()));
        return out;
    }

    /** Keyed records per partition, in partition order. */
    private static Map<Integer, List<ByteBuffer>> byPartitionKeyed(
            List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, List<ByteBuffer>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.key() != null) {
                out.computeIfAbsent(r.partition(), p -> new ArrayList<>())
                        .add(ByteBuffer.wrap(r.value()));
            }
        }
        return out;
    }
}
