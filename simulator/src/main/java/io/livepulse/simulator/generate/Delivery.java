package io.livepulse.simulator.generate;

/**
 * One record as it is delivered to Kafka or written to a JSON Lines file.
 *
 * @param key the Kafka key ({@link RecordKeys#keyOf}); {@code null} when the record has no room
 * @param value the raw bytes
 * @param kind an event's first delivery, a repeated delivery, garbage, or an event delivered too
 *     late to count
 * @param expectedReason for malformed and late records, the dead-letter reason the job must give
 */
public record Delivery(String key, byte[] value, Kind kind, String expectedReason) {

    public enum Kind {
        EVENT,
        DUPLICATE,
        MALFORMED,
        LATE
    }
}
