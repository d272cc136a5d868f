package io.livepulse.jobs.tiering;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The intimacy (亲密度) model of docs/fan-tiers.md: what a follower did in a room, each act weighted
 * and decayed by its age, summed to a raw score, squashed to 0..100, and cut into tiers. Only
 * followers get a profile: a follow is what makes a fan.
 *
 * @param halfLifeDays an act this old counts half
 * @param watchPerMinute points per minute watched (sessions: enter to leave, or to the viewer's
 *     last event of that broadcast, at most {@link #MAX_SESSION_MINUTES})
 * @param perInteraction points per interaction (comment, like by count, share, gift; a combo once)
 * @param perGiftYuan points per yuan of gifts
 * @param perPurchase points per paid order
 * @param perSpendYuan points per yuan paid
 * @param fanClubBonus points for being in the fan club (not decayed: membership is current)
 * @param scale the raw score at which the intimacy reaches 63 (1 - 1/e of 100)
 * @param trueLoveMin intimacy from which a fan is true-love
 * @param affinityMin intimacy from which a fan is affinity; below it, passer-by
 */
public record IntimacyModel(
        double halfLifeDays,
        double watchPerMinute,
        double perInteraction,
        double perGiftYuan,
        double perPurchase,
        double perSpendYuan,
        double fanClubBonus,
        double scale,
        double trueLoveMin,
        double affinityMin)
        implements Serializable {

    public static final double MAX_SESSION_MINUTES = 240;
    private static final long DAY_MS = 86_400_000L;

    public static IntimacyModel defaults() {
        return new IntimacyModel(30, 0.2, 0.5, 0.05, 8, 0.02, 10, 40, 70, 40);
    }

    public IntimacyModel {
        if (halfLifeDays <= 0 || scale <= 0) {
            throw new IllegalArgumentException("half-life and scale must be positive");
        }
        if (!(0 <= affinityMin && affinityMin < trueLoveMin && trueLoveMin <= 100)) {
            throw new IllegalArgumentException(
                    "thresholds must satisfy 0 <= affinity-min < true-love-min <= 100, got affinity-min "
                            + affinityMin
                            + ", true-love-min "
                            + trueLoveMin);
        }
    }

    /**
     * What an act done at {@code ts} is worth at {@code asOf}: 1 when fresh, 1/2 a half-life later.
     */
    public double decay(long ts, long asOf) {
        double ageDays = Math.max(0, asOf - ts) / (double) DAY_MS;
        return Math.pow(0.5, ageDays / halfLifeDays);
    }

    public double intimacy(double raw) {
        return 100 * (1 - Math.exp(-raw / scale));
    }

    public Tier tier(double intimacy) {
        return intimacy >= trueLoveMin
                ? Tier.TRUE_LOVE
                : intimacy >= affinityMin ? Tier.AFFINITY : Tier.PASSERBY;
    }

    /**
     * The profile of one (room, user) from their history, or {@code null} when they never followed.
     * Events may come in any order.
     */
    public FanProfile profile(String room, String user, List<EventRecord> history, long asOf) {
        List<EventRecord> events = new ArrayList<>(history);
        events.sort(Comparator.comparingLong((EventRecord e) -> e.ts).thenComparing(e -> e.id));
        Long followedAt = null;
        boolean fanClub = false;
        Long lastPurchase = null;
        double raw = 0;
        Map<String, Long> comboValues = new HashMap<>();
        Set<String> seen = new HashSet<>();
        String live = null;
        Long openedAt = null;
        long lastTs = 0;
        for (EventRecord e : events) {
            if (!seen.add(e.id)) {
                continue; // a repeated delivery
            }
            if (!e.live.equals(live)) {
                raw += closeSession(openedAt, lastTs, asOf);
                openedAt = null;
                live = e.live;
            }
            double d = decay(e.ts, asOf);
            switch (e.type) {
                case FOLLOW -> followedAt = followedAt == null ? e.ts : Math.min(followedAt, e.ts);
                case FAN_CLUB_JOIN -> fanClub = true;
                case ENTER -> {
                    if (openedAt == null) {
                        openedAt = e.ts;
                    }
                }
                case LEAVE -> {
                    raw += closeSession(openedAt, e.ts, asOf);
                    openedAt = null;
                }
                case COMMENT, SHARE -> raw += perInteraction * d;
                case LIKE -> raw += perInteraction * e.amount * d;
                case GIFT -> {
                    // a combo counts once, worth its highest running value
                    Long before = e.combo == null ? null : comboValues.get(e.combo);
                    if (before == null) {
                        raw += perInteraction * d;
                    }
                    long added = before == null ? e.amount : Math.max(0, e.amount - before);
                    if (e.combo != null) {
                        comboValues.put(e.combo, Math.max(e.amount, before == null ? 0 : before));
                    }
                    raw += perGiftYuan * (added / 100.0) * d;
                }
                case ORDER_PAID -> {
                    raw += (perPurchase + perSpendYuan * (e.amount / 100.0)) * d;
                    lastPurchase = lastPurchase == null ? e.ts : Math.max(lastPurchase, e.ts);
                }
                default -> {
                    // product clicks and refunds do not change intimacy; room events are not a
                    // user's
                }
            }
            lastTs = e.ts;
        }
        raw += closeSession(openedAt, lastTs, asOf);
        if (followedAt == null) {
            return null;
        }
        if (fanClub) {
            raw += fanClubBonus;
        }
        double intimacy = Math.round(intimacy(raw) * 100) / 100.0;
        return new FanProfile(
                room, user, tier(intimacy), followedAt, fanClub, intimacy, lastPurchase);
    }

    private double closeSession(Long openedAt, long closedAt, long asOf) {
        if (openedAt == null) {
            return 0;
        }
        double minutes = Math.min(MAX_SESSION_MINUTES, (closedAt - openedAt) / 60_000.0);
        return watchPerMinute * minutes * decay(closedAt, asOf);
    }
}
