package io.livepulse.jobs.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepulse.jobs.alert.Alert;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An alert as one JSON record on the alerts topic, keyed by room, with the fields of {@link
 * AlertPoints#fields}. Written at least once: after a failure an alert may repeat; {@code incident}
 * + {@code state} identify it.
 */
public final class AlertSerializer implements KafkaRecordSerializationSchema<Alert> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String topic;

    public AlertSerializer(String topic) {
        this.topic = topic;
    }

    public static byte[] toJson(Alert a) {
        try {
            return MAPPER.writeValueAsBytes(AlertPoints.fields(a));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode the alert " + a, e);
        }
    }

    /** Stamped when written, like the dead letters: retention counts from then. */
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert a, KafkaSinkContext context, Long eventTime) {
        return new ProducerRecord<>(
                topic, null, null, a.room.getBytes(StandardCharsets.UTF_8), toJson(a));
    }
}
