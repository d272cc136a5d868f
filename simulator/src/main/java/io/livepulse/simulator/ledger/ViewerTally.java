package io.livepulse.simulator.ledger;

import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.Gift;
import io.livepulse.events.LiveEvent.Like;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.fans.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one viewer did in one broadcast, replayed in event-time order with the session rule of
 * docs/metrics.md. The ledger's own code: it shares nothing with the Flink job but the event
 * contract.
 */
final class ViewerTally {
    final Tier tier;
    final boolean oldFan;
    final boolean boughtBefore;

    /** Closed sessions as [open, close) in epoch ms. */
    final List<long[]> sessions = new ArrayList<>();

    long pv;
    long comments;
    long likes;
    long shares;
    long plainGifts;
    long plainGiftValueCents;
    final Map<String, Long> comboValueCents = new TreeMap<>();
    boolean followed;
    boolean joinedFanClub;
    long productClicks;
    long orders;
    long paidCents;
    long refunds;
    long refundedCents;

    ViewerTally(Tier tier, boolean oldFan, boolean boughtBefore) {
        this.tier = tier;
        this.oldFan = oldFan;
        this.boughtBefore = boughtBefore;
    }

    /**
     * Replays the viewer's events (sorted by time) of a broadcast that ended at {@code end}. Events
     * after the end are not counted.
     */
    void replay(List<LiveEvent> events, long end, long idleTimeoutMs) {
        boolean open = false;
        long openedAt = 0;
        long last = 0;
        for (LiveEvent e : events) {
            long t = e.ts();
            if (t > end) {
                break;
            }
            if (open && t >= last + idleTimeoutMs) {
                sessions.add(new long[] {openedAt, Math.min(last + idleTimeoutMs, end)});
                open = false;
            }
            switch (e.type()) {
                case ENTER -> {
                    pv++;
                    if (!open) {
                        open = true;
                        openedAt = t;
                    }
                }
                case LEAVE -> {
                    if (open) {
                        sessions.add(new long[] {openedAt, t});
                        open = false;
                    }
                }
                case COMMENT -> comments++;
                case LIKE -> likes += ((Like) e).count();
                case SHARE -> shares++;
                case GIFT -> gift((Gift) e);
                case FOLLOW -> followed = true;
                case FAN_CLUB_JOIN -> joinedFanClub = true;
                case PRODUCT_CLICK -> productClicks++;
                case ORDER_PAID -> {
                    orders++;
                    paidCents += ((OrderPaid) e).amountCents();
                }
                case ORDER_REFUNDED -> {
                    refunds++;
                    refundedCents += ((OrderRefunded) e).amountCents();
                }
                case LIVE_START, LIVE_END -> {
                    // room-level events are not a viewer's
                }
            }
            if (open) {
                last = t;
            }
        }
        if (open) {
            sessions.add(new long[] {openedAt, Math.min(last + idleTimeoutMs, end)});
        }
    }

    /** A combo counts once, worth its highest running value; a plain gift counts as itself. */
    private void gift(Gift g) {
        if (g.combo() == null) {
            plainGifts++;
            plainGiftValueCents += g.valueCents();
        } else {
            comboValueCents.merge(g.combo(), g.valueCents(), Math::max);
        }
    }

    long gifts() {
        return plainGifts + comboValueCents.size();
    }

    long giftValueCents() {
        long sum = plainGiftValueCents;
        for (long v : comboValueCents.values()) {
            sum += v;
        }
        return sum;
    }

    long interactions() {
        return comments + likes + shares + gifts();
    }

    long watchMs() {
        long sum = 0;
        for (long[] s : sessions) {
            sum += s[1] - s[0];
        }
        return sum;
    }

    boolean isBuyer() {
        return orders > 0;
    }
}
