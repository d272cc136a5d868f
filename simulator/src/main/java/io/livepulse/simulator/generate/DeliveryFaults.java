package io.livepulse.simulator.generate;

import io.livepulse.events.EventCodec;
import io.livepulse.events.LiveEvent;
import io.livepulse.simulator.ledger.Ledger.Anomaly;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the generated events into the delivered stream, with the faults real feeds have: repeated
 * deliveries, bounded out-of-order arrival, malformed records, and events that arrive far too late
 * to count. Each malformed or late record carries the dead-letter reason the job must give it.
 */
public final class DeliveryFaults {

    /** 2100-01-01: far beyond any clock skew the job tolerates. */
    static final long FAR_FUTURE_TS = 4_102_444_800_000L;

    /**
     * How far behind the stream a late event arrives: far beyond the job's allowed lateness (5 s by
     * default) and beyond how far the watermark can trail the stream while every room is live.
     */
    public static final Duration LATE_BY = Duration.ofMinutes(10);

    /** The dead-letter reason of an event that arrived behind the watermark. */
    public static final String LATE_REASON = "late_event";

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

    /** A dead-letter burst (a producer shipping a broken version): this many records ... */
    static final int BURST_RECORDS = 120;

    /** ... within this long. */
    static final long BURST_MS = 20_000;

    /**
     * The dead-letter bursts of the anomaly injection, as labels ({@code room} = {@code pipeline}):
     * one per {@code anomalies}, the k-th at a seeded moment of the k-th of equal slices of the
     * middle half of the stream, where every room is busy. Their records are in {@link #deliver}'s
     * output and the ledger's malformed records.
     */
    public static List<Anomaly> deadLetterBursts(
            List<LiveEvent> events, SimulationOptions options) {
        if (options.anomalies() == 0 || events.isEmpty()) {
            return List.of();
        }
        // moments when every room is live a minute either side: every partition is busy, so the
        // job can tell where in the stream a broken record came
        Map<String, List<long[]>> spans = liveSpansByRoom(events);
        List<Long> busy = new ArrayList<>();
        for (long t = events.get(0).ts(); t < events.get(events.size() - 1).ts(); t += 60_000) {
            if (everyRoomLive(spans, t - 60_000, t + BURST_MS + 60_000)) {
                busy.add(t);
            }
        }
        if (busy.size() < options.anomalies()) {
            throw new IllegalArgumentException(
                    "cannot place "
                            + options.anomalies()
                            + " dead-letter bursts: only "
                            + busy.size()
                            + " minutes have every room live; use longer broadcasts or fewer"
                            + " --anomalies");
        }
        Rng rng = Rng.forPart(options.seed(), 8);
        int slice = busy.size() / options.anomalies();
        List<Anomaly> bursts = new ArrayList<>();
        for (int k = 0; k < options.anomalies(); k++) {
            long start = busy.get(k * slice + rng.nextInt(slice)) + rng.between(0, 60_000);
            bursts.add(
                    new Anomaly(
                            "dead_letters",
                            "pipeline",
                            null,
                            start,
                            start + BURST_MS,
                            start,
                            BURST_RECORDS + " malformed records within " + BURST_MS / 1000 + " s"));
        }
        return bursts;
    }

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
        Rng burstRng = Rng.forPart(options.seed(), 9);
        for (Anomaly burst : deadLetterBursts(events, options)) {
            for (int i = 0; i < BURST_RECORDS; i++) {
                Malformation kind = kinds[i % kinds.length];
                byte[] value =
                        malformed(kind, events.get(burstRng.nextInt(events.size())), burstRng);
                slots.add(
                        new Slot(
                                burst.start() + burstRng.between(0, BURST_MS),
                                order++,
                                new Delivery(
                                        RecordKeys.keyOf(value),
                                        value,
                                        Delivery.Kind.MALFORMED,
                                        kind.reason)));
            }
        }
        order = addLateEvents(events, options, slots, order);
        slots.sort(Comparator.comparingLong(Slot::at).thenComparingLong(Slot::order));
        List<Delivery> out = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            out.add(s.delivery);
        }
        return out;
    }

    /**
     * Extra likes, each delivered {@link #LATE_BY} after its event time. Each is placed where every
     * room is live from its event time until a minute after it arrives, so every partition of the
     * topic carries events meanwhile and the job's watermark has surely passed it: the job must
     * judge every one late. They are not in {@code events}, so the ledger leaves them out.
     */
    private static long addLateEvents(
            List<LiveEvent> events, SimulationOptions options, List<Slot> slots, long order) {
        if (options.late() == 0) {
            return order;
        }
        Map<String, List<long[]>> liveSpans = liveSpansByRoom(events);
        long window = LATE_BY.toMillis() + 60_000;
        List<LiveEvent> candidates = new ArrayList<>();
        for (LiveEvent e : events) {
            if (e.type().isViewerEvent() && everyRoomLive(liveSpans, e.ts(), e.ts() + window)) {
                candidates.add(e);
            }
        }
        if (candidates.size() < options.late()) {
            throw new IllegalArgumentException(
                    "late: "
                            + options.late()
                            + " late events need as many viewer events at times when every room"
                            + " stays live for the next "
                            + LATE_BY.toMinutes()
                            + " min; this simulation has "
                            + candidates.size()
                            + ". Use fewer late events, fewer rooms or longer broadcasts.");
        }
        Rng rng = Rng.forPart(options.seed(), 4);
        Set<Integer> picked = new TreeSet<>();
        while (picked.size() < options.late()) {
            picked.add(rng.nextInt(candidates.size()));
        }
        for (int i : picked) {
            LiveEvent near = candidates.get(i);
            LiveEvent like =
                    new LiveEvent.Like(
                            near.id() + "-late",
                            near.room(),
                            near.live(),
                            near.ts(),
                            near.user(),
                            1);
            slots.add(
                    new Slot(
                            near.ts() + LATE_BY.toMillis(),
                            order++,
                            new Delivery(
                                    near.room(),
                                    EventCodec.encode(like),
                                    Delivery.Kind.LATE,
                                    LATE_REASON)));
        }
        return order;
    }

    /** Each room's broadcasts as [live_start ts, live_end ts] spans. */
    private static Map<String, List<long[]>> liveSpansByRoom(List<LiveEvent> events) {
        Map<String, LiveEvent> starts = new HashMap<>();
        Map<String, LiveEvent> ends = new HashMap<>();
        for (LiveEvent e : events) {
            switch (e.type()) {
                case LIVE_START -> starts.put(e.live(), e);
                case LIVE_END -> ends.put(e.live(), e);
                default -> {}
            }
        }
        Map<String, List<long[]>> spans = new HashMap<>();
        starts.forEach(
                (live, start) -> {
                    LiveEvent end = ends.get(live);
                    if (end != null) {
                        spans.computeIfAbsent(start.room(), r -> new ArrayList<>())
                                .add(new long[] {start.ts(), end.ts()});
                    }
                });
        return spans;
    }

    private static boolean everyRoomLive(Map<String, List<long[]>> spans, long from, long to) {
        for (List<long[]> room : spans.values()) {
            boolean live = false;
            for (long[] span : room) {
                live |= span[0] <= from && to <= span[1];
            }
            if (!live) {
                return false;
            }
        }
        return true;
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
