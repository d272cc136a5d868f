package io.livepulse.simulator.generate;

/**
 * Audience shapes the simulator can produce. Each profile fixes how viewers of each fan group
 * watch, interact and buy; the ledger then measures what was actually generated.
 */
public enum Profile {
    /**
     * The published Luzhou Laojiao case (Douyin, 2021): fans are 50% of viewers, watch 6x as long
     * as non-fans, interact 1.5x as much per capita, bring 83% of GMV, old fans 59%.
     */
    WHITEPAPER(
            new Behaviour(
                    0.50, // fan share of viewers
                    0.60, // old fans among fans
                    150_000, // non-fan mean planned watch, ms
                    7.75, // fan watch factor (calibrated: idle-timeout and end caps pull it down)
                    6.0, // non-fan mean interaction units
                    1.5, // fan interaction factor
                    0.05, // non-fan buy rate
                    0.1763, // new-fan buy rate
                    0.2891, // old-fan buy rate
                    0.04, // refund rate per order
                    0.03, // non-fans who follow during the broadcast
                    0.02, // fans not in the fan club who join it
                    null, 120)),
    /** A plain shopping broadcast: fewer fans, flatter differences. */
    STEADY(
            new Behaviour(
                    0.30, 0.50, 180_000, 3.0, 5.0, 1.3, 0.03, 0.06, 0.08, 0.05, 0.02, 0.01, null,
                    90)),
    /**
     * A flash sale: a tenth of the broadcast in which entries surge and most orders happen, the
     * case that stresses the hot room.
     */
    FLASH_SALE(
            new Behaviour(
                    0.35,
                    0.50,
                    120_000,
                    3.5,
                    5.0,
                    1.4,
                    0.06,
                    0.12,
                    0.16,
                    0.08,
                    0.02,
                    0.01,
                    new Surge(0.45, 0.55, 0.40),
                    60));

    private final Behaviour behaviour;

    Profile(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    /** The name used on the command line, e.g. {@code flash-sale}. */
    public String cliName() {
        return name().toLowerCase().replace('_', '-');
    }

    public static Profile fromCliName(String name) {
        for (Profile p : values()) {
            if (p.cliName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown profile \"" + name + "\"; expected whitepaper, steady or flash-sale");
    }

    /**
     * @param fanShare fraction of a broadcast's viewers who are fans
     * @param oldFanShare fraction of fans who followed before the old-fan cut-off
     * @param nonFanWatchMeanMs mean planned watch time of a non-fan
     * @param fanWatchFactor mean planned watch time of a fan relative to a non-fan
     * @param nonFanInteractions mean interaction units (comments, likes by count, shares, gifts)
     * @param fanInteractionFactor fans' interaction units relative to non-fans
     * @param nonFanBuyRate share of non-fan viewers who buy
     * @param newFanBuyRate share of new fans who buy
     * @param oldFanBuyRate share of old fans who buy
     * @param refundRate share of orders refunded
     * @param followRate share of non-fans who follow during the broadcast
     * @param fanClubJoinRate share of fans outside the fan club who join it
     * @param surge a flash-sale window, or {@code null}
     * @param durationMinutes broadcast length
     */
    public record Behaviour(
            double fanShare,
            double oldFanShare,
            long nonFanWatchMeanMs,
            double fanWatchFactor,
            double nonFanInteractions,
            double fanInteractionFactor,
            double nonFanBuyRate,
            double newFanBuyRate,
            double oldFanBuyRate,
            double refundRate,
            double followRate,
            double fanClubJoinRate,
            Surge surge,
            int durationMinutes) {}

    /**
     * @param startFraction where the surge starts, as a fraction of the broadcast
     * @param endFraction where it ends
     * @param entryShare share of all entries that fall in the surge
     */
    public record Surge(double startFraction, double endFraction, double entryShare) {}
}
