package io.livepulse.jobs.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepulse.jobs.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One dead letter as a JSON record on the dead-letter topic, keyed by reason: {@code
 * {"reason","detail","topic","partition","offset","raw_base64"}}.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    public static byte[] toJson(DeadLetter d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("reason", d.reason);
        n.put("detail", d.detail);
        n.put("topic", d.topic);
        n.put("partition", d.partition);
        n.put("offset", d.offset);
        n.put("raw_base64", Base64.getEncoder().encodeToString(d.raw));
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode a dead letter", e);
        }
    }

    /**
     * The record is stamped with the time it is written, not with the element's event time: the
     * topic's time-based retention counts from that stamp, and an event-time stamp (months old in a
     * backfill or a replayed simulation) let Kafka delete dead letters as soon as they were
     * written. The event time is in the raw record.
     */
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter d, KafkaSinkContext context, Long eventTime) {
        return new ProducerRecord<>(
                topic, null, null, d.reason.getBytes(StandardCharsets.UTF_8), toJson(d));
    }
}
