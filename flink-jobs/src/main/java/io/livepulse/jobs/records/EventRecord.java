package io.livepulse.jobs.records;

import io.livepulse.events.EventType;
import io.livepulse.events.LiveEvent;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.serde.EventRecordSerializer;
import io.livepulse.jobs.records.serde.RecordTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A validated event as it flows through the job: one flat record for every type (a flat class
 * serializes much faster than the contract's sealed records), plus the fan data the enrichment step
 * adds. Flink writes it with {@link EventRecordSerializer}.
 */
@TypeInfo(EventRecord.Info.class)
public class EventRecord {
    public EventType type;
    public String id;
    public String room;
    public String live;
    public long ts;
    public String user;

    /** like: count; gift: value_cents; order_paid / order_refunded: amount_cents. */
    public long amount;

    public String combo;
    public boolean comboEnd;
    public String order;

    /** order_paid: the product sold. */
    public String sku;

    /** comment: its text, if the feed sent one (the comment-flood rule reads it). */
    public String text;

    /** enter: the viewer's device, if the feed sent one (the shared-device rule reads it). */
    public String device;

    public Long goalGmvCents;
    public Long goalNewFans;

    /** Set by enrichment on viewer events: the tier, and for fans the profile's dates. */
    public Tier tier;

    public Long followedAt;
    public Long lastPurchaseAt;

    public EventRecord() {}

    /** A copy, so an operator never changes a record it was given (Flink may still hold it). */
    public EventRecord copy() {
        EventRecord c = new EventRecord();
        c.type = type;
        c.id = id;
        c.room = room;
        c.live = live;
        c.ts = ts;
        c.user = user;
        c.amount = amount;
        c.combo = combo;
        c.comboEnd = comboEnd;
        c.order = order;
        c.sku = sku;
        c.text = text;
        c.device = device;
        c.goalGmvCents = goalGmvCents;
        c.goalNewFans = goalNewFans;
        c.tier = tier;
        c.followedAt = followedAt;
        c.lastPurchaseAt = lastPurchaseAt;
        return c;
    }

    public boolean isViewerEvent() {
        return type.isViewerEvent();
    }

    public static EventRecord of(LiveEvent e) {
        EventRecord r = new EventRecord();
        r.type = e.type();
        r.id = e.id();
        r.room = e.room();
        r.live = e.live();
        r.ts = e.ts();
        r.user = e.user();
        switch (e.type()) {
            case LIVE_START -> {
                LiveEvent.Goal goal = ((LiveEvent.LiveStart) e).goal();
                if (goal != null) {
                    r.goalGmvCents = goal.gmvCents();
                    r.goalNewFans = goal.newFans();
                }
            }
            case ENTER -> r.device = ((LiveEvent.Enter) e).device();
            case COMMENT -> r.text = ((LiveEvent.Comment) e).text();
            case LIKE -> r.amount = ((LiveEvent.Like) e).count();
            case GIFT -> {
                LiveEvent.Gift g = (LiveEvent.Gift) e;
                r.amount = g.valueCents();
                r.combo = g.combo();
                r.comboEnd = g.comboEnd();
            }
            case ORDER_PAID -> {
                LiveEvent.OrderPaid o = (LiveEvent.OrderPaid) e;
                r.amount = o.amountCents();
                r.order = o.order();
                r.sku = o.sku();
            }
            case ORDER_REFUNDED -> {
                LiveEvent.OrderRefunded o = (LiveEvent.OrderRefunded) e;
                r.amount = o.amountCents();
                r.order = o.order();
            }
            default -> {
                // leave, share, follow, fan_club_join, product_click, live_end:
                // the job needs no field beyond the common ones
            }
        }
        return r;
    }

    /** The contract event again (enrichment dropped), e.g. to re-encode a late event. */
    public LiveEvent toLiveEvent() {
        return switch (type) {
            case LIVE_START ->
                    new LiveEvent.LiveStart(
                            id,
                            room,
                            live,
                            ts,
                            "?",
                            "?",
                            goalGmvCents == null && goalNewFans == null
                                    ? null
                                    : new LiveEvent.Goal(goalGmvCents, goalNewFans));
            case LIVE_END -> new LiveEvent.LiveEnd(id, room, live, ts);
            case ENTER -> new LiveEvent.Enter(id, room, live, ts, user, null, device);
            case LEAVE -> new LiveEvent.Leave(id, room, live, ts, user);
            case COMMENT -> new LiveEvent.Comment(id, room, live, ts, user, text);
            case LIKE -> new LiveEvent.Like(id, room, live, ts, user, (int) amount);
            case SHARE -> new LiveEvent.Share(id, room, live, ts, user);
            case GIFT -> new LiveEvent.Gift(id, room, live, ts, user, "?", amount, combo, comboEnd);
            case FOLLOW -> new LiveEvent.Follow(id, room, live, ts, user);
            case FAN_CLUB_JOIN -> new LiveEvent.FanClubJoin(id, room, live, ts, user);
            case PRODUCT_CLICK -> new LiveEvent.ProductClick(id, room, live, ts, user, "?");
            case ORDER_PAID ->
                    new LiveEvent.OrderPaid(
                            id, room, live, ts, user, order, sku == null ? "?" : sku, 1, amount);
            case ORDER_REFUNDED ->
                    new LiveEvent.OrderRefunded(id, room, live, ts, user, order, amount);
        };
    }

    @Override
    public String toString() {
        return type.wireName()
                + " "
                + id
                + " "
                + room
                + "/"
                + live
                + " @"
                + ts
                + (user == null ? "" : " " + user);
    }

    /** Flink's type information for it: {@link EventRecordSerializer}. */
    public static final class Info extends TypeInfoFactory<EventRecord> {
        @Override
        public TypeInformation<EventRecord> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(EventRecord.class, EventRecordSerializer.INSTANCE);
        }
    }
}
