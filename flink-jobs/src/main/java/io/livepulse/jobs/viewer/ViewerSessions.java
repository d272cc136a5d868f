package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.ViewerDelta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stage 1, keyed by (room, user): drops repeated deliveries, puts a viewer's events in event-time
 * order (each waits for the watermark), keeps the session (enter, leave, idle timeout) and the
 * viewer's firsts (first sight, first interaction, first purchase...), and emits what each step
 * adds to the room's figures. The tier is frozen at the first event of the broadcast.
 *
 * <p>Sessions still open when the broadcast ends are closed by stage 2, which sees {@code
 * live_end}; closes emitted here after that are ignored there.
 */
public class ViewerSessions extends KeyedProcessFunction<String, EventRecord, ViewerDelta> {
    private static final long serialVersionUID = 1L;

    /** Events that arrived after the watermark had passed them. */
    public static final OutputTag<EventRecord> LATE =
            new OutputTag<>("late-viewer-events", TypeInformation.of(EventRecord.class));

    private static final Comparator<EventRecord> BY_ID = Comparator.comparing(e -> e.id);

    private final long idleTimeoutMs;
    private final long retentionMs;

    private transient ValueState<ViewerState> state;
    private transient ValueState<long[]> seenIds;
    private transient MapState<String, Long> comboValues;
    private transient MapState<Long, List<EventRecord>> buffer;
    private transient Counter duplicates;
    private transient Counter late;

    /**
     * @param idleTimeoutMs a session without events for this long closes (docs/metrics.md)
     * @param retentionMs a viewer's state is dropped this long after their last event; it must
     *     exceed the longest broadcast, or a returning viewer would count twice
     */
    public ViewerSessions(long idleTimeoutMs, long retentionMs) {
        this.idleTimeoutMs = idleTimeoutMs;
        this.retentionMs = retentionMs;
    }

