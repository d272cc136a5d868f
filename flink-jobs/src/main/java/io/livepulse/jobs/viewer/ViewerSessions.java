package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.records.serde.KeySerializer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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

    /** The order a viewer's events are applied in. */
    private static final Comparator<EventRecord> BY_TS_ID =
            Comparator.<EventRecord>comparingLong(e -> e.ts).thenComparing(e -> e.id);

    private final long idleTimeoutMs;
    private final long retentionMs;

    /** The name of the state that holds each viewer's {@link ViewerState}. */
    static final String STATE_NAME = "viewer";

    private transient ValueState<ViewerState> state;

    /** Broadcast ids by themselves: the one copy of each that this subtask's states hold. */
    private transient HashMap<String, String> liveIds;

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

    /**
     * The type of stage 1's key: a string whose serializer writes it into a checkpoint in one
     * block. There is one key per viewer, written with each state entry and each timer into every
     * checkpoint.
     */
    public static final TypeInformation<String> KEY_TYPE = KeySerializer.TYPE;

    /** The key of stage 1. */
    public static String key(EventRecord e) {
        return e.room + '\u0000' + e.user;
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(STATE_NAME, ViewerState.class));
        liveIds = new HashMap<>();
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(EventRecord e, Context ctx, Collector<ViewerDelta> out)
            throws Exception {
        ViewerState s = state.value();
        long id = EventIdHashes.hash(e.id);
        if (s != null && EventIdHashes.contains(s.seenIds, id)) {
            duplicates.inc();
            return;
        }
        boolean firstSight = s == null;
        if (firstSight) {
            s = new ViewerState();
        }
        s.seenIds = EventIdHashes.with(s.seenIds, id);
        long watermark = ctx.timerService().currentWatermark();
        if (e.ts <= watermark) {
            late.inc();
            ctx.output(LATE, e);
            if (firstSight) {
                // The viewer's first sight, and late: no event of theirs waits for a timer, so
                // this one drops their seen ids (kept so a repeat of it is a duplicate, not late
                // twice) a retention later, as for any viewer.
                ctx.timerService().registerEventTimeTimer(watermark + retentionMs);
            }
            state.update(s);
            return;
        }
        // Stage 1 never reads a comment's text or an entry's device: they would only be copied
        // with the waiting event into every checkpoint until the watermark passes it.
        e.text = null;
        e.device = null;
        if (await(s, e)) {
            ctx.timerService().registerEventTimeTimer(e.ts);
        }
        state.update(s);
    }

    /**
     * Puts the event among the viewer's waiting events in (ts, id) order, searching from the end: a
     * viewer's events mostly come in order. True if no other event waits at its time, so it needs a
     * timer.
     */
    private static boolean await(ViewerState s, EventRecord e) {
        if (s.waiting == null) {
            s.waiting = new ArrayList<>(2);
        }
        List<EventRecord> waiting = s.waiting;
        int at = waiting.size();
        while (at > 0 && BY_TS_ID.compare(waiting.get(at - 1), e) > 0) {
            at--;
        }
        boolean alone =
                (at == 0 || waiting.get(at - 1).ts != e.ts)
                        && (at == waiting.size() || waiting.get(at).ts != e.ts);
        waiting.add(at, e);
        return alone;
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<ViewerDelta> out) throws Exception {
        ViewerState s = state.value();
        if (s == null) {
            return; // a deadline timer left from state already dropped
        }
        if (t == s.deadlineTimer) {
            s.deadlineTimer = NONE;
        }
        if (s.live != null && s.open && t >= s.lastActive + idleTimeoutMs) {
            out.collect(close(ctx.getCurrentKey(), s, s.lastActive + idleTimeoutMs));
        }
        applyDue(t, s, out);
        if (s.waiting == null && (s.live == null || t >= s.lastSeen + retentionMs)) {
            // nothing waits, and the viewer's retention is over, or they were seen only in late
            // events (their ids were all that was kept)
            state.clear();
            return;
        }
        if (s.live != null) {
            keepDeadlineTimer(ctx, s);
        }
        state.update(s);
    }

    /** Applies the waiting events the watermark has passed ({@code ts <= t}), in order. */
    private void applyDue(long t, ViewerState s, Collector<ViewerDelta> out) {
        List<EventRecord> waiting = s.waiting;
        if (waiting == null) {
            return;
        }
        int due = 0;
        while (due < waiting.size() && waiting.get(due).ts <= t) {
            apply(waiting.get(due), s, out);
            due++;
        }
        if (due == waiting.size()) {
            s.waiting = null;
        } else {
            waiting.subList(0, due).clear();
        }
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

    /**
     * Broadcast ids kept for sharing before the map starts afresh (10,000 rooms' worth, and more).
     */
    private static final int MAX_LIVE_IDS = 100_000;

    /**
     * The copy of a broadcast's id that the viewer states share. Every event brings a copy of its
     * own, read off the network; a million states each keeping theirs was two objects and about 64
     * bytes per viewer for the collector to copy and mark (docs/benchmarks.md, change 22). States
     * restored from a checkpoint keep their own copies, which is only memory.
     */
    private String sharedLiveId(String live) {
        if (liveIds.size() >= MAX_LIVE_IDS) {
            // mostly ended broadcasts' ids: a live one is kept again at its next new viewer
            liveIds.clear();
        }
        String kept = liveIds.putIfAbsent(live, live);
        return kept == null ? live : kept;
    }

    private ViewerDelta close(String key, ViewerState s, long at) {
        ViewerDelta d = delta(key.substring(0, key.indexOf('\u0000')), s, at);
        d.kind = ViewerDelta.CLOSE;
        d.openedAt = s.openedAt;
        d.timeout = true;
        s.open = false;
        return d;
    }

    private void apply(EventRecord e, ViewerState s, Collector<ViewerDelta> out) {
        boolean first = false;
        if (!e.live.equals(s.live)) {
            // A new broadcast of the room (or the viewer's first): the tier is read now.
            s.startBroadcast(sharedLiveId(e.live), e.tier, e.followedAt, e.lastPurchaseAt);
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
            case GIFT -> gift(e, s, d);
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
                    s.skuOfOrder = new HashMap<>();
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
    }

    /** A combo counts once, worth its highest running value: later messages add the difference. */
    private static void gift(EventRecord e, ViewerState s, ViewerDelta d) {
        if (e.combo == null) {
            d.gifts = 1;
            d.giftValueCents = e.amount;
            return;
        }
        if (s.comboValues == null) {
            s.comboValues = new HashMap<>();
        }
        Long before = s.comboValues.get(e.combo);
        if (before == null) {
            d.gifts = 1;
            d.giftValueCents = e.amount;
            s.comboValues.put(e.combo, e.amount);
        } else if (e.amount > before) {
            d.giftValueCents = e.amount - before;
            s.comboValues.put(e.combo, e.amount);
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
