package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Hash64;
import io.livepulse.jobs.records.SharedStrings;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.records.serde.ViewerKeySerializer;
import io.livepulse.jobs.records.serde.WaitingEventSerializer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Stage 1, keyed by (room, user): drops repeated deliveries, puts a viewer's events in event-time
 * order (each waits for the watermark), keeps the session (enter, leave, idle timeout) and the
 * viewer's firsts (first sight, first interaction, first purchase...), and emits what each step
 * adds to the room's figures. The tier is frozen at the first event of the broadcast.
 *
 * <p>An operator rather than a {@code KeyedProcessFunction} for one reason: it sets no Flink
 * timers. The viewers whose events wait for the watermark, and each viewer's one deadline (idle
 * timeout, then retention), are noted in a {@link ViewersByInstant} each, handed each watermark
 * before it is forwarded. Flink's timer service is still opened, for the timers of a checkpoint
 * taken before either existed.
 *
 * <p>Sessions still open when the broadcast ends are closed by stage 2, which sees {@code
 * live_end}; closes emitted here after that are ignored there.
 */
public class ViewerSessions extends AbstractStreamOperator<ViewerDelta>
        implements OneInputStreamOperator<EventRecord, ViewerDelta>,
                Triggerable<Object, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    /** Events that arrived after the watermark had passed them. */
    public static final OutputTag<EventRecord> LATE =
            new OutputTag<>("late-viewer-events", TypeInformation.of(EventRecord.class));

    /** The order a viewer's events are applied in. */
    private static final Comparator<EventRecord> BY_TS_ID =
            Comparator.<EventRecord>comparingLong(e -> e.ts).thenComparing(e -> e.id);

    private final long idleTimeoutMs;
    private final long retentionMs;
    private final long dedupeHorizonMs;

    /** The name of the state that holds each viewer's {@link ViewerState}. */
    static final String STATE_NAME = "viewer";

    /**
     * The name Flink's {@code KeyedProcessOperator} gives its timers: the timers of a checkpoint
     * taken when this stage was a {@code KeyedProcessFunction} (change 24), or set its deadlines
     * with Flink's timers (change 32), come back under it and fire as deadlines.
     */
    static final String TIMERS_NAME = "user-timers";

    private transient ValueState<ViewerState> state;

    /** Flink's timers: none is set any more; it keeps the watermark and fires restored timers. */
    private transient InternalTimerService<VoidNamespace> flinkTimers;

    /** The viewers with events waiting, at the time of their earliest waiting event. */
    private transient ViewersByInstant waitingViewers;

    /** Each viewer's deadline. */
    private transient ViewersByInstant deadlines;

    /**
     * The waiting events a checkpoint of change 51 held outside the states, until {@link #open}.
     */
    private transient List<WaitingEvent> restoredWaiting;

    /**
     * Rooms and broadcast ids: the one copy of each that this subtask's states and waiting events
     * hold.
     */
    private transient SharedStrings sharedIds;

    private transient StreamRecord<ViewerDelta> emitted;
    private transient Counter duplicates;
    private transient Counter late;

    /**
     * @param idleTimeoutMs a session without events for this long closes (docs/metrics.md)
     * @param retentionMs a viewer's state is dropped this long after their last event; it must
     *     exceed the longest broadcast, or a returning viewer would count twice
     * @param dedupeHorizonMs a viewer's event ids are kept at least this long of the watermark
     *     after they came (at most twice as long): a repeat within it is a duplicate, a repeat
     *     after it is late (the watermark has passed its event by then), counted and set aside as
     *     late events are, never applied twice
     */
    public ViewerSessions(long idleTimeoutMs, long retentionMs, long dedupeHorizonMs) {
        if (dedupeHorizonMs <= 0) {
            throw new IllegalArgumentException(
                    "the dedupe horizon must be positive; got " + dedupeHorizonMs + " ms");
        }
        this.idleTimeoutMs = idleTimeoutMs;
        this.retentionMs = retentionMs;
        this.dedupeHorizonMs = dedupeHorizonMs;
    }

    /**
     * The dedupe horizon's generation of a watermark ({@link ViewerState#forgetIdsBefore}): none
     * before the first watermark, whose ids are kept as the first generation's.
     */
    int idsGeneration(long watermark) {
        if (watermark < 0) {
            return ViewerState.NO_GENERATION;
        }
        return (int) Math.min(Integer.MAX_VALUE, watermark / dedupeHorizonMs);
    }

    /**
     * The type of stage 1's key, one object per viewer ({@link ViewerKey}), written with each state
     * entry into every checkpoint.
     */
    public static final TypeInformation<ViewerKey> KEY_TYPE = ViewerKeySerializer.TYPE;

    /** The key of stage 1. */
    public static ViewerKey key(EventRecord e) {
        return ViewerKey.of(e.room, e.user);
    }

    /**
     * A checkpoint taken with change 51 (docs/benchmarks.md; withdrawn: its checkpoints'
     * synchronous part held stage 1 back, and the time beyond the tick with it) keeps the waiting
     * events as raw keyed state, each key group's in a block: they are read here and put back into
     * their viewers' states when stage 1 opens. Nothing writes raw keyed state any more.
     */
    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restoredWaiting = new ArrayList<>();
        for (KeyGroupStatePartitionStreamProvider group : context.getRawKeyedStateInputs()) {
            try (InputStream in = group.getStream()) {
                DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
                int count = WaitingEventSerializer.readHeader(view);
                for (int i = 0; i < count; i++) {
                    restoredWaiting.add(WaitingEventSerializer.read(view));
                }
            }
        }
    }

    /**
     * The raw keyed state is this operator's (a checkpoint of change 51): Flink must not read it as
     * timers. A RocksDB backend told to keep Flink's timers on the heap would write them there, and
     * Flink refuses that at the first checkpoint; the job does not offer that configuration.
     */
    @Override
    protected boolean isUsingCustomRawKeyedState() {
        return true;
    }

    /**
     * The viewers' state, with the serializer of {@link ViewerState}'s type. A test gives the
     * serializer of an older layout, to write the checkpoints of those days.
     */
    ValueStateDescriptor<ViewerState> viewersState() {
        return new ValueStateDescriptor<>(STATE_NAME, ViewerState.class);
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<ViewerState> viewers = viewersState();
        state = getPartitionedState(viewers);
        refuseStringKeysOutsideTheHeap();
        flinkTimers = getInternalTimerService(TIMERS_NAME, VoidNamespaceSerializer.INSTANCE, this);
        sharedIds = new SharedStrings();
        emitted = new StreamRecord<>(null);
        duplicates = getMetricGroup().counter("duplicateEvents");
        late = getMetricGroup().counter("lateEvents");
        waitingViewers = new ViewersByInstant(ViewersByInstant.WAITING_SPAN_MS);
        deadlines = new ViewersByInstant(ViewersByInstant.DEADLINE_SPAN_MS);
        // Restored state: each state gets its key back, the state table's own object, and the
        // subtask's copies of its room, broadcast and products; every viewer with events waiting
        // and every deadline (both in the state) is noted again.
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        viewers,
                        (key, viewer) -> {
                            ViewerState s = viewer.value();
                            if (s == null) {
                                return;
                            }
                            s.key = (ViewerKey) key;
                            s.key.shareRoom(sharedIds);
                            s.shareStrings(sharedIds);
                            if (s.waiting != null) {
                                waitingViewers.add(s.waiting.get(0).ts, s.key);
                            }
                            if (s.deadlineTimer != NONE) {
                                deadlines.add(s.deadlineTimer, s.key);
                            }
                        });
        restoreWaitingOutsideTheStates();
        restoredTimersAsDeadlines();
    }

    /**
     * A checkpoint of before change 54 has string keys. The heap backend reads them through the key
     * serializer, which makes them viewer keys ({@link ViewerKeySerializer#FROM_STRING_KEYS});
     * RocksDB (and the changelog) keep the bytes they restored, under which no new key would be
     * found: the viewers would start afresh and count twice. Refused there, with what to do.
     */
    private void refuseStringKeysOutsideTheHeap() {
        var backend = getKeyedStateBackend();
        Object keySerializer = backend.getKeySerializer();
        if (keySerializer instanceof ViewerKeySerializer keys
                && keys.readsStringKeys()
                && !(backend instanceof HeapKeyedStateBackend)) {
            throw new IllegalStateException(
                    "stage 1's checkpoint has the string keys of before change 54, which only the"
                            + " hashmap state backend can read as the new keys; this job runs on "
                            + backend.getClass().getSimpleName()
                            + ". Restore it once with state.backend.type: hashmap, take a"
                            + " savepoint, and restore that one on the backend you want.");
        }
    }

    /**
     * Flink timers of a checkpoint of before change 32 (one per viewer at the deadline, or before
     * change 24 one per waiting event), keyed by the strings of before change 54: each becomes a
     * deadline noted by stage 1, under the viewer's key, and leaves Flink's timers, which would
     * write its string key with the new key serializer at the next checkpoint.
     */
    private void restoredTimersAsDeadlines() throws Exception {
        List<Object> keys = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        flinkTimers.forEachEventTimeTimer(
                (namespace, time) -> {
                    keys.add(getCurrentKey());
                    times.add(time);
                });
        for (int i = 0; i < keys.size(); i++) {
            setCurrentKey(keys.get(i));
            flinkTimers.deleteEventTimeTimer(VoidNamespace.INSTANCE, times.get(i));
            ViewerKey key =
                    keys.get(i) instanceof String old
                            ? ViewerKey.ofStringKey(old)
                            : (ViewerKey) keys.get(i);
            setCurrentKey(key);
            ViewerState s = state.value();
            deadlines.add(times.get(i), s != null && s.key != null ? s.key : key);
        }
    }

    /**
     * The waiting events of a change-51 checkpoint, each put back among its viewer's (whose state
     * has seen its id already). A viewer without a state (change 51 kept the state of a viewer with
     * events waiting) starts with those events' ids, as a viewer does whose retention ended while
     * they waited.
     */
    private void restoreWaitingOutsideTheStates() throws Exception {
        for (WaitingEvent waiting : restoredWaiting) {
            ViewerKey key = ViewerKey.ofStringKey(waiting.key());
            setCurrentKey(key);
            ViewerState s = state.value();
            if (s == null) {
                s = new ViewerState();
                s.key = key;
                key.shareRoom(sharedIds);
            }
            long id = Hash64.of(waiting.event().id);
            if (!s.hasSeen(id)) {
                s.see(id);
            }
            if (await(s, waiting.event())) {
                waitingViewers.add(waiting.event().ts, noteKey(s));
            }
            state.update(s);
        }
        restoredWaiting = null;
    }

    @Override
    public void processElement(StreamRecord<EventRecord> record) throws Exception {
        EventRecord e = record.getValue();
        ViewerState s = state.value();
        long id = Hash64.of(e.id);
        long watermark = flinkTimers.currentWatermark();
        boolean firstSight = s == null;
        if (firstSight) {
            s = new ViewerState();
            s.key = (ViewerKey) getCurrentKey(); // the key the table keeps for the new state
            s.key.shareRoom(sharedIds);
        }
        s.forgetIdsBefore(idsGeneration(watermark)); // keeps the ids of the events still waiting
        if (!firstSight && s.hasSeen(id)) {
            duplicates.inc();
            return; // the ids moved on in place (or, on RocksDB, at the viewer's next event)
        }
        s.see(id);
        if (e.ts <= watermark) {
            late.inc();
            output.collect(LATE, new StreamRecord<>(e, e.ts));
            if (firstSight) {
                // The viewer's first sight, and late: no event of theirs waits, so this one drops
                // their seen ids (kept so a repeat of it is a duplicate, not late twice) a
                // retention later, as for any viewer.
                setDeadline(s, watermark + retentionMs);
            }
            state.update(s);
            return;
        }
        // The event waits, seconds in a backlog, and young collections copy what is alive then:
        // it keeps no text, device or user (stage 1 never reads the first two, the key stands for
        // the user), and the copies of the room and the broadcast every viewer's states share
        // (docs/benchmarks.md, change 30). They would also be copied into every checkpoint.
        e.text = null;
        e.device = null;
        e.user = null;
        e.room = s.key != null ? s.key.room() : sharedIds.of(e.room); // the key's room is shared
        e.live =
                e.live != null && e.live.equals(s.live)
                        ? s.live
                        : sharedIds.of(e.live); // their state's
        if (await(s, e)) {
            waitingViewers.add(e.ts, noteKey(s));
        }
        state.update(s);
    }

    /**
     * Applies every waiting event the watermark has passed, viewer by viewer, then every deadline
     * it has passed, before the watermark goes on to stage 2, which must have every delta at or
     * before it.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        waitingViewers.takeDue(
                watermark,
                (key, earliestWaiting) -> {
                    setCurrentKey(key);
                    applyWaiting(key, watermark);
                });
        deadlines.takeDue(
                watermark,
                (key, deadline) -> {
                    setCurrentKey(key);
                    onDeadline(key, deadline);
                });
        super.processWatermark(mark); // fires restored Flink timers, forwards the watermark
    }

    /**
     * Puts the event among the viewer's waiting events in (ts, id) order, searching from the end: a
     * viewer's events mostly come in order. True if it is now the earliest of them, so the viewer
     * must be noted at its time among the waiting viewers.
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
        waiting.add(at, e);
        return at == 0;
    }

    /**
     * A viewer noted among the waiting viewers at or before the watermark: their events up to it
     * are applied in order, each after the idle timeout that came before it, as the deadline would
     * have closed the session.
     */
    private void applyWaiting(ViewerKey key, long watermark) throws Exception {
        ViewerState s = state.value();
        if (s == null || s.waiting == null || s.waiting.get(0).ts > watermark) {
            return; // noted twice, and the other note applied the events already
        }
        List<EventRecord> waiting = s.waiting;
        int due = 0;
        while (due < waiting.size() && waiting.get(due).ts <= watermark) {
            EventRecord e = waiting.get(due++);
            closeIfIdle(key, s, e.ts);
            apply(e, s);
        }
        if (due == waiting.size()) {
            s.waiting = null;
        } else {
            waiting.subList(0, due).clear();
            waitingViewers.add(waiting.get(0).ts, key);
        }
        keepDeadline(s);
        state.update(s);
    }

    /** Restored Flink timers became deadlines when stage 1 opened; it sets none. */
    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {
        throw new IllegalStateException("stage 1 sets no event-time timers: " + timer);
    }

    /**
     * A viewer's deadline (idle timeout or retention) at {@code t}. The waiting events up to the
     * watermark were applied before it came ({@link #processWatermark}).
     */
    private void onDeadline(ViewerKey key, long t) throws Exception {
        ViewerState s = state.value();
        if (s == null) {
            return; // a deadline left from state already dropped
        }
        if (t == s.deadlineTimer) {
            s.deadlineTimer = NONE;
        }
        closeIfIdle(key, s, t);
        if (s.live != null && t < s.lastSeen + retentionMs) {
            keepDeadline(s);
            state.update(s);
        } else if (s.waiting == null) {
            // the viewer's retention is over, or they were seen only in late events (their ids
            // were all that was kept), and nothing of theirs waits
            state.clear();
        } else {
            // Events of theirs wait, later than the watermark: they start the viewer afresh when
            // applied. Keeping the old state would set the deadline again at the passed
            // retention, which fires again at once, without end.
            state.update(startingAfresh(s.waiting, s.key));
        }
    }

    /** A viewer's state with nothing but events waiting (and their ids, to drop repeats). */
    private static ViewerState startingAfresh(List<EventRecord> waiting, ViewerKey key) {
        ViewerState s = new ViewerState();
        s.key = key;
        for (EventRecord e : waiting) {
            s.see(Hash64.of(e.id));
        }
        s.waiting = waiting;
        return s;
    }

    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
        throw new IllegalStateException("stage 1 sets no processing-time timers: " + timer);
    }

    /** Closes the open session if the viewer was idle for the timeout before {@code t}. */
    private void closeIfIdle(ViewerKey key, ViewerState s, long t) {
        if (s.live != null && s.open && t >= s.lastActive + idleTimeoutMs) {
            emit(close(key, s, s.lastActive + idleTimeoutMs));
        }
    }

    /** No deadline, no timer. */
    private static final long NONE = Long.MIN_VALUE;

    /**
     * One deadline per viewer serves both: the idle timeout while the session is open, the state's
     * retention once it is closed. It is set lazily: an event that moves the deadline later leaves
     * it where it is, and when it comes early it is set again at the deadline as it stands then.
     * Moving it on every event (with Flink's timers, delete and register, each a sift through the
     * heap of all timers) was the largest cost of this operator (docs/benchmarks.md).
     */
    private void keepDeadline(ViewerState s) {
        long due = s.open ? s.lastActive + idleTimeoutMs : s.lastSeen + retentionMs;
        if (s.deadlineTimer == NONE || s.deadlineTimer > due) {
            setDeadline(s, due);
        }
    }

    /** Sets the viewer's deadline at {@code due}: in their state, and noted for the watermark. */
    private void setDeadline(ViewerState s, long due) {
        s.deadlineTimer = due;
        deadlines.add(due, noteKey(s));
    }

    /** The key a note of the viewer holds: their state's own ({@link ViewerState#key}). */
    private ViewerKey noteKey(ViewerState s) {
        return s.key != null ? s.key : (ViewerKey) getCurrentKey();
    }

    /**
     * How many deadlines this subtask has noted (for tests: Flink's timers no longer count them).
     */
    int deadlinesNoted() {
        return deadlines.size();
    }

    /** The keys the notes of waiting viewers and deadlines hold (for tests). */
    List<ViewerKey> keysNoted() {
        List<ViewerKey> keys = waitingViewers.keys();
        keys.addAll(deadlines.keys());
        return keys;
    }

    /** A delta to stage 2, stamped with its own instant. */
    private void emit(ViewerDelta d) {
        output.collect(emitted.replace(d, d.ts));
    }

    private ViewerDelta close(ViewerKey key, ViewerState s, long at) {
        ViewerDelta d = delta(key.room(), s, at);
        d.kind = ViewerDelta.CLOSE;
        d.openedAt = s.openedAt;
        d.timeout = true;
        s.open = false;
        return d;
    }

    private void apply(EventRecord e, ViewerState s) {
        boolean first = false;
        if (!e.live.equals(s.live)) {
            // A new broadcast of the room (or the viewer's first): the tier is read now.
            // shared already, but for a waiting event restored from a checkpoint
            s.startBroadcast(sharedIds.of(e.live), e.tier, e.followedAt, e.lastPurchaseAt);
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
                d.sku = sharedIds.of(e.sku);
                s.buyer = true;
                if (e.order != null) { // always, past the parse step; nothing to name otherwise
                    s.paid(Hash64.of(e.order), d.sku);
                }
            }
            case ORDER_REFUNDED -> {
                d.refunds = 1;
                d.refundedCents = e.amount;
                String sku = e.order == null ? null : s.skuOfPaid(Hash64.of(e.order));
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
        emit(d);
    }

    /** A combo counts once, worth its highest running value: later messages add the difference. */
    private static void gift(EventRecord e, ViewerState s, ViewerDelta d) {
        if (e.combo == null) {
            d.gifts = 1;
            d.giftValueCents = e.amount;
            return;
        }
        long combo = Hash64.of(e.combo);
        int at = GiftCombos.valueIndex(s.combos, combo);
        if (at < 0) {
            d.gifts = 1;
            d.giftValueCents = e.amount;
            s.combos = GiftCombos.add(s.combos, combo, e.amount);
        } else if (e.amount > s.combos[at]) {
            d.giftValueCents = e.amount - s.combos[at];
            s.combos[at] = e.amount;
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