    /** The key of stage 1. */
    public static String key(EventRecord e) {
        return e.room + '\u0000' + e.user;
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("viewer", ViewerState.class));
        seenIds =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "seen-id-hashes",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        comboValues =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("combos", Types.STRING, Types.LONG));
        buffer =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "buffer",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(EventRecord.class))));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(EventRecord e, Context ctx, Collector<ViewerDelta> out)
            throws Exception {
        long[] seen = seenIds.value();
        long id = EventIdHashes.hash(e.id);
        if (EventIdHashes.contains(seen, id)) {
            duplicates.inc();
            return;
        }
        seenIds.update(EventIdHashes.with(seen, id));
        long watermark = ctx.timerService().currentWatermark();
        if (e.ts <= watermark) {
            late.inc();
            ctx.output(LATE, e);
            if (seen == null) {
                // The viewer's first sight, and late: no event of theirs waits for a timer, so
                // this one drops their seen ids (kept so a repeat of it is a duplicate, not late
                // twice) a retention later, as for any viewer.
                ctx.timerService().registerEventTimeTimer(watermark + retentionMs);
            }
            return;
        }
        // Stage 1 never reads a comment's text or an entry's device: they would only be copied
        // with the buffered event into every checkpoint until the watermark passes it.
        e.text = null;
        e.device = null;
        List<EventRecord> atTs = buffer.get(e.ts);
        if (atTs == null) {
            atTs = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(e.ts);
        }
        atTs.add(e);
        buffer.put(e.ts, atTs);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<ViewerDelta> out) throws Exception {
        ViewerState s = state.value();
        if (s != null && t == s.deadlineTimer) {
            s.deadlineTimer = NONE;
        }
        if (s != null && s.open && t >= s.lastActive + idleTimeoutMs) {
            out.collect(close(ctx.getCurrentKey(), s, s.lastActive + idleTimeoutMs));
        }
        List<EventRecord> events = buffer.get(t);
        if (events != null) {
            buffer.remove(t);
            events.sort(BY_ID);
            for (EventRecord e : events) {
                s = apply(e, s, out);
            }
        }
        if (s == null) {
            // a viewer seen only in late events (their ids are all that is kept), or a deadline
            // timer left from state already dropped
            if (buffer.isEmpty()) {
                seenIds.clear();
            }
            return;
        }
        if (t >= s.lastSeen + retentionMs && buffer.isEmpty()) {
            state.clear();
            seenIds.clear();
            comboValues.clear();
            return;
        }
        keepDeadlineTimer(ctx, s);
        state.update(s);
    }

    /** No deadline, no timer. */
    private static final long NONE = Long.MIN_VALUE;

    /**
     * One timer per viewer serves both deadlines: the idle timeout while the session is open, the
     * state's retention once it is closed. It is set lazily: an event that moves the deadline later
     * leaves the timer where it is, and when it fires early it is set again at the deadline as it
     * stands then. Moving it on every event (delete and register, each a sift through the heap of
     * all timers) was the largest cost of this operator (docs/benchmarks.md).
     */
    private void keepDeadlineTimer(OnTimerContext ctx, ViewerState s) {
        long due = s.open ? s.lastActive + idleTimeoutMs : s.lastSeen + retentionMs;
        if (s.deadlineTimer == NONE || s.deadlineTimer > due) {
            ctx.timerService().registerEventTimeTimer(due);
            s.deadlineTimer = due;
        }
    }

    private ViewerDelta close(String key, ViewerState s, long at) {
        ViewerDelta d = delta(key.substring(0, key.indexOf('\u0000')), s, at);
        d.kind = ViewerDelta.CLOSE;
        d.openedAt = s.openedAt;
        d.timeout = true;
        s.open = false;
        return d;
    }

    private ViewerState apply(EventRecord e, ViewerState s, Collector<ViewerDelta> out)
            throws Exception {
        boolean first = false;
        if (s == null || !e.live.equals(s.live)) {
            // A new broadcast of the room: the viewer starts afresh, with the tier read now.
            long deadlineTimer = s == null ? NONE : s.deadlineTimer;
            s = new ViewerState();
            s.deadlineTimer = deadlineTimer;
            s.live = e.live;
            s.tier = e.tier;
            s.followedAt = e.followedAt;
            s.lastPurchaseAt = e.lastPurchaseAt;
            comboValues.clear();
            first = true;
        }
        ViewerDelta d = delta(e.room, s, e.ts);
        d.newViewer = first;
        switch (e.type) {
            case ENTER -> {
                d.pv = 1;
                if (!s.open) {
                    s.open = true;
                    s.openedAt = e.ts;
                    d.kind = ViewerDelta.OPEN;
                }
            }
            case LEAVE -> {
                if (s.open) {
                    d.kind = ViewerDelta.CLOSE;
                    d.openedAt = s.openedAt;
                    s.open = false;
                }
            }
            case COMMENT -> d.comments = 1;
            case LIKE -> d.likes = e.amount;
            case SHARE -> {
                d.shares = 1;
                d.newSharer = !s.sharer;
                s.sharer = true;
            }
            case GIFT -> gift(e, d);
            case FOLLOW -> {
                d.newFollower = !s.follower;
                s.follower = true;
            }
            case FAN_CLUB_JOIN -> {
                d.newFanClubMember = !s.fanClubMember;
                s.fanClubMember = true;
            }
            case PRODUCT_CLICK -> d.productClicks = 1;
            case ORDER_PAID -> {
                d.orders = 1;
                d.paidCents = e.amount;
                d.newBuyer = !s.buyer;
                d.sku = e.sku;
                s.buyer = true;
                if (s.skuOfOrder == null) {
                    s.skuOfOrder = new HashMap<>(); // state written before the field existed
                }
                s.skuOfOrder.put(e.order, e.sku);
            }
            case ORDER_REFUNDED -> {
                d.refunds = 1;
                d.refundedCents = e.amount;
                String sku = s.skuOfOrder == null ? null : s.skuOfOrder.get(e.order);
                d.sku = sku == null ? ViewerDelta.UNKNOWN_SKU : sku;
            }
            case LIVE_START, LIVE_END ->
                    throw new IllegalStateException("room event in stage 1: " + e);
        }
        if (d.interactions() > 0 && !s.interacting) {
            d.newInteracting = true;
            s.interacting = true;
        }
        if (s.open) {
            s.lastActive = e.ts;
        }
        s.lastSeen = e.ts;
        out.collect(d);
        return s;
    }

    /** A combo counts once, worth its highest running value: later messages add the difference. */
    private void gift(EventRecord e, ViewerDelta d) throws Exception {
        if (e.combo == null) {
            d.gifts = 1;
            d.giftValueCents = e.amount;
            return;
        }
        Long before = comboValues.get(e.combo);
        if (before == null) {
            d.gifts = 1;
            d.giftValueCents = e.amount;
            comboValues.put(e.combo, e.amount);
        } else if (e.amount > before) {
            d.giftValueCents = e.amount - before;
            comboValues.put(e.combo, e.amount);
        }
    }

    private static ViewerDelta delta(String room, ViewerState s, long ts) {
        ViewerDelta d = new ViewerDelta();
        d.room = room;
        d.live = s.live;
        d.ts = ts;
        d.kind = ViewerDelta.ACTIVITY;
        d.tier = s.tier;
        d.followedAt = s.followedAt;
        d.lastPurchaseAt = s.lastPurchaseAt;
        return d;
    }
}
