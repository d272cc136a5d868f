package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepulse.simulator.ledger.Ledger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the job's dead-letter topic back and compares it with the simulator's ledger. */
public final class DeadLetterTopic {
    private DeadLetterTopic() {}

    /**
     * Every dead letter in {@code topic}: reads until at least {@code expected} arrived (30 s at
     * most), then whatever follows within half a second, so extra copies are seen too.
     */
    public static List<JsonNode> read(String bootstrap, String topic, long expected)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "read-" + topic + "-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(mapper.readTree(r.value()));
                }
            }
            for (var r : consumer.poll(Duration.ofMillis(500))) {
                out.add(mapper.readTree(r.value()));
            }
        }
        return out;
    }

    /**
     * Asserts the dead letters are exactly the ledger's malformed records, each with its source
     * topic and offset; copies of one (the topic is written at least once, so a replay after a
     * failure may repeat one) count once. Returns how many distinct dead letters there are.
     */
    public static long assertHoldsExactlyTheMalformed(
            List<JsonNode> deadLetters, Ledger ledger, String sourceTopic) {
        Map<String, JsonNode> byOffset = new LinkedHashMap<>();
        for (JsonNode d : deadLetters) {
            byOffset.putIfAbsent(d.path("partition").asInt() + "/" + d.path("offset").asLong(), d);
        }
        List<JsonNode> distinct = List.copyOf(byOffset.values());
        assertThat(distinct.stream().map(d -> d.get("raw_base64").asText()).sorted().toList())
                .as("dead letters, one per source offset")
                .isEqualTo(
                        ledger.delivery().malformedRecords().stream()
                                .map(Ledger.MalformedRecord::base64)
                                .sorted()
                                .toList());
        assertThat(distinct)
                .allSatisfy(
                        d -> {
                            assertThat(d.get("topic").asText()).isEqualTo(sourceTopic);
                            assertThat(d.get("offset").asLong()).isNotNegative();
                        });
        return distinct.size();
    }
}
