package io.livepulse.simulator.generate;

/**
 * One record as it is delivered to Kafka or written to a JSON Lines file.
 *
 * @param key the Kafka key ({@link RecordKeys#keyOf}); {@code null} when the record has no room
 * @param value the raw bytes
 * @param kind whether this is an event's first delivery, a repeated delivery, or garbage
 * @param expectedReason for malformed records, the rejection code the contract must give
 */
public record Delivery(String key, byte[] value, Kind kind, String expectedReason) {

    public enum Kind {
        EVENT,
        DUPLICATE,
        MALFORMED
    }
}
