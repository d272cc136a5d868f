package io.livepulse.simulator.generate;

import io.livepulse.events.EventCodec;
import io.livepulse.events.LiveEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the generated events into the delivered stream, with the faults real feeds have: repeated
 * deliveries, bounded out-of-order arrival, and malformed records. Each malformed record carries
 * the rejection reason the event contract must give it.
 */
public final class DeliveryFaults {

    /** 2100-01-01: far beyond any clock skew the job tolerates. */
    static final long FAR_FUTURE_TS = 4_102_444_800_000L;

    private DeliveryFaults() {}

    /** A malformed record: how it is broken and the rejection code it must get. */
    enum Malformation {
        TRUNCATED_JSON("bad_json"),
        BINARY("not_utf8"),
        UNKNOWN_TYPE("unknown_type"),
        MISSING_FIELD("missing_field"),
        WRONG_TYPE("wrong_type"),
        NEGATIVE_AMOUNT("invalid_value"),
        FUTURE_TS("ts_in_future");

        final String reason;

        Malformation(String reason) {
            this.reason = reason;
        }
    }

    private record Slot(long at, long order, Delivery delivery) {}

    public static List<Delivery> deliver(List<LiveEvent> events, SimulationOptions options) {
        Rng rng = Rng.forPart(options.seed(), 3);
        long maxDelay = options.maxDelayMs();
        long duplicateDelay = Math.max(maxDelay, 1_000);
        List<Slot> slots =
                new ArrayList<>(events.size() + events.size() / 50 + options.malformed());
        long order = 0;
        for (LiveEvent e : events) {
            byte[] value = EventCodec.encode(e);
            long at = e.ts() + (maxDelay > 0 ? rng.between(0, maxDelay + 1) : 0);
            slots.add(
                    new Slot(
                            at, order++, new Delivery(e.room(), value, Delivery.Kind.EVENT, null)));
            if (options.duplicateRate() > 0 && rng.chance(options.duplicateRate())) {
                long again = at + rng.between(1, duplicateDelay + 1);
                slots.add(
                        new Slot(
                                again,
                                order++,
                                new Delivery(e.room(), value, Delivery.Kind.DUPLICATE, null)));
            }
        }
        Malformation[] kinds = Malformation.values();
        for (int i = 0; i < options.malformed() && !events.isEmpty(); i++) {
            LiveEvent near = events.get(rng.nextInt(events.size()));
            Malformation kind = kinds[i % kinds.length];
            byte[] value = malformed(kind, near, rng);
            slots.add(
                    new Slot(
                            near.ts(),
                            order++,
                            new Delivery(
                                    RecordKeys.keyOf(value),
                                    value,
                                    Delivery.Kind.MALFORMED,
                                    kind.reason)));
        }
        slots.sort(Comparator.comparingLong(Slot::at).thenComparingLong(Slot::order));
        List<Delivery> out = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            out.add(s.delivery);
        }
        return out;
    }

    /** Breaks a real event's JSON in one specific way. */
    static byte[] malformed(Malformation kind, LiveEvent near, Rng rng) {
        String json = new String(EventCodec.encode(near), StandardCharsets.UTF_8);
        String broken =
                switch (kind) {
                    case TRUNCATED_JSON -> json.substring(0, json.length() / 2);
                    case BINARY -> null;
                    case UNKNOWN_TYPE ->
                            json.replace(
                                    "\"type\":\"" + near.type().wireName() + "\"",
                                    "\"type\":\"super_like\"");
                    case MISSING_FIELD -> json.replace("\"live\":\"" + near.live() + "\",", "");
                    case WRONG_TYPE ->
                            json.replace("\"ts\":" + near.ts(), "\"ts\":\"" + near.ts() + "\"");
                    case NEGATIVE_AMOUNT ->
                            "{\"v\":1,\"id\":\""
                                    + near.id()
                                    + "-neg\",\"type\":\"order_paid\",\"room\":\""
                                    + near.room()
                                    + "\",\"live\":\""
                                    + near.live()
                                    + "\",\"ts\":"
                                    + near.ts()
                                    + ",\"user\":\"u-bad\",\"order\":\"o-bad\",\"sku\":\"sku-x\",\"qty\":1,\"amount_cents\":-"
                                    + (1 + rng.nextInt(100_000))
                                    + "}";
                    case FUTURE_TS ->
                            json.replace("\"ts\":" + near.ts(), "\"ts\":" + FAR_FUTURE_TS);
                };
        if (broken != null) {
            return broken.getBytes(StandardCharsets.UTF_8);
        }
        // Binary garbage that starts like no UTF-8 text can, and has no line breaks (JSON Lines).
        byte[] bytes = new byte[16 + rng.nextInt(48)];
        for (int i = 0; i < bytes.length; i++) {
            byte b;
            do {
                b = (byte) rng.nextInt(256);
            } while (b == '\n' || b == '\r');
            bytes[i] = b;
        }
        bytes[0] = (byte) 0xFF;
        return bytes;
    }
}
