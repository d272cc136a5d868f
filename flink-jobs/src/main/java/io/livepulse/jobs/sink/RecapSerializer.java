package io.livepulse.jobs.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livepulse.jobs.recap.Comparison;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.Group;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A recap as one JSON record on the recaps topic, keyed by room: {@code {"room", "recap": {the
 * live_recap fields}, "room_figures": {the final live_room fields}, "tiers": {tier: {the final
 * live_tier fields}}, "top_products": [...], "history": [...]}} (docs/recap.md). The topic is
 * written at least once: a consumer keeps the last recap per {@code live}.
 */
public final class RecapSerializer implements KafkaRecordSerializationSchema<Recap> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String topic;

    public RecapSerializer(String topic) {
        this.topic = topic;
    }

    public static byte[] toJson(Recap r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("room", r.room);
        n.set("recap", MAPPER.valueToTree(RecapFields.of(r)));
        n.set("room_figures", MAPPER.valueToTree(SnapshotPoints.roomFields(r.last)));
        ObjectNode tiers = n.putObject("tiers");
        for (Group g : Group.values()) {
            tiers.set(g.wireName(), MAPPER.valueToTree(SnapshotPoints.tierFields(r.last, g)));
        }
        ArrayNode products = n.putArray("top_products");
        for (int i = 0; i < r.last.topProducts.size(); i++) {
            ObjectNode p = MAPPER.valueToTree(RecapFields.product(r.last.topProducts.get(i)));
            p.put("rank", i + 1);
            products.add(p);
        }
        ArrayNode history = n.putArray("history");
        for (Comparison c : r.history) {
            history.add(MAPPER.valueToTree(c));
        }
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode the recap of " + r.live, e);
        }
    }

    /** Stamped when written, like the dead letters: retention counts from then. */
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Recap r, KafkaSinkContext context, Long eventTime) {
        return new ProducerRecord<>(
                topic, null, null, r.room.getBytes(StandardCharsets.UTF_8), toJson(r));
    }
}
