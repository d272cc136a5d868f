package io.livepulse.jobs.room;

import static io.livepulse.jobs.Story.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.jobs.records.ViewerDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomAggregatorTest {
    static final long TICK = 5_000;
    static final long CUTOFF = Duration.ofDays(30).toMillis();
    static final long RETAIN = Duration.ofMinutes(10).toMillis();
    static final long IDLE_END = Duration.ofMinutes(30).toMillis();

    KeyedTwoInputStreamOperatorTestHarness<String, ViewerDelta, EventRecord, RoomSnapshot> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new RoomAggregator(TICK, CUTOFF, RETAIN, IDLE_END)),
                        (KeySelector<ViewerDelta, String>) d -> d.room,
                        (KeySelector<EventRecord, String>) e -> e.room,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    void room(EventRecord e) throws Exception {
        harness.processElement2(new StreamRecord<>(e, e.ts));
    }

    void viewer(ViewerDelta d) throws Exception {
        harness.processElement1(new StreamRecord<>(d, d.ts));
    }

    void watermark(long ts) throws Exception {
        harness.processBothWatermarks(new Watermark(ts));
    }

    List<RoomSnapshot> snapshots() {
        return harness.extractOutputValues();
    }

    /** The room's deltas still waiting for their timer, in the order they came. */
    List<ViewerDelta> waitingDeltas() throws Exception {
        var backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(ROOM);
        List<ViewerDelta> waiting = new ArrayList<>();
        Iterable<ViewerDelta> deltas =
                backend.getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                new ListStateDescriptor<>(
                                        "waiting-deltas", TypeInformation.of(ViewerDelta.class)))
                        .get();
        if (deltas != null) {
            deltas.forEach(waiting::add);
        }
        return waiting;
    }

    static ViewerDelta open(Tier tier, long ts) {
        ViewerDelta d = delta(ViewerDelta.OPEN, tier, ts);
        d.newViewer = true;
        d.pv = 1;
        return d;
    }

    static ViewerDelta close(Tier tier, long openedAt, long ts) {
        ViewerDelta d = delta(ViewerDelta.CLOSE, tier, ts);
        d.openedAt = openedAt;
        return d;
    }

    @Test
    void aSilentRoomStillGetsAFullSnapshotEveryTickZerosIncluded() throws Exception {
        room(liveStart().at(seconds(0)));
        watermark(seconds(15));

        assertThat(snapshots())
                .extracting(s -> s.ts)
                .containsExactly(seconds(0), seconds(5), seconds(10), seconds(15));
        RoomSnapshot last = snapshots().get(3);
        assertThat(last.groups)
                .hasSize(Group.COUNT)
                .allMatch(g -> g.uv == 0 && g.online == 0 && g.gmvCents() == 0);
        assertThat(last.isFinal).isFalse();
    }

    @Test
    void liveEndClosesOpenSessionsEmitsTheFinalSnapshotAndThenNothingIsLeft() throws Exception {
        room(liveStart().at(seconds(0)));
        viewer(open(Tier.TRUE_LOVE, seconds(1)));
        room(liveEnd().at(seconds(61)));
        watermark(seconds(100));

        RoomSnapshot fin = snapshots().get(snapshots().size() - 1);
        assertThat(fin.isFinal).isTrue();
        assertThat(fin.ts).isEqualTo(seconds(61));
        assertThat(fin.group(Group.TRUE_LOVE).watchMs(fin.ts)).isEqualTo(60_000);
        assertThat(fin.group(Group.FANS).online).isZero();
        assertThat(snapshots()).filteredOn(s -> s.ts > seconds(61)).isEmpty();

        // the idle close stage 1 still sends for that session is ignored
        viewer(close(Tier.TRUE_LOVE, seconds(1), seconds(1) + RETAIN));
        watermark(seconds(61) + RETAIN);
        assertThat(snapshots()).hasSize(14); // ticks 0..60 and the final one
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aBroadcastWhoseLiveEndWasLostEndsTheIdleLimitAfterItsLastEvent() throws Exception {
        room(liveStart().at(seconds(0)));
        viewer(open(Tier.NON_FAN, seconds(10)));
        // stage 1's idle close is no event: the silence counts from the open at 10 s
        ViewerDelta idleClose = close(Tier.NON_FAN, seconds(10), seconds(10) + RETAIN);
        idleClose.timeout = true;
        viewer(idleClose);
        watermark(seconds(10) + IDLE_END - 1);
        assertThat(snapshots()).noneMatch(s -> s.isFinal);

        watermark(seconds(10) + IDLE_END);
        RoomSnapshot fin = snapshots().get(snapshots().size() - 1);
        assertThat(fin.isFinal).isTrue();
        assertThat(fin.ts).isEqualTo(seconds(10) + IDLE_END);
        assertThat(fin.group(Group.ALL).watchMs(fin.ts)).isEqualTo(RETAIN);
        assertThat(fin.group(Group.ALL).uv).isEqualTo(1);

        // anything of it that still comes is ignored, and then nothing of the room is left
        viewer(open(Tier.NON_FAN, seconds(10) + IDLE_END + 1));
        watermark(seconds(10) + IDLE_END + RETAIN);
        assertThat(snapshots()).filteredOn(s -> s.ts > fin.ts).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theNextBroadcastStartingOnTheTickAfterAnEndKeepsItsLiveStart() throws Exception {
        // ends at 0:59.735; the next live_start lands on the very next tick, 1:00.000: ending
        // must not delete the timer that live_start is waiting on
        room(liveStart().at(seconds(0)));
        room(liveEnd().at(seconds(59) + 735));
        EventRecord next = liveStart().at(seconds(60));
        next.live = "room-1-live-2";
        next.goalGmvCents = 50_000L;
        room(next);
        ViewerDelta viewer = open(Tier.NON_FAN, seconds(61));
        viewer.live = "room-1-live-2";
        viewer(viewer);
        watermark(seconds(65));

        RoomSnapshot first =
                snapshots().stream()
                        .filter(s -> s.live.equals("room-1-live-2"))
                        .findFirst()
                        .orElseThrow();
        assertThat(first.start).isEqualTo(seconds(60));
        assertThat(first.goalGmvCents).isEqualTo(50_000L);
    }

    @Test
    void aCloseAndAnOpenAtTheSameInstantNeverCountTwoViewersOnline() throws Exception {
        room(liveStart().at(seconds(0)));
        viewer(open(Tier.NON_FAN, seconds(1)));
        viewer(open(Tier.NON_FAN, seconds(6))); // sent before the close at the same instant
        viewer(close(Tier.NON_FAN, seconds(1), seconds(6)));
        watermark(seconds(10));

        RoomSnapshot at10 = snapshots().get(snapshots().size() - 1);
        assertThat(at10.group(Group.ALL).pcu).isEqualTo(1);
        assertThat(at10.group(Group.ALL).online).isEqualTo(1);
        assertThat(at10.group(Group.ALL).watchMs(seconds(10))).isEqualTo(5_000 + 4_000);
    }

    /**
     * A delta waiting for its timer is what the young collections copy in a backlog: it keeps no
     * room (the key) and shares one copy of its broadcast id (change 31 of docs/benchmarks.md).
     */
    @Test
    void aWaitingDeltaKeepsNoRoomAndSharesItsBroadcastId() throws Exception {
        room(liveStart().at(seconds(0)));
        watermark(seconds(0));
        ViewerDelta first = open(Tier.NON_FAN, seconds(1));
        ViewerDelta second = open(Tier.TRUE_LOVE, seconds(2));
        first.room = new String(ROOM);
        first.live = new String(LIVE);
        second.room = new String(ROOM);
        second.live = new String(LIVE);
        viewer(first);
        viewer(second);

        List<ViewerDelta> waiting = waitingDeltas();
        assertThat(waiting).hasSize(2).allSatisfy(d -> assertThat(d.room).isNull());
        assertThat(waiting.get(0).live).isEqualTo(LIVE).isSameAs(waiting.get(1).live);

        watermark(seconds(5)); // applied as before
        RoomSnapshot at5 = snapshots().get(snapshots().size() - 1);
        assertThat(at5.room).isEqualTo(ROOM);
        assertThat(at5.group(Group.ALL).online).isEqualTo(2);
    }

    @Test
    void deltasWaitWithOneTimerPerSpanAndApplyInTheirInstantsOrder() throws Exception {
        room(liveStart().at(seconds(0)));
        watermark(seconds(0));
        int timersBefore = harness.numEventTimeTimers(); // the next tick and the idle check

        viewer(open(Tier.NON_FAN, seconds(4))); // sent before the others, applied after them
        viewer(open(Tier.NON_FAN, seconds(1) + 100)); // sent before the one it comes after
        viewer(open(Tier.TRUE_LOVE, seconds(1) + 10));
        viewer(close(Tier.TRUE_LOVE, seconds(1) + 10, seconds(3)));
        assertThat(harness.numEventTimeTimers())
                .as("the spans ending at 1.25 s, 3 s and 4 s: one timer for the two in the first")
                .isEqualTo(timersBefore + 3);

        watermark(seconds(5));
        RoomSnapshot at5 = snapshots().get(snapshots().size() - 1);
        assertThat(at5.ts).isEqualTo(seconds(5));
        assertThat(at5.group(Group.ALL).pcu).isEqualTo(2);
        assertThat(at5.group(Group.ALL).pcuAt).isEqualTo(seconds(1) + 100);
        assertThat(at5.group(Group.ALL).online).isEqualTo(2);
        assertThat(at5.group(Group.ALL).watchMs(seconds(5))).isEqualTo(1_990 + 3_900 + 1_000);
        assertThat(at5.group(Group.TRUE_LOVE).online).isZero();
    }

    /**
     * Deltas wait for the end of their span, not for the tick: in a backlog a tick's deltas of
     * every room were alive at once (change 45 of docs/benchmarks.md). Those of a span the
     * watermark has not passed still wait, and the tick's snapshot counts them all.
     */
    @Test
    void deltasAreAppliedAtTheEndOfTheirSpanBeforeTheTick() throws Exception {
        room(liveStart().at(seconds(0)));
        watermark(seconds(0));
        viewer(open(Tier.NON_FAN, seconds(1)));
        viewer(open(Tier.TRUE_LOVE, seconds(1) + 100));
        viewer(open(Tier.NON_FAN, seconds(3) + 1));

        watermark(seconds(3));

        assertThat(waitingDeltas())
                .as("the two up to 1.25 s applied, the one after 3 s waits for 3.25 s")
                .extracting(d -> d.ts)
                .containsExactly(seconds(3) + 1);
        assertThat(snapshots()).hasSize(1); // the start's, no tick yet
        watermark(seconds(5));
        assertThat(waitingDeltas()).isEmpty();
        RoomSnapshot at5 = snapshots().get(snapshots().size() - 1);
        assertThat(at5.ts).isEqualTo(seconds(5));
        assertThat(at5.group(Group.ALL).online).isEqualTo(3);
        assertThat(at5.group(Group.ALL).pcuAt).isEqualTo(seconds(3) + 1);
    }

    @Test
    void anEndBetweenTicksCountsTheDeltasBeforeItAndIgnoresThoseAfterIt() throws Exception {
        room(liveStart().at(seconds(0)));
        viewer(open(Tier.NON_FAN, seconds(1)));
        ViewerDelta before = delta(ViewerDelta.ACTIVITY, Tier.NON_FAN, seconds(2));
        before.comments = 1;
        viewer(before);
        ViewerDelta after = delta(ViewerDelta.ACTIVITY, Tier.NON_FAN, seconds(4));
        after.comments = 1;
        viewer(after);
        room(liveEnd().at(seconds(3)));
        watermark(seconds(5));

        assertThat(snapshots()).extracting(s -> s.ts).containsExactly(seconds(0), seconds(3));
        RoomSnapshot fin = snapshots().get(1);
        assertThat(fin.isFinal).isTrue();
        assertThat(fin.group(Group.ALL).comments).isEqualTo(1);
        assertThat(fin.group(Group.ALL).watchMs(fin.ts)).isEqualTo(2_000);
    }

    @Test
    void aBroadcastStartedByAViewerGetsOneSnapshotPerTick() throws Exception {
        // its live_start was lost: the broadcast starts at 3 s, applied at the tick of 5 s
        viewer(open(Tier.NON_FAN, seconds(3)));
        watermark(seconds(10));

        assertThat(snapshots()).extracting(s -> s.ts).containsExactly(seconds(5), seconds(10));
        assertThat(snapshots().get(0).start).isEqualTo(seconds(3));
        assertThat(snapshots().get(0).group(Group.ALL).uv).isEqualTo(1);
    }

    @Test
    void oldFansAndRepeatBuyersAreJudgedAgainstTheBroadcastStart() throws Exception {
        room(liveStart().at(seconds(0)));
        ViewerDelta oldFan = open(Tier.AFFINITY, seconds(1));
        oldFan.followedAt = seconds(0) - CUTOFF - 1;
        oldFan.lastPurchaseAt = seconds(0) - 1;
        oldFan.newBuyer = true;
        oldFan.orders = 1;
        oldFan.paidCents = 9_900;
        ViewerDelta newFan = open(Tier.PASSERBY, seconds(2));
        newFan.followedAt = seconds(0) - CUTOFF; // exactly at the cut-off: not old
        newFan.newBuyer = true;
        newFan.orders = 1;
        newFan.paidCents = 100;
        ViewerDelta neverFollowed = open(Tier.TRUE_LOVE, seconds(3)); // followedAt NEVER
        viewer(oldFan);
        viewer(newFan);
        viewer(neverFollowed);
        watermark(seconds(5));

        RoomSnapshot s = snapshots().get(snapshots().size() - 1);
        assertThat(s.group(Group.OLD_FANS).uv).as("not the fan who never followed").isEqualTo(1);
        assertThat(s.group(Group.OLD_FANS).gmvCents()).isEqualTo(9_900);
        assertThat(s.group(Group.FANS).gmvCents()).isEqualTo(10_000);
        assertThat(s.group(Group.ALL).repeatBuyers).isEqualTo(1);
        assertThat(s.group(Group.ALL).buyers).isEqualTo(2);
    }

    @Test
    void lateAndRepeatedRoomEventsAreSetAsideNotApplied() throws Exception {
        room(liveStart().at(seconds(0)));
        EventRecord end = liveEnd().id("end-1").at(seconds(30));
        room(end);
        room(liveEnd().id("end-1").at(seconds(30)));
        watermark(seconds(40));
        room(liveStart().live("room-1-live-2").at(seconds(20)));

        assertThat(snapshots()).filteredOn(s -> s.isFinal).hasSize(1);
        assertThat(harness.getSideOutput(RoomAggregator.LATE))
                .extracting(r -> r.getValue().live)
                .containsExactly("room-1-live-2");
    }
}
