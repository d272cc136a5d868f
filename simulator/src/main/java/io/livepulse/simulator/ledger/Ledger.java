package io.livepulse.simulator.ledger;

import java.util.List;
import java.util.Map;

/**
 * The expected results of a simulation, computed by the simulator from the events it generated
 * (docs/simulator.md describes every field). Tests compare the job's output with it.
 */
public record Ledger(
        Generator generator,
        Definitions definitions,
        DeliveryStats delivery,
        List<RoomLedger> rooms,
        List<Anomaly> anomalies,
        Summary summary) {

    /** What produced the events, so a ledger can be regenerated. */
    public record Generator(
            int ledgerVersion,
            long seed,
            String profile,
            int rooms,
            int viewersPerRound,
            int broadcastsPerRoom,
            String start,
            double duplicateRate,
            long maxDelayMs,
            int malformed,
            int late,
            int lostLiveEnds,
            int anomalies) {}

    /** The parameters of the metric definitions the ledger applied; the job must use the same. */
    public record Definitions(long idleTimeoutMs, long liveIdleEndMs, long oldFanCutoffMs) {}

    /** Counts of the delivered stream: what a reader of the topic or file sees. */
    public record DeliveryStats(
            long records,
            long events,
            long duplicates,
            long malformed,
            List<MalformedRecord> malformedRecords,
            long late,
            List<LateRecord> lateRecords) {}

    /**
     * One injected malformed record.
     *
     * @param index its position in the delivered stream (0-based; the line number minus one)
     * @param key its Kafka key, or {@code null}
     * @param reason the rejection code the event contract gives it
     * @param base64 its raw bytes
     */
    public record MalformedRecord(long index, String key, String reason, String base64) {}

    /**
     * One injected late event: delivered so far behind the stream that the job must set it aside
     * (dead-letter reason {@code late_event}); no figure of the ledger includes it.
     *
     * @param index its position in the delivered stream (0-based)
     * @param id its event id
     * @param room its room
     * @param ts its event time
     */
    public record LateRecord(long index, String id, String room, long ts) {}

    /**
     * One injected anomaly: the label an alert is checked against (docs/alerts.md).
     *
     * @param kind the alert kind that should fire ({@code viewer_cliff}, {@code gmv_stall} ...)
     * @param room its room
     * @param live its broadcast
     * @param start when the anomaly began (event time, epoch ms)
     * @param end when it was over
     * @param detectableAt the first instant the rule's definition can see it (a stall is a stall
     *     only after the stall window without orders): detection delay counts from here
     * @param detail what was done to the stream
     */
    public record Anomaly(
            String kind,
            String room,
            String live,
            long start,
            long end,
            long detectableAt,
            String detail) {}

    public record RoomLedger(
            String room, long events, double eventShare, List<BroadcastLedger> broadcasts) {}

    public record BroadcastLedger(
            String room,
            String live,
            long start,
            long end,
            long durationMs,
            long pcu,
            Long pcuAt,
            Figures total,
            Map<String, Figures> tiers,
            Figures fans,
            Figures oldFans,
            Ratios ratios,
            Funnel funnel,
            Goal goal,
            List<OnlineSample> onlineByMinute,
            Recap recap) {

        BroadcastLedger withRecap(Recap r) {
            return new BroadcastLedger(
                    room,
                    live,
                    start,
                    end,
                    durationMs,
                    pcu,
                    pcuAt,
                    total,
                    tiers,
                    fans,
                    oldFans,
                    ratios,
                    funnel,
                    goal,
                    onlineByMinute,
                    r);
        }
    }

    /**
     * What the post-stream recap adds to a broadcast's figures (docs/recap.md).
     *
     * @param topProducts the best-selling products by GMV, at most {@link #TOP_PRODUCTS}
     * @param history each headline figure against the room's earlier broadcasts, by name
     */
    public record Recap(List<Product> topProducts, Map<String, Comparison> history) {
        public static final int TOP_PRODUCTS = 5;
    }

    /**
     * One product's sales in a broadcast. A refund counts against the product of the order it
     * names; {@code gmvCents} = paid − refunded.
     */
    public record Product(
            String sku,
            long orders,
            long paidCents,
            long refunds,
            long refundedCents,
            long gmvCents) {}

    /**
     * A headline figure against the room's earlier broadcasts (those before it, by start).
     *
     * @param value this broadcast's value ({@code null} where the figure is undefined)
     * @param previous the room's previous broadcast's value, {@code null} for its first
     * @param difference value − previous, {@code null} if either is
     * @param rank 1 + how many of the room's broadcasts so far had a larger value ({@code null}
     *     when the value is)
     * @param of how many of the room's broadcasts so far have a value, this one included
     */
    public record Comparison(
            Double value, Double previous, Double difference, Integer rank, int of) {}

    /** The headline comparisons of fans with non-fans; {@code null} where undefined. */
    public record Ratios(
            Double fanViewingRatio,
            Double watchLift,
            Double interactionLift,
            Double fanGmvShare,
            Double oldFanGmvShare) {}

    public record Funnel(
            long newViewers,
            long follows,
            long fanClubJoins,
            long interactingViewers,
            long buyers,
            long repeatBuyers,
            long sharers) {}

    /** The broadcast's goal (from live_start) and how far it got; absent parts are null. */
    public record Goal(Long gmvCents, Long newFans, Double gmvProgress, Double newFansProgress) {}

    /** Viewers online at a minute mark: total and per tier. */
    public record OnlineSample(long ts, long total, Map<String, Long> tiers) {}

    /** Every broadcast together: the figures a whitepaper comparison reads. */
    public record Summary(
            long broadcasts,
            Figures total,
            Map<String, Figures> tiers,
            Figures fans,
            Figures nonFans,
            Figures oldFans,
            Ratios ratios,
            String hotRoom,
            double hotRoomEventShare) {}
}
