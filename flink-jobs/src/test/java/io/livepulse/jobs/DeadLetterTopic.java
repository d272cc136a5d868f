package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepulse.jobs.ingest.LateToDeadLetter;
import io.livepulse.simulator.ledger.Ledger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        for (var r : KafkaTopic.readAll(bootstrap, topic, expected, Duration.ofSeconds(30))) {
            out.add(mapper.readTree(r.value()));
        }
        return out;
    }

    /**
     * Asserts the dead letters are exactly the ledger's malformed records, each with its source
     * topic and offset, and its late events, each re-encoded by the job (reason {@code
     * late_event}). The topic is written at least once, so a replay after a failure may repeat a
     * dead letter: copies of one malformed record (same offset) or of one late event (same id)
     * count once. Returns how many distinct dead letters there are.
     */
    public static long assertHoldsExactlyTheMalformedAndLate(
            List<JsonNode> deadLetters, Ledger ledger, String sourceTopic) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> malformedByOffset = new LinkedHashMap<>();
        Map<String, JsonNode> lateById = new LinkedHashMap<>();
        for (JsonNode d : deadLetters) {
            if (d.path("reason").asText().equals(LateToDeadLetter.REASON)) {
                JsonNode event =
                        mapper.readTree(Base64.getDecoder().decode(d.get("raw_base64").asText()));
                lateById.putIfAbsent(event.path("id").asText(), event);
            } else {
                malformedByOffset.putIfAbsent(
                        d.path("partition").asInt() + "/" + d.path("offset").asLong(), d);
            }
        }
        List<JsonNode> malformed = List.copyOf(malformedByOffset.values());
        assertThat(malformed.stream().map(d -> d.get("raw_base64").asText()).sorted().toList())
                .as("malformed dead letters, one per source offset")
                .isEqualTo(
                        ledger.delivery().malformedRecords().stream()
                                .map(Ledger.MalformedRecord::base64)
                                .sorted()
                                .toList());
        assertThat(malformed)
                .allSatisfy(
                        d -> {
                            assertThat(d.get("topic").asText()).isEqualTo(sourceTopic);
                            assertThat(d.get("offset").asLong()).isNotNegative();
                        });
        assertThat(
                        lateById.values().stream()
                                .map(
                                        e ->
                                                e.path("id").asText()
                                                        + " "
                                                        + e.path("room").asText()
                                                        + " "
                                                        + e.path("ts").asLong())
                                .sorted()
                                .toList())
                .as("late dead letters, one per event id")
                .isEqualTo(
                        ledger.delivery().lateRecords().stream()
                                .map(l -> l.id() + " " + l.room() + " " + l.ts())
                                .sorted()
                                .toList());
        return malformed.size() + lateById.size();
    }
}
