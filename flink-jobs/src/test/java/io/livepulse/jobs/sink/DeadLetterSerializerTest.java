package io.livepulse.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepulse.jobs.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {

    @Test
    void aDeadLetterIsKeyedByReasonAndStampedWhenWrittenNotWithItsEventTime() throws Exception {
        byte[] raw = "{\"v\":1,\"id\":\"e-1\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = new DeadLetter("late_event", "behind the watermark", null, -1, -1, raw);
        long monthsAgo = 1_772_366_400_000L; // an event time far beyond the topic's retention

        ProducerRecord<byte[], byte[]> r =
                new DeadLetterSerializer("dlq").serialize(d, null, monthsAgo);

        assertThat(r.topic()).isEqualTo("dlq");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("late_event");
        // null: the producer stamps the send time, so retention does not delete it at once
        assertThat(r.timestamp()).isNull();
        JsonNode json = new ObjectMapper().readTree(r.value());
        assertThat(json.get("reason").asText()).isEqualTo("late_event");
        assertThat(json.get("offset").asLong()).isEqualTo(-1);
        assertThat(Base64.getDecoder().decode(json.get("raw_base64").asText())).isEqualTo(raw);
    }
}
