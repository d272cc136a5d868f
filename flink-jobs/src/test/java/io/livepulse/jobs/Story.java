package io.livepulse.jobs;

import io.livepulse.events.EventType;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.ViewerDelta;
import java.time.Duration;
import java.time.Instant;

/** Test data that reads like a story: {@code Story.enter("alice").at(T0.plusSeconds(30))}. */
public final class Story {
    public static final String ROOM = "room-1";
    public static final String LIVE = "room-1-live-1";

    /** A broadcast's start, on a tick boundary. */
    public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static int ids;

    private Story() {}

    public static long at(Duration afterStart) {
        return T0.plus(afterStart).toEpochMilli();
    }

    public static long seconds(long s) {
        return at(Duration.ofSeconds(s));
    }

    /** An event under construction. */
    public static final class Builder {
        private final EventRecord e = new EventRecord();

        Builder(EventType type, String user) {
            e.type = type;
            e.id = "ev-" + (++ids);
            e.room = ROOM;
            e.live = LIVE;
            e.user = user;
            e.tier = user == null ? null : Tier.NON_FAN;
        }

        public Builder tier(Tier tier) {
            e.tier = tier;
            return this;
        }

        public Builder followedAt(long ts) {
            e.followedAt = ts;
            return this;
        }

        /** For order_paid and order_refunded: the order, and for order_paid its product. */
        public Builder order(String order, String sku) {
            e.order = order;
            e.sku = sku;
            return this;
        }

        public Builder amount(long amount) {
            e.amount = amount;
            return this;
        }

        public Builder combo(String combo, boolean end) {
            e.combo = combo;
            e.comboEnd = end;
            return this;
        }

        public Builder id(String id) {
            e.id = id;
            return this;
        }

        public Builder live(String live) {
            e.live = live;
            return this;
        }

        public EventRecord at(long ts) {
            e.ts = ts;
            return e;
        }
    }

    public static Builder liveStart() {
        return new Builder(EventType.LIVE_START, null);
    }

    public static Builder liveEnd() {
        return new Builder(EventType.LIVE_END, null);
    }

    public static Builder enter(String user) {
        return new Builder(EventType.ENTER, user);
    }

    public static Builder leave(String user) {
        return new Builder(EventType.LEAVE, user);
    }

    public static Builder comment(String user) {
        return new Builder(EventType.COMMENT, user);
    }

    public static Builder like(String user, int count) {
        return new Builder(EventType.LIKE, user).amount(count);
    }

    public static Builder gift(String user, long valueCents) {
        return new Builder(EventType.GIFT, user).amount(valueCents);
    }

    public static Builder follow(String user) {
        return new Builder(EventType.FOLLOW, user);
    }

    public static Builder order(String user, long cents) {
        Builder b = new Builder(EventType.ORDER_PAID, user).amount(cents);
        b.e.order = "order-" + b.e.id;
        return b;
    }

    public static Builder refund(String user, long cents) {
        return new Builder(EventType.ORDER_REFUNDED, user).amount(cents);
    }

    /** A stage-1 delta, for stage-2 tests. */
    public static ViewerDelta delta(byte kind, Tier tier, long ts) {
        ViewerDelta d = new ViewerDelta();
        d.room = ROOM;
        d.live = LIVE;
        d.kind = kind;
        d.tier = tier;
        d.ts = ts;
        return d;
    }
}
