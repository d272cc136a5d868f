package io.livepulse.simulator.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one rule that gives a record its Kafka key: the {@code room} field when the record is a JSON
 * object with a string room, otherwise no key. Direct output and file replay both use it, so they
 * put every record in the same partition.
 */
public final class RecordKeys {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordKeys() {}

    public static String keyOf(byte[] value) {
        try {
            JsonNode node = MAPPER.readTree(value);
            JsonNode room = node == null ? null : node.get("room");
            return room != null && room.isTextual() ? room.textValue() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
