package io.livepulse.simulator.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The figures of a group of viewers (a tier, the fans, everyone) in one broadcast or summed over
 * broadcasts. Money in integer cents; ratios are {@code null} when their denominator is zero.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public record Figures(
        long uv,
        long pv,
        Long pcu,
        long watchMs,
        Double avgWatchMs,
        long interactions,
        Double interactionsPerCapita,
        long comments,
        long likes,
        long shares,
        long gifts,
        long giftValueCents,
        long interactingViewers,
        long sharers,
        long follows,
        long fanClubJoins,
        long productClicks,
        long orders,
        long buyers,
        long repeatBuyers,
        long paidCents,
        long refunds,
        long refundedCents,
        long gmvCents,
        Double conversion,
        Double uvValueCents,
        Double gpmCents,
        Double aovCents) {

    /** Figures of one broadcast's viewers; PCU from their sessions. */
    static Figures of(Collection<ViewerTally> viewers) {
        return sum(viewers, pcu(viewers));
    }

    /** Figures summed over broadcasts, where a PCU has no meaning. */
    static Figures withoutPcu(Collection<ViewerTally> viewers) {
        return sum(viewers, null);
    }

    private static Figures sum(Collection<ViewerTally> viewers, Long pcu) {
        long uv = viewers.size();
        long pv = 0, watch = 0, interactions = 0, comments = 0, likes = 0, shares = 0, gifts = 0;
        long giftValue = 0, interacting = 0, sharers = 0, follows = 0, joins = 0, clicks = 0;
        long orders = 0, buyers = 0, repeatBuyers = 0, paid = 0, refunds = 0, refunded = 0;
        for (ViewerTally v : viewers) {
            pv += v.pv;
            watch += v.watchMs();
            long i = v.interactions();
            interactions += i;
            interacting += i > 0 ? 1 : 0;
            comments += v.comments;
            likes += v.likes;
            shares += v.shares;
            sharers += v.shares > 0 ? 1 : 0;
            gifts += v.gifts();
            giftValue += v.giftValueCents();
            follows += v.followed ? 1 : 0;
            joins += v.joinedFanClub ? 1 : 0;
            clicks += v.productClicks;
            orders += v.orders;
            buyers += v.isBuyer() ? 1 : 0;
            repeatBuyers += v.isBuyer() && v.boughtBefore ? 1 : 0;
            paid += v.paidCents;
            refunds += v.refunds;
            refunded += v.refundedCents;
        }
        long gmv = paid - refunded;
        return new Figures(
                uv,
                pv,
                pcu,
                watch,
                ratio(watch, uv),
                interactions,
                ratio(interactions, uv),
                comments,
                likes,
                shares,
                gifts,
                giftValue,
                interacting,
                sharers,
                follows,
                joins,
                clicks,
                orders,
                buyers,
                repeatBuyers,
                paid,
                refunds,
                refunded,
                gmv,
                ratio(buyers, uv),
                ratio(gmv, uv),
                ratio(gmv * 1000.0, pv),
                ratio(gmv, orders));
    }

    /**
     * The largest number of sessions open at one instant; a close at t comes before an open at t.
     */
    static long pcu(Collection<ViewerTally> viewers) {
        return peak(viewers)[0];
    }

    /** {peak, first instant of the peak}; the instant is -1 when nobody watched. */
    static long[] peak(Collection<ViewerTally> viewers) {
        List<long[]> steps = new ArrayList<>();
        for (ViewerTally v : viewers) {
            for (long[] s : v.sessions) {
                if (s[1] > s[0]) {
                    steps.add(new long[] {s[0], +1});
                    steps.add(new long[] {s[1], -1});
                }
            }
        }
        steps.sort(Comparator.<long[]>comparingLong(s -> s[0]).thenComparingLong(s -> s[1]));
        long online = 0, peak = 0, at = -1;
        for (long[] s : steps) {
            online += s[1];
            if (online > peak) {
                peak = online;
                at = s[0];
            }
        }
        return new long[] {peak, at};
    }

    static Double ratio(double numerator, double denominator) {
        return denominator == 0 ? null : numerator / denominator;
    }
}
