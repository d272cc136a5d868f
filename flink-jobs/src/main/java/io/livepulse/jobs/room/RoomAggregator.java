package io.livepulse.jobs.room;

import io.livepulse.events.EventType;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.ProductSales;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.jobs.records.SharedStrings;
import io.livepulse.jobs.records.ViewerDelta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stage 2, keyed by room: applies the viewers' deltas and the room's own events (live_start,
 * live_end) in event-time order, and emits a complete snapshot of every group at each tick of event
 * time, zeros included. {@code live_end} closes the sessions still open, emits the final snapshot
 * and clears the broadcast's figures.
 *
 * <p>Deltas wait in one list per room and are applied at the first timer at or after their instant
 * (at the latest the end of their span of {@link #DELTA_SPAN_MS}, or the tick if it comes first),
 * all of them in order before whatever else is due at that timer's instant. A timer per delta
 * instant instead (most deltas have an instant of their own) made this the busiest task of the live
 * job (docs/benchmarks.md, change 18).
 */
public class RoomAggregator
        extends KeyedCoProcessFunction<String, ViewerDelta, EventRecord, RoomSnapshot> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<EventRecord> LATE =
            new OutputTag<>("late-room-events", TypeInformation.of(EventRecord.class));

    /**
     * The order deltas are applied in: by instant, and at one instant closes before activity before
     * opens, as online(t) is defined. The sort is stable: otherwise in arrival order.
     */
    private static final Comparator<ViewerDelta> IN_ORDER =
            Comparator.<ViewerDelta>comparingLong(d -> d.ts)
                    .thenComparingInt(
                            d ->
                                    d.kind == ViewerDelta.CLOSE
                                            ? 0
                                            : d.kind == ViewerDelta.OPEN ? 2 : 1);

    /**
     * The span of event time whose deltas wait for one timer of the room. Until change 45 they
     * waited for the tick (5 s): every room's deltas of up to a tick were alive at once, in a
     * backlog hundreds of thousands of them, copied by the young collections (the largest class
     * those copied in a drain, a quarter of it) and written into every checkpoint. A delta now
     * waits at most a quarter second of event time, for a timer per room and span with deltas.
     */
    static final long DELTA_SPAN_MS = 250;

    private final long tickMs;
    private final long oldFanCutoffMs;
    private final long endedRetentionMs;
    private final long idleEndMs;

    private transient ValueState<RoomState> state;
    private transient ListState<ViewerDelta> waitingDeltas;
    private transient MapState<Long, List<EventRecord>> roomEvents;
    private transient MapState<String, Boolean> seenRoomEventIds;
    private transient MapState<String, ProductSales> products;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter ignoredDeltas;
    private transient Counter idleEnded;

    /** Broadcast ids: the one copy of each that this subtask's waiting deltas hold. */
    private transient SharedStrings broadcasts;

    /**
     * @param endedRetentionMs how long an ended broadcast is remembered, to ignore the closes that
     *     stage 1 still sends for it (at most one idle timeout after the end); then the room's
     *     state is cleared
     * @param idleEndMs a broadcast without any event for this long has ended (its live_end was
     *     lost): it ends this long after its last event, with its final snapshot
     */
    public RoomAggregator(long tickMs, long oldFanCutoffMs, long endedRetentionMs, long idleEndMs) {
        this.tickMs = tickMs;
        this.oldFanCutoffMs = oldFanCutoffMs;
        this.endedRetentionMs = endedRetentionMs;
        this.idleEndMs = idleEndMs;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("room", RoomState.class));
        waitingDeltas =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "waiting-deltas", TypeInformation.of(ViewerDelta.class)));
        roomEvents =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "room-events",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(EventRecord.class))));
        seenRoomEventIds =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "seen-room-event-ids", Types.STRING, Types.BOOLEAN));
        products =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "products",
                                        Types.STRING,
                                        TypeInformation.of(ProductSales.class)));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        late = getRuntimeContext().getMetricGroup().counter("lateRoomEvents");
        ignoredDeltas = getRuntimeContext().getMetricGroup().counter("deltasAfterEnd");
        idleEnded = getRuntimeContext().getMetricGroup().counter("broadcastsEndedIdle");
        broadcasts = new SharedStrings();
    }

    @Override
    public void processElement1(ViewerDelta d, Context ctx, Collector<RoomSnapshot> out)
            throws Exception {
        // A delta waits for its timer (a quarter second of event time at most, change 45; more
        // wall time in a backlog), and the young collections copy what is alive then: it keeps
        // no room (the key is the room) and the subtask's copy of its broadcast id
        // (docs/benchmarks.md, change 31). Also less for every checkpoint.
        d.room = null;
        d.live = broadcasts.of(d.live);
        waitingDeltas.add(d);
        // one timer per room and span, however many deltas wait for it (Flink keeps one per
        // instant): it exists already for all but the first delta of a span
        ctx.timerService().registerEventTimeTimer(timerFor(d.ts));
    }

    /**
     * The timer a delta at {@code ts} waits for: the end of its span, or the tick if it comes
     * first, so that every delta up to a tick is applied before the tick's snapshot.
     */
    private long timerFor(long ts) {
        return Math.min(multipleAtOrAfter(ts, DELTA_SPAN_MS), tickAtOrAfter(ts));
    }

    /** The first tick at or after {@code ts}. */
    private long tickAtOrAfter(long ts) {
        return multipleAtOrAfter(ts, tickMs);
    }

    /** The first multiple of {@code unit} at or after {@code ts}. */
    private static long multipleAtOrAfter(long ts, long unit) {
        return Math.floorDiv(ts + unit - 1, unit) * unit;
    }

    @Override
    public void processElement2(EventRecord e, Context ctx, Collector<RoomSnapshot> out)
            throws Exception {
        if (seenRoomEventIds.contains(e.id)) {
            duplicates.inc();
            return;
        }
        seenRoomEventIds.put(e.id, Boolean.TRUE);
        if (e.ts <= ctx.timerService().currentWatermark()) {
            late.inc();
            ctx.output(LATE, e);
            return;
        }
        List<EventRecord> atTs = roomEvents.get(e.ts);
        if (atTs == null) {
            atTs = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(e.ts);
        }
        atTs.add(e);
        roomEvents.put(e.ts, atTs);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<RoomSnapshot> out) throws Exception {
        RoomState s = state.value();
        List<ViewerDelta> due = takeDeltasUpTo(t);
        int next = 0;
        // No timer fired between these deltas' instants and now (theirs is the first at or after
        // them), so nothing else was due in between: they are applied first, as at their instants.
        while (next < due.size() && due.get(next).ts < t) {
            s = apply(s, due.get(next++), t, ctx);
        }
        if (s != null && s.live != null && t == s.idleCheckAt) {
            if (t >= s.lastEventAt + idleEndMs) {
                // silent for the whole limit: its live_end was lost, the broadcast is over
                idleEnded.inc();
                finish(s, t, ctx, out);
            } else {
                armIdleCheck(s, ctx);
            }
        }
        List<EventRecord> events = roomEvents.get(t);
        EventRecord end = null;
        if (events != null) {
            roomEvents.remove(t);
            events.sort(Comparator.comparing(e -> e.id));
            for (EventRecord e : events) {
                if (e.type == EventType.LIVE_START) {
                    s = start(s, e.live, e.ts, e, t, ctx);
                } else if (e.type == EventType.LIVE_END && end == null) {
                    end = e;
                }
            }
        }
        while (next < due.size()) {
            s = apply(s, due.get(next++), t, ctx);
        }
        if (end != null && s != null && end.live.equals(s.live)) {
            finish(s, t, ctx, out);
        } else if (s != null && s.live != null && t % tickMs == 0) {
            out.collect(snapshot(s, t, false, ctx));
            ctx.timerService().registerEventTimeTimer(t + tickMs);
        }
        if (s != null
                && s.live == null
                && t >= s.endedAt + endedRetentionMs
                && isEmpty(waitingDeltas.get())
                && roomEvents.isEmpty()) {
            // Late closes of the ended broadcast can no longer come: nothing of it is kept.
            state.clear();
            seenRoomEventIds.clear();
            products.clear();
        } else if (s != null) {
            state.update(s);
        }
    }

    /** The waiting deltas at or before {@code t}, in order; the others keep waiting. */
    private List<ViewerDelta> takeDeltasUpTo(long t) throws Exception {
        Iterable<ViewerDelta> waiting = waitingDeltas.get();
        if (isEmpty(waiting)) {
            return List.of();
        }
        List<ViewerDelta> due = new ArrayList<>();
        List<ViewerDelta> later = new ArrayList<>();
        for (ViewerDelta d : waiting) {
            (d.ts <= t ? due : later).add(d);
        }
        if (due.isEmpty()) {
            return due;
        }
        if (later.isEmpty()) {
            waitingDeltas.clear();
        } else {
            waitingDeltas.update(later);
        }
        due.sort(IN_ORDER);
        return due;
    }

    private static boolean isEmpty(Iterable<?> state) {
        return state == null || !state.iterator().hasNext();
    }

    /**
     * @param now the instant of the timer being handled: its snapshot is taken before it returns,
     *     so a broadcast starting at a delta whose first tick is now needs no timer for it
     */
    private RoomState start(
            RoomState s, String live, long ts, EventRecord liveStart, long now, OnTimerContext ctx)
            throws Exception {
        if (s != null && live.equals(s.live)) {
            return s; // a repeated live_start
        }
        RoomState n = new RoomState();
        n.endedLive = s == null ? null : s.endedLive;
        products.clear();
        forgetRoomEventIdsExcept(liveStart);
        n.live = live;
        n.start = ts;
        n.lastEventAt = ts;
        armIdleCheck(n, ctx);
        if (liveStart != null) {
            n.goalGmvCents = liveStart.goalGmvCents;
            n.goalNewFans = liveStart.goalNewFans;
        }
        n.groups = new GroupFigures[Group.COUNT];
        for (int i = 0; i < Group.COUNT; i++) {
            n.groups[i] = new GroupFigures();
        }
        long firstTick = tickAtOrAfter(ts);
        if (firstTick != now) {
            // Registered again now, the timer firing now would fire twice: two snapshots.
            ctx.timerService().registerEventTimeTimer(firstTick);
        }
        return n;
    }

    /**
     * Deletes a timer the ended broadcast no longer needs, unless something else is due at that
     * instant: Flink keeps one timer per key and instant, so deleting it would also drop, say, the
     * next broadcast's live_start buffered for that very millisecond.
     */
    private void deleteUnusedTimer(long at, long cleanup, OnTimerContext ctx) throws Exception {
        if (at == cleanup || roomEvents.contains(at)) {
            return;
        }
        Iterable<ViewerDelta> waiting = waitingDeltas.get();
        if (waiting != null) {
            for (ViewerDelta d : waiting) {
                if (timerFor(d.ts) == at) {
                    return;
                }
            }
        }
        ctx.timerService().deleteEventTimeTimer(at);
    }

    /** One pending check per room: when it fires early, it is set again from the last event. */
    private void armIdleCheck(RoomState s, OnTimerContext ctx) {
        s.idleCheckAt = s.lastEventAt + idleEndMs;
        ctx.timerService().registerEventTimeTimer(s.idleCheckAt);
    }

    /** Room-event ids are kept for one broadcast: a new one makes the old ids useless. */
    private void forgetRoomEventIdsExcept(EventRecord liveStart) throws Exception {
        seenRoomEventIds.clear();
        if (liveStart != null) {
            seenRoomEventIds.put(liveStart.id, Boolean.TRUE);
        }
    }

    private RoomState apply(RoomState s, ViewerDelta d, long now, OnTimerContext ctx)
            throws Exception {
        if (s != null && d.live.equals(s.endedLive)) {
            ignoredDeltas.inc(); // e.g. an idle close after live_end already closed the session
            return s;
        }
        if (s == null || !d.live.equals(s.live)) {
            // Deltas before any live_start (the feed lost it): the broadcast starts with them.
            s = start(s, d.live, d.ts, null, now, ctx);
        }
        if (!d.timeout) {
            s.lastEventAt = Math.max(s.lastEventAt, d.ts);
            s.events++;
            if (d.kind == ViewerDelta.CLOSE && d.ts - d.openedAt < RoomSnapshot.SHORT_SESSION_MS) {
                s.shortSessions++;
            }
        }
        if (s.idleCheckAt == 0) {
            armIdleCheck(s, ctx); // state from before the check existed
        }
        boolean oldFan =
                d.tier.isFan()
                        && d.followedAt != ViewerDelta.NEVER
                        && d.followedAt < s.start - oldFanCutoffMs;
        boolean repeatBuyer = d.lastPurchaseAt != ViewerDelta.NEVER && d.lastPurchaseAt < s.start;
        s.groups[Group.of(d.tier).ordinal()].apply(d, repeatBuyer);
        s.groups[Group.ALL.ordinal()].apply(d, repeatBuyer);
        if (d.tier.isFan()) {
            s.groups[Group.FANS.ordinal()].apply(d, repeatBuyer);
        }
        if (oldFan) {
            s.groups[Group.OLD_FANS.ordinal()].apply(d, repeatBuyer);
        }
        if (d.sku != null) {
            ProductSales p = products.get(d.sku);
            if (p == null) {
                p = new ProductSales(d.sku);
            }
            p.apply(d);
            products.put(d.sku, p);
        }
        return s;
    }

    private void finish(RoomState s, long end, OnTimerContext ctx, Collector<RoomSnapshot> out)
            throws Exception {
        for (GroupFigures g : s.groups) {
            g.closeAllAt(end);
        }
        RoomSnapshot last = snapshot(s, end, true, ctx);
        last.topProducts = topProducts();
        out.collect(last);
        products.clear();
        long cleanup = end + endedRetentionMs;
        ctx.timerService().registerEventTimeTimer(cleanup);
        long pendingTick = (Math.floorDiv(end - 1, tickMs) + 1) * tickMs;
        if (pendingTick > end) {
            deleteUnusedTimer(pendingTick, cleanup, ctx);
        }
        if (s.idleCheckAt > end) {
            deleteUnusedTimer(s.idleCheckAt, cleanup, ctx);
        }
        s.endedAt = end;
        s.endedLive = s.live;
        s.live = null;
        s.groups = null;
        s.goalGmvCents = null;
        s.goalNewFans = null;
    }

    /** The broadcast's best-selling products, for its recap. */
    private List<ProductSales> topProducts() throws Exception {
        List<ProductSales> all = new ArrayList<>();
        for (ProductSales p : products.values()) {
            all.add(p);
        }
        all.sort(ProductSales.BY_GMV);
        return new ArrayList<>(all.subList(0, Math.min(RoomSnapshot.TOP_PRODUCTS, all.size())));
    }

    private static RoomSnapshot snapshot(
            RoomState s, long at, boolean isFinal, OnTimerContext ctx) {
        RoomSnapshot snap = new RoomSnapshot();
        snap.room = ctx.getCurrentKey();
        snap.live = s.live;
        snap.ts = at;
        snap.start = s.start;
        snap.isFinal = isFinal;
        snap.goalGmvCents = s.goalGmvCents;
        snap.goalNewFans = s.goalNewFans;
        snap.groups = new GroupFigures[Group.COUNT];
        for (int i = 0; i < Group.COUNT; i++) {
            snap.groups[i] = s.groups[i].copy();
        }
        snap.events = s.events;
        snap.shortSessions = s.shortSessions;
        snap.freshnessMs =
                Math.max(0, System.currentTimeMillis() - ctx.timerService().currentWatermark());
        return snap;
    }
}
