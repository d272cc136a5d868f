package io.livepulse.jobs.viewer;

import static io.livepulse.jobs.Story.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Hash64;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.records.serde.KeySerializer;
import io.livepulse.jobs.records.serde.ViewerStateSerializer;
import io.livepulse.jobs.records.serde.WaitingEventSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViewerSessionsTest {
    static final long IDLE = Duration.ofMinutes(10).toMillis();
    static final long RETENTION = Duration.ofHours(1).toMillis();
    static final long HORIZON = Duration.ofMinutes(10).toMillis();

    KeyedOneInputStreamOperatorTestHarness<ViewerKey, EventRecord, ViewerDelta> harness;

    @BeforeEach
    void open() throws Exception {
        harness = stageOne();
        harness.open();
    }

    static KeyedOneInputStreamOperatorTestHarness<ViewerKey, EventRecord, ViewerDelta> stageOne()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new ViewerSessions(IDLE, RETENTION, HORIZON),
                ViewerSessions::key,
                ViewerSessions.KEY_TYPE);
    }

    /** Stage 1's key until change 54: room and user as one string. */
    static String stringKey(EventRecord e) {
        return e.room + '\u0000' + e.user;
    }

    /** Stage 1 opened afresh from a checkpoint, as after a restore. */
    void restore(OperatorSubtaskState checkpoint) throws Exception {
        harness = stageOne();
        harness.initializeState(checkpoint);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    void send(EventRecord... events) throws Exception {
        for (EventRecord e : events) {
            harness.processElement(new StreamRecord<>(e, e.ts));
        }
    }

    void watermark(long ts) throws Exception {
        harness.processWatermark(new Watermark(ts));
    }

    List<ViewerDelta> deltas() {
        return harness.extractOutputValues();
    }

    /** The viewers' deadlines noted: stage 1 sets no Flink timer (change 32). */
    int deadlines() {
        assertThat(harness.numEventTimeTimers()).as("Flink timers").isZero();
        return ((ViewerSessions) harness.getOperator()).deadlinesNoted();
    }

    /**
     * A checkpoint whose keys are strings (before change 54), written by this job's serializer or
     * by Flink's (before change 20): each viewer's state comes back under their key, and the job
     * goes on with it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCheckpointWithStringKeysRestoresAndGoesOn(boolean flinksStringSerializer)
            throws Exception {
        harness.close();
        OlderStageOne before = new StageOneWithALeaveWaiting();
        if (flinksStringSerializer) {
            before.keyType = Types.STRING;
        }
        OperatorSubtaskState checkpoint = before.checkpointAfter(leave("alice").at(seconds(60)));

        restore(checkpoint);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(stateOf("alice").key.room()).isEqualTo(ROOM);
        watermark(seconds(61));

        assertThat(deltas()).hasSize(1);
        assertThat(deltas().get(0).kind).isEqualTo(ViewerDelta.CLOSE);
        assertThat(deltas().get(0).openedAt).isEqualTo(seconds(1));
        send(leave("alice").at(seconds(60)), comment("alice").at(seconds(62)));
        watermark(seconds(62));
        assertThat(deltas()).as("the leave again: a duplicate").hasSize(2);
        assertThat(deltas().get(1).newViewer).as("alice is known under her new key").isFalse();

        OperatorSubtaskState next = harness.snapshot(2, seconds(62));
        harness.close();
        restore(next); // the next checkpoint is of the new keys
        assertThat(stateOf("alice")).isNotNull();
    }

    /** Alice's session open since 1 s, and her leave at 60 s waiting for the watermark. */
    static class StageOneWithALeaveWaiting extends StageOneBeforeChange24 {
        @Override
        ViewerState after(EventRecord e) {
            ViewerState s = super.after(e); // the leave waits, with its timer
            s.startBroadcast(e.live, e.tier, e.followedAt, e.lastPurchaseAt);
            s.open = true;
            s.openedAt = seconds(1);
            s.lastActive = seconds(10);
            s.lastSeen = seconds(10);
            return s;
        }
    }

    /**
     * The checkpoint of stage 1 on RocksDB with string keys cannot be read as the new keys: the
     * restore is refused, with what to do, rather than every viewer starting afresh.
     */
    @Test
    void aCheckpointWithStringKeysOnRocksDbIsRefusedWithWhatToDo() throws Exception {
        harness.close();
        OlderStageOne before = new StageOneWithALeaveWaiting();
        before.backend = new EmbeddedRocksDBStateBackend();
        OperatorSubtaskState checkpoint = before.checkpointAfter(leave("alice").at(seconds(60)));

        harness = stageOne();
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.initializeState(checkpoint);
        assertThatThrownBy(harness::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before change 54")
                .hasMessageContaining("state.backend.type: hashmap");
    }

    /**
     * Stage 1 before a change, as far as its checkpoint goes: a {@code KeyedProcessFunction} with
     * the same state, which it sets from each event with a Flink timer.
     */
    abstract static class OlderStageOne
            extends KeyedProcessFunction<String, EventRecord, ViewerDelta> {
        transient ValueState<ViewerState> state;

        /** The type of its key: this job's string serializer's (change 20 to 53) unless set. */
        TypeInformation<String> keyType = KeySerializer.TYPE;

        /** Its state backend: the heap's unless set. */
        StateBackend backend;

        /** The viewer's state after the event, with its Flink timer's time. */
        abstract ViewerState after(EventRecord e);

        abstract long timer(EventRecord e, ViewerState s);

        @Override
        public void open(OpenContext context) {
            state =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            ViewerSessions.STATE_NAME, ViewerState.class));
        }

        @Override
        public void processElement(EventRecord e, Context ctx, Collector<ViewerDelta> out)
                throws Exception {
            ViewerState s = after(e);
            s.see(Hash64.of(e.id));
            state.update(s);
            ctx.timerService().registerEventTimeTimer(timer(e, s));
        }

        /** A checkpoint of this stage after the event. */
        OperatorSubtaskState checkpointAfter(EventRecord e) throws Exception {
            try (var before =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(this),
                            ViewerSessionsTest::stringKey,
                            keyType)) {
                if (backend != null) {
                    before.setStateBackend(backend);
                }
                before.open();
                before.processElement(new StreamRecord<>(e));
                return before.snapshot(1, e.ts);
            }
        }
    }

    /** Stage 1 until change 24: a timer at each waiting event's time. */
    static class StageOneBeforeChange24 extends OlderStageOne {
        @Override
        ViewerState after(EventRecord e) {
            ViewerState s = new ViewerState();
            s.waiting = new ArrayList<>(List.of(e));
            return s;
        }

        @Override
        long timer(EventRecord e, ViewerState s) {
            return e.ts;
        }
    }

    @Test
    void aCheckpointOfStageOneWithATimerPerWaitingEventRestores() throws Exception {
        harness.close();
        OperatorSubtaskState checkpoint =
                new StageOneBeforeChange24().checkpointAfter(enter("alice").at(seconds(5)));

        restore(checkpoint);
        assertThat(deadlines()).as("the old timer, as a deadline").isEqualTo(1);
        watermark(seconds(5));

        assertThat(deltas()).extracting(x -> x.kind).containsExactly(ViewerDelta.OPEN);
        assertThat(deadlines()).as("the idle deadline").isEqualTo(1);
        watermark(seconds(5) + IDLE);
        assertThat(deltas()).extracting(x -> x.kind).endsWith(ViewerDelta.CLOSE);
    }

    /**
     * Stage 1 as change 51 checkpointed it, as far as the waiting events go: they are written as
     * raw keyed state, each key group's in a block, outside the viewers' states.
     */
    static class StageOneOfChange51 extends ViewerSessions {
        final List<WaitingEvent> outside = new ArrayList<>();

        StageOneOfChange51() {
            super(IDLE, RETENTION, HORIZON);
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            KeyedStateCheckpointOutputStream out = context.getRawKeyedOperatorStateOutput();
            int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
            DataOutputViewStreamWrapper view = new DataOutputViewStreamWrapper(out);
            for (int group : out.getKeyGroupList()) {
                List<WaitingEvent> inGroup =
                        outside.stream()
                                .filter(
                                        w ->
                                                KeyGroupRangeAssignment.assignToKeyGroup(
                                                                w.key(), maxParallelism)
                                                        == group)
                                .toList();
                out.startNewKeyGroup(group);
                WaitingEventSerializer.writeHeader(inGroup.size(), view);
                for (WaitingEvent w : inGroup) {
                    WaitingEventSerializer.write(w.key(), w.event(), view);
                }
            }
        }
    }

    @Test
    void theWaitingEventsOfAChange51CheckpointGoBackToTheirViewers() throws Exception {
        harness.close();
        StageOneOfChange51 change51 = new StageOneOfChange51();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        change51, ViewerSessions::key, ViewerSessions.KEY_TYPE);
        harness.open();
        send(enter("alice").id("a-1").at(seconds(1)));
        watermark(seconds(1)); // alice is open; what waits is in the raw keyed state only
        EventRecord aliceComments = comment("alice").id("a-2").at(seconds(5));
        EventRecord bobEnters = enter("bob").id("b-1").at(seconds(6));
        change51.outside.add(new WaitingEvent(stringKey(aliceComments), aliceComments));
        change51.outside.add(new WaitingEvent(stringKey(bobEnters), bobEnters));
        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(1));
        harness.close();

        restore(checkpoint);
        watermark(seconds(6));

        List<ViewerDelta> d = deltas();
        assertThat(d).extracting(x -> x.comments).containsExactly(1, 0);
        assertThat(d.get(0).newViewer).as("alice was seen before the checkpoint").isFalse();
        assertThat(d.get(1).kind).isEqualTo(ViewerDelta.OPEN);
        assertThat(d.get(1).newViewer).isTrue();

        send(comment("alice").id("a-2").at(seconds(7)), enter("bob").id("b-1").at(seconds(8)));
        watermark(seconds(8));
        assertThat(deltas()).as("both delivered again: duplicates").hasSize(2);
    }

    @Test
    void aSessionOpensOnEnterAndClosesOnLeave() throws Exception {
        send(
                enter("alice").at(seconds(1)),
                comment("alice").at(seconds(10)),
                leave("alice").at(seconds(60)));
        watermark(seconds(61));

        List<ViewerDelta> d = deltas();
        assertThat(d).hasSize(3);
        assertThat(d.get(0).kind).isEqualTo(ViewerDelta.OPEN);
        assertThat(d.get(0).newViewer).isTrue();
        assertThat(d.get(0).pv).isEqualTo(1);
        assertThat(d.get(1).comments).isEqualTo(1);
        assertThat(d.get(1).newInteracting).isTrue();
        assertThat(d.get(2).kind).isEqualTo(ViewerDelta.CLOSE);
        assertThat(d.get(2).openedAt).isEqualTo(seconds(1));
        assertThat(d.get(2).ts).isEqualTo(seconds(60));
    }

    @Test
    void eventsOutOfOrderWithinTheWatermarkAreAppliedInEventTimeOrder() throws Exception {
        send(leave("alice").at(seconds(60)), enter("alice").at(seconds(1)));
        watermark(seconds(61));

        assertThat(deltas())
                .extracting(x -> x.kind)
                .containsExactly(ViewerDelta.OPEN, ViewerDelta.CLOSE);
    }

    @Test
    void eventsWaitingForTheWatermarkSetNoDeadline() throws Exception {
        send(
                enter("alice").at(seconds(1)),
                comment("alice").at(seconds(2)),
                enter("bob").at(seconds(3)));
        assertThat(deadlines()).isZero();

        watermark(seconds(3));

        assertThat(deltas()).hasSize(3);
        assertThat(deadlines()).as("one deadline per viewer").isEqualTo(2);
    }

    @Test
    void aDeadlineComesBackFromTheViewersStateAfterARestore() throws Exception {
        send(enter("alice").at(seconds(1)));
        watermark(seconds(1)); // open: her idle deadline is at 1 s + IDLE
        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(1));
        harness.close();

        restore(checkpoint);
        assertThat(deadlines()).isEqualTo(1);
        watermark(seconds(1) + IDLE - 1);
        assertThat(deltas()).isEmpty();
        watermark(seconds(1) + IDLE);

        assertThat(deltas()).extracting(x -> x.kind).containsExactly(ViewerDelta.CLOSE);
        assertThat(deltas().get(0).ts).isEqualTo(seconds(1) + IDLE);
    }

    @Test
    void aViewerSeenOnlyLateLeavesNoStateBehindAfterARestoreToo() throws Exception {
        watermark(seconds(100));
        send(comment("ivan").id("late-1").at(seconds(50))); // late: only the id is kept
        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(100));
        harness.close();

        restore(checkpoint);
        watermark(seconds(100) + RETENTION);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(deadlines()).isZero();
    }

    /** Stage 1 until change 32: the viewer's deadline in the state and a Flink timer at it. */
    static class StageOneBeforeChange32 extends OlderStageOne {
        @Override
        ViewerState after(EventRecord e) {
            ViewerState s = new ViewerState();
            s.startBroadcast(e.live, e.tier, e.followedAt, e.lastPurchaseAt);
            s.open = true;
            s.openedAt = e.ts;
            s.lastActive = e.ts;
            s.lastSeen = e.ts;
            s.deadlineTimer = e.ts + IDLE;
            return s;
        }

        @Override
        long timer(EventRecord e, ViewerState s) {
            return s.deadlineTimer;
        }
    }

    @Test
    void aCheckpointWithAFlinkTimerAtTheDeadlineClosesTheSessionOnce() throws Exception {
        harness.close();
        OperatorSubtaskState checkpoint =
                new StageOneBeforeChange32().checkpointAfter(enter("alice").at(seconds(5)));

        restore(checkpoint);
        assertThat(deadlines()).as("the old timer, noted as a deadline").isEqualTo(2);
        watermark(seconds(5) + IDLE);

        assertThat(deltas()).extracting(x -> x.kind).containsExactly(ViewerDelta.CLOSE);
        assertThat(deadlines()).as("now the retention, noted by stage 1").isEqualTo(1);
        watermark(seconds(5) + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anEarlierEventArrivingAfterALaterOneIsAppliedFirstAndEachOnlyOnce() throws Exception {
        send(comment("alice").at(seconds(30)), enter("alice").at(seconds(1)));
        watermark(seconds(10)); // the enter is due; the comment still waits
        send(like("alice", 2).at(seconds(20)));
        watermark(seconds(40));

        assertThat(deltas())
                .extracting(x -> x.ts)
                .containsExactly(seconds(1), seconds(20), seconds(30));
        assertThat(deltas().get(0).kind).isEqualTo(ViewerDelta.OPEN);
    }

    @Test
    void eventsWaitingAtACheckpointAreAppliedAfterTheRestore() throws Exception {
        send(enter("alice").at(seconds(1)), enter("bob").at(seconds(2)));
        watermark(seconds(1)); // alice's enter applied, bob's waits
        send(leave("alice").at(seconds(50)), comment("bob").at(seconds(40)));
        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(30));
        harness.close();

        restore(checkpoint);
        watermark(seconds(50));

        assertThat(deltas())
                .extracting(x -> x.ts)
                .containsExactlyInAnyOrder(seconds(2), seconds(40), seconds(50));
        assertThat(deltas())
                .filteredOn(x -> x.kind == ViewerDelta.CLOSE)
                .extracting(x -> x.openedAt)
                .containsExactly(seconds(1));
    }

    /**
     * On the heap backend a checkpoint writes the state objects after the barrier has passed, while
     * the task goes on: the table hands the task copies of the states the checkpoint still reads,
     * and nothing the task changes may reach the checkpoint. A viewer's id hashes grow in place
     * (change 30 of docs/benchmarks.md), so a copy must have its own array.
     */
    @Test
    void aCheckpointStillBeingWrittenKeepsTheStateAsItWasWhenItStarted() throws Exception {
        send(
                enter("alice").id("e-1").at(seconds(1)),
                enter("bob").id("e-2").at(seconds(2)),
                comment("alice").id("e-3").at(seconds(3)),
                comment("alice").id("e-4").at(seconds(4)));
        long[] alicesIds = {Hash64.of("e-1"), Hash64.of("e-3"), Hash64.of("e-4")};
        Arrays.sort(alicesIds); // three in an array of four: the next one goes in place
        OperatorSnapshotFutures inFlight =
                harness.getOperator()
                        .snapshotState(
                                1,
                                seconds(4),
                                CheckpointOptions.forCheckpointWithDefaultLocation(),
                                new MemCheckpointStreamFactory(1 << 20));
        watermark(seconds(5)); // every event applied while the checkpoint is being written
        String first = // an id whose hash goes before alice's others, moving them all
                IntStream.range(0, 1_000)
                        .mapToObj(i -> "c-" + i)
                        .filter(id -> Hash64.of(id) < alicesIds[0])
                        .findFirst()
                        .orElseThrow();
        send(comment("alice").id(first).at(seconds(6)));
        watermark(seconds(7));
        assertThat(deltas()).hasSize(5);
        OperatorSubtaskState checkpoint =
                OperatorSnapshotFinalizer.create(inFlight).getJobManagerOwnedState();
        harness.close();

        restore(checkpoint);
        ViewerState alice = stateOf("alice");
        assertThat(Arrays.copyOf(alice.seenIds, alice.seenCount))
                .as("alice's ids as the checkpoint started")
                .containsExactly(alicesIds);
        send(enter("alice").id("e-1").at(seconds(1))); // delivered again: still a duplicate
        watermark(seconds(5));

        assertThat(deltas())
                .as("every event was waiting when the checkpoint started: each applied once")
                .hasSize(4)
                .filteredOn(x -> x.kind == ViewerDelta.OPEN)
                .hasSize(2);
    }

    @Test
    void anIdleTimeoutBetweenTwoEventsAppliedAtOneWatermarkFallsBetweenThem() throws Exception {
        send(enter("bob").at(seconds(0)), comment("bob").at(seconds(5) + IDLE));
        watermark(seconds(10) + IDLE);

        assertThat(deltas())
                .extracting(x -> x.kind)
                .containsExactly(ViewerDelta.OPEN, ViewerDelta.CLOSE, ViewerDelta.ACTIVITY);
        assertThat(deltas().get(1).ts).isEqualTo(seconds(0) + IDLE);
    }

    /**
     * Before change 24 the retention timer set itself again at the passed retention here, and the
     * watermark never got past it (the test ran without end); in a thread of its own it fails.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aViewerBackAfterTheirRetentionWithAnEventWaitingStartsAfresh() throws Exception {
        send(enter("alice").at(seconds(1)), leave("alice").at(seconds(2)));
        watermark(seconds(2)); // closed: the retention timer is set at 2 s + RETENTION
        EventRecord back = enter("alice").id("back").at(seconds(2) + RETENTION + seconds(5));
        send(back); // waits beyond the retention's end

        watermark(seconds(2) + RETENTION + seconds(1)); // the retention deadline comes, once
        assertThat(deadlines()).isZero();
        send(enter("alice").id("back").at(back.ts)); // still a repeat
        watermark(back.ts);

        ViewerDelta d = deltas().get(deltas().size() - 1);
        assertThat(d.kind).isEqualTo(ViewerDelta.OPEN);
        assertThat(d.newViewer).as("the retention was over: counted again").isTrue();
        assertThat(deltas()).hasSize(3);
    }

    @Test
    void withoutLeaveTheSessionClosesAnIdleTimeoutAfterTheLastEvent() throws Exception {
        send(enter("bob").at(seconds(0)), like("bob", 3).at(seconds(30)));
        watermark(seconds(30) + IDLE - 1);
        assertThat(deltas()).noneMatch(x -> x.kind == ViewerDelta.CLOSE);

        watermark(seconds(30) + IDLE);
        ViewerDelta close = deltas().get(deltas().size() - 1);
        assertThat(close.kind).isEqualTo(ViewerDelta.CLOSE);
        assertThat(close.ts).isEqualTo(seconds(30) + IDLE);
        assertThat(deltas().get(1).likes).isEqualTo(3);
    }

    @Test
    void anEventAtExactlyTheTimeoutDoesNotKeepTheSessionOpen() throws Exception {
        send(enter("bob").at(seconds(0)), comment("bob").at(seconds(0) + IDLE));
        watermark(seconds(0) + IDLE);

        List<ViewerDelta> d = deltas();
        assertThat(d)
                .extracting(x -> x.kind)
                .containsExactly(ViewerDelta.OPEN, ViewerDelta.CLOSE, ViewerDelta.ACTIVITY);
        assertThat(d.get(1).ts).isEqualTo(seconds(0) + IDLE);
    }

    @Test
    void theTierIsFrozenAtFirstSightEvenWhenTheViewerFollowsMidBroadcast() throws Exception {
        send(
                enter("carol").tier(Tier.NON_FAN).at(seconds(1)),
                follow("carol").tier(Tier.NON_FAN).at(seconds(20)),
                comment("carol").tier(Tier.TRUE_LOVE).at(seconds(40)),
                follow("carol").tier(Tier.TRUE_LOVE).at(seconds(50)));
        watermark(seconds(60));

        assertThat(deltas()).allMatch(x -> x.tier == Tier.NON_FAN);
        assertThat(deltas()).filteredOn(x -> x.newFollower).hasSize(1);
    }

    @Test
    void aGiftComboAndRepeatedDeliveriesCountOnce() throws Exception {
        EventRecord second = gift("dave", 200).combo("c1", false).id("g2").at(seconds(11));
        EventRecord again = gift("dave", 200).combo("c1", false).id("g2").at(seconds(11));
        send(
                gift("dave", 100).combo("c1", false).at(seconds(10)),
                second,
                again,
                gift("dave", 300).combo("c1", true).at(seconds(12)),
                gift("dave", 50).at(seconds(13)));
        watermark(seconds(20));

        assertThat(deltas()).hasSize(4);
        assertThat(deltas().stream().mapToLong(x -> x.gifts).sum()).isEqualTo(2);
        assertThat(deltas().stream().mapToLong(x -> x.giftValueCents).sum()).isEqualTo(300 + 50);
        assertThat(deltas().stream().filter(x -> x.newInteracting).count()).isEqualTo(1);
    }

    /**
     * A checkpoint of before change 58, whose viewers' paid orders and combos are maps of their
     * ids, restores on either backend: the ids are read as their hashes, a refund still names the
     * product, and the combos go on counting once, at their highest value.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theOrdersAndCombosOfACheckpointOfBeforeChange58GoOn(boolean rocksDb) throws Exception {
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new StageOneOfChange57(), ViewerSessions::key, ViewerSessions.KEY_TYPE);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.open();
        send(
                gift("dave", 100).combo("live-1-combo-1", false).at(seconds(10)),
                gift("dave", 40).combo("live-1-combo-2", false).at(seconds(11)),
                order("dave", 1_000).order("live-1-order-1", "sku-tea").at(seconds(12)));
        watermark(seconds(20));
        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(20));
        harness.close();

        harness = stageOne();
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.initializeState(checkpoint);
        harness.open();
        send(
                gift("dave", 300).combo("live-1-combo-1", true).at(seconds(21)),
                gift("dave", 40).combo("live-1-combo-2", true).at(seconds(22)),
                gift("dave", 70).combo("live-1-combo-3", false).at(seconds(23)),
                refund("dave", 1_000).order("live-1-order-1", null).at(seconds(24)));
        watermark(seconds(30));

        assertThat(deltas()).extracting(x -> x.gifts).containsExactly(0, 0, 1, 0);
        assertThat(deltas()).extracting(x -> x.giftValueCents).containsExactly(200L, 0L, 70L, 0L);
        assertThat(deltas().get(3).sku).isEqualTo("sku-tea");
    }

    /** Stage 1 writing its viewers as changes 17 to 57 did ({@link ViewerStateOfChange57}). */
    static class StageOneOfChange57 extends ViewerSessions {
        StageOneOfChange57() {
            super(IDLE, RETENTION, HORIZON);
        }

        @Override
        ValueStateDescriptor<ViewerState> viewersState() {
            return new ValueStateDescriptor<>(STATE_NAME, new ViewerStateOfChange57());
        }
    }

    /**
     * A viewer's state in the layout of changes 17 to 57 ({@link
     * ViewerStateSerializer.SnapshotV2}): today's bytes but for the combos, a map of their ids
     * ({@code live-1-combo-N}, which it finds again by their hashes) to their values. Reads them
     * back as the job restores them.
     */
    static final class ViewerStateOfChange57 extends TypeSerializer<ViewerState> {
        private static final long serialVersionUID = 1L;

        private static final TypeSerializer<ViewerState> READER =
                new ViewerStateSerializer.SnapshotV2().restoreSerializer();

        @Override
        public void serialize(ViewerState s, DataOutputView out) throws IOException {
            ViewerState withoutMaps = s.copy();
            withoutMaps.paidOrders = null;
            withoutMaps.paidSkus = null;
            withoutMaps.combos = null;
            DataOutputSerializer today = new DataOutputSerializer(256);
            ViewerStateSerializer.INSTANCE.serialize(withoutMaps, today);
            // today's bytes end with the orders' and the combos' counts, -1 each: the maps go there
            out.write(today.getSharedBuffer(), 0, today.length() - 2 * Integer.BYTES);
            long[] orders = s.paidOrders;
            out.writeInt(orders == null ? -1 : orders.length);
            for (int i = 0; orders != null && i < orders.length; i++) {
                writeString(idOf(orders[i]), out);
                writeString(s.paidSkus[i], out);
            }
            long[] combos = s.combos;
            out.writeInt(combos == null ? -1 : combos.length / 2);
            for (int i = 0; combos != null && i < combos.length; i += 2) {
                writeString(idOf(combos[i]), out);
                out.writeLong(combos[i + 1]);
            }
        }

        private static void writeString(String s, DataOutputView out) throws IOException {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        /**
         * The id of this test whose hash it is: {@code live-1-combo-N} or {@code live-1-order-N}.
         */
        private static String idOf(long hash) {
            return IntStream.rangeClosed(1, 9)
                    .boxed()
                    .flatMap(n -> Stream.of("live-1-combo-" + n, "live-1-order-" + n))
                    .filter(id -> Hash64.of(id) == hash)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("not an id of this test"));
        }

        @Override
        public ViewerState deserialize(DataInputView in) throws IOException {
            return READER.deserialize(in);
        }

        @Override
        public ViewerState deserialize(ViewerState reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public TypeSerializerSnapshot<ViewerState> snapshotConfiguration() {
            return new ViewerStateSerializer.SnapshotV2();
        }

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TypeSerializer<ViewerState> duplicate() {
            return this;
        }

        @Override
        public ViewerState createInstance() {
            return new ViewerState();
        }

        @Override
        public ViewerState copy(ViewerState from) {
            return from.copy();
        }

        @Override
        public ViewerState copy(ViewerState from, ViewerState reuse) {
            return from.copy();
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ViewerStateOfChange57;
        }

        @Override
        public int hashCode() {
            return ViewerStateOfChange57.class.hashCode();
        }
    }

    @Test
    void aRefundNamesTheProductOfTheOrderTheViewerPaidInThisBroadcast() throws Exception {
        send(
                order("erin", 19_900).order("o1", "sku-dress").at(seconds(1)),
                refund("erin", 19_900).order("o1", null).at(seconds(2)),
                refund("erin", 5_000).order("o-from-last-week", null).at(seconds(3)));
        watermark(seconds(5));

        assertThat(deltas().stream().map(x -> x.sku).toList())
                .containsExactly("sku-dress", "sku-dress", ViewerDelta.UNKNOWN_SKU);
    }

    @Test
    void likesCountByTheirCountAndRefundsAreKeptApartFromPayments() throws Exception {
        send(
                like("erin", 7).at(seconds(1)),
                order("erin", 19_900).at(seconds(2)),
                order("erin", 5_000).at(seconds(3)),
                refund("erin", 19_900).at(seconds(4)));
        watermark(seconds(5));

        assertThat(deltas().stream().mapToLong(x -> x.likes).sum()).isEqualTo(7);
        assertThat(deltas().stream().mapToLong(x -> x.paidCents).sum()).isEqualTo(24_900);
        assertThat(deltas().stream().mapToLong(x -> x.refundedCents).sum()).isEqualTo(19_900);
        assertThat(deltas().stream().mapToLong(x -> x.orders).sum()).isEqualTo(2);
        assertThat(deltas().stream().filter(x -> x.newBuyer).count()).isEqualTo(1);
        assertThat(deltas().get(0).newViewer).isTrue(); // a viewer whose enter was lost
        assertThat(deltas()).noneMatch(x -> x.kind == ViewerDelta.OPEN);
    }

    /**
     * Each event read off the network brings its own copy of the broadcast's id and of a product:
     * the states keep one copy of each between them, and no orders until an order (changes 22 and
     * 58 of docs/benchmarks.md).
     */
    @Test
    void theViewersOfABroadcastShareOneCopyOfItsIdAndProductsAndKeepNoOrdersUntilAnOrder()
            throws Exception {
        send(
                enter("alice").live(new String(LIVE)).at(seconds(1)),
                enter("bob").live(new String(LIVE)).at(seconds(2)),
                order("bob", 1_000).order("o1", new String("sku-tea")).at(seconds(3)),
                order("bob", 2_000).order("o2", new String("sku-cup")).at(seconds(4)),
                enter("carol").at(seconds(5)),
                order("carol", 1_000).order("o3", new String("sku-tea")).at(seconds(6)));
        watermark(seconds(6));

        ViewerState alice = stateOf("alice");
        ViewerState bob = stateOf("bob");
        ViewerState carol = stateOf("carol");
        assertThat(alice.live).isEqualTo(LIVE).isSameAs(bob.live);
        assertThat(alice.paidOrders).isNull();
        assertThat(bob.paidOrders).containsExactly(Hash64.of("o1"), Hash64.of("o2"));
        assertThat(bob.paidSkus).containsExactly("sku-tea", "sku-cup");
        assertThat(carol.paidSkus[0]).isSameAs(bob.paidSkus[0]);
        assertThat(bob.skuOfPaid(Hash64.of("o2"))).isEqualTo("sku-cup");
        assertThat(bob.skuOfPaid(Hash64.of("o3"))).as("carol's").isNull();
    }

    /**
     * A checkpoint's reader makes copies of every viewer's strings; after a restore the viewers of
     * a broadcast share one copy of its id and of each product again, and a waiting event shares
     * its viewer's room and broadcast, as before the checkpoint.
     */
    @Test
    void afterARestoreTheViewersOfABroadcastShareOneCopyOfItsIdAndProductsAgain() throws Exception {
        send(
                enter("alice").live(new String(LIVE)).at(seconds(1)),
                order("bob", 1_000).live(new String(LIVE)).order("o1", "sku-tea").at(seconds(2)),
                order("carol", 1_000).live(new String(LIVE)).order("o2", "sku-tea").at(seconds(3)));
        watermark(seconds(3));
        send(comment("bob").live(new String(LIVE)).at(seconds(4))); // waits for the watermark
        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(4));
        harness.close();

        restore(checkpoint);
        ViewerState alice = stateOf("alice");
        ViewerState bob = stateOf("bob");
        ViewerState carol = stateOf("carol");
        assertThat(alice.live).isEqualTo(LIVE).isSameAs(bob.live).isSameAs(carol.live);
        assertThat(bob.paidSkus).containsExactly("sku-tea");
        assertThat(carol.paidSkus[0]).isSameAs(bob.paidSkus[0]);
        EventRecord waiting = bob.waiting.get(0);
        assertThat(waiting.live).isSameAs(bob.live);
        assertThat(waiting.room)
                .isEqualTo(ROOM)
                .isSameAs(bob.key.room())
                .isSameAs(alice.key.room());

        watermark(seconds(4)); // and the waiting comment is applied as before
        assertThat(deltas()).extracting(d -> d.live).containsExactly(LIVE);
    }

    /**
     * An event waiting for the watermark is what the young collections copy in a backlog: it keeps
     * no text, device or user, and shares one copy of its room and broadcast with the others
     * (change 30 of docs/benchmarks.md).
     */
    @Test
    void aWaitingEventKeepsNoUserTextOrDeviceAndSharesItsRoomAndBroadcast() throws Exception {
        EventRecord aliceEnters = enter("alice").live(new String(LIVE)).at(seconds(1));
        aliceEnters.device = "phone-1";
        aliceEnters.room = new String(ROOM);
        EventRecord bobComments = comment("bob").live(new String(LIVE)).at(seconds(2));
        bobComments.text = "好喝!";
        bobComments.room = new String(ROOM);
        send(aliceEnters, bobComments);

        EventRecord alices = stateOf("alice").waiting.get(0);
        EventRecord bobs = stateOf("bob").waiting.get(0);
        assertThat(List.of(alices, bobs))
                .allSatisfy(
                        e -> {
                            assertThat(e.user).isNull();
                            assertThat(e.text).isNull();
                            assertThat(e.device).isNull();
                        });
        assertThat(alices.room).isEqualTo(ROOM).isSameAs(bobs.room);
        assertThat(alices.live).isEqualTo(LIVE).isSameAs(bobs.live);
        assertThat(stateOf("alice").key.room())
                .as("the keys the table keeps share it too")
                .isSameAs(stateOf("bob").key.room());

        watermark(seconds(5)); // applied as before: each delta names the room
        assertThat(deltas()).extracting(d -> d.room).containsExactly(ROOM, ROOM);

        EventRecord aliceComments = comment("alice").live(new String(LIVE)).at(seconds(6));
        aliceComments.room = new String(ROOM);
        send(aliceComments); // in the broadcast her state is in: its copies, no lookup
        EventRecord again = stateOf("alice").waiting.get(0);
        assertThat(again.live).isSameAs(stateOf("alice").live).isSameAs(alices.live);
        assertThat(again.room).isSameAs(stateOf("alice").key.room()).isSameAs(alices.room);
    }

    /**
     * The notes of waiting viewers and deadlines hold the key the state table keeps, not the one
     * that comes with each event: that one is a new string every time, and a note kept it alive for
     * seconds (change 50 of docs/benchmarks.md). After a restore too, where the table's keys are
     * new objects.
     */
    @Test
    void theNotesHoldTheKeyTheStateTableKeepsNotTheEventsOwn() throws Exception {
        send(enter("alice").at(seconds(1)));
        watermark(seconds(1)); // applied: a deadline noted
        send(comment("alice").at(seconds(2))); // nothing waits: the viewer is noted again
        assertNotesHoldTheTablesKeyOf("alice", 2);

        OperatorSubtaskState checkpoint = harness.snapshot(1, seconds(2));
        harness.close();
        restore(checkpoint);
        assertNotesHoldTheTablesKeyOf("alice", 2);
        watermark(seconds(2));
        send(comment("alice").at(seconds(3)));
        assertNotesHoldTheTablesKeyOf("alice", 2); // the deadline and the comment at 3 s
        assertThat(deltas()).hasSize(1); // since the restore: the comment at 2 s
    }

    private void assertNotesHoldTheTablesKeyOf(String user, int notes) throws Exception {
        ViewerKey tablesKey =
                harness.getOperator()
                        .getKeyedStateBackend()
                        .getKeys(ViewerSessions.STATE_NAME, VoidNamespace.INSTANCE)
                        .map(k -> (ViewerKey) k)
                        .filter(k -> k.equals(ViewerSessions.key(enter(user).at(0))))
                        .findFirst()
                        .orElseThrow();
        assertThat(stateOf(user).key).isSameAs(tablesKey);
        assertThat(((ViewerSessions) harness.getOperator()).keysNoted())
                .hasSize(notes)
                .allSatisfy(k -> assertThat(k).isSameAs(tablesKey));
    }

    private ViewerState stateOf(String user) throws Exception {
        var backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(ViewerSessions.key(enter(user).at(0)));
        return backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(ViewerSessions.STATE_NAME, ViewerState.class))
                .value();
    }

    /**
     * Design rule 4, dedupe by event id with a TTL: a viewer's ids are kept at least a horizon of
     * the watermark. A repeat within it is a duplicate; after it the watermark has passed the
     * event, and the repeat is late (the side output, counted), never applied twice.
     */
    @Test
    void aRepeatWithinTheDedupeHorizonIsADuplicateAndAfterItLateNeverAppliedTwice()
            throws Exception {
        send(enter("alice").id("e-1").at(seconds(1)));
        watermark(seconds(2));
        send(comment("alice").id("e-2").at(seconds(3))); // alice's ids now of generation 0
        watermark(HORIZON + seconds(1)); // generation 1: e-1 kept as the previous generation's
        send(enter("alice").id("e-1").at(seconds(1)));
        assertThat(harness.getSideOutput(ViewerSessions.LATE)).as("a duplicate").isNull();

        watermark(2 * HORIZON + seconds(1)); // generation 2: generation 0's forgotten
        send(enter("alice").id("e-1").at(seconds(1)));
        watermark(2 * HORIZON + seconds(2));

        assertThat(harness.getSideOutput(ViewerSessions.LATE))
                .as("after the horizon the repeat is late")
                .extracting(r -> r.getValue().id)
                .containsExactly("e-1");
        assertThat(deltas()).extracting(d -> d.ts).as("applied once").containsOnlyOnce(seconds(1));
        assertThat(stateOf("alice").hasSeen(Hash64.of("e-2")))
                .as("generation 0's ids forgotten")
                .isFalse();
    }

    /**
     * A viewer who sends for hours keeps the ids of the last horizon or two, not every id since
     * their first event (the state a checkpoint writes stays bounded).
     */
    @Test
    void theIdsKeptAreThoseOfTheLastHorizonOrTwo() throws Exception {
        int events = 0;
        for (long t = seconds(1); t < seconds(3 * 3600); t += 10_000) {
            send(comment("alice").id("c-" + t).at(t));
            watermark(t);
            events++;
        }
        ViewerState alice = stateOf("alice");
        long perHorizon = HORIZON / 10_000;
        assertThat(alice.seenCount).isBetween((int) perHorizon, (int) (2 * perHorizon + 1));
        assertThat(alice.seenIds.length).isLessThanOrEqualTo(4 * alice.seenCount);
        assertThat(deltas()).hasSize(events);

        long last = seconds(1) + (events - 1) * 10_000L;
        send(comment("alice").id("c-" + last).at(last)); // a repeat of the last: a duplicate
        watermark(last + seconds(1));
        assertThat(deltas()).hasSize(events);
        assertThat(harness.getSideOutput(ViewerSessions.LATE)).isNull();
    }

    /**
     * An event far ahead of the watermark waits longer than a horizon: its id is kept while it
     * waits (the other ids of its time forgotten), a repeat of it is a duplicate, and it is applied
     * once.
     */
    @Test
    void theIdOfAnEventStillWaitingIsKeptPastTheHorizon() throws Exception {
        long far = seconds(0) + 5 * HORIZON;
        send(enter("alice").id("e-1").at(seconds(1)), comment("alice").id("far").at(far));
        for (long w = seconds(0) + HORIZON; w <= seconds(0) + 3 * HORIZON; w += HORIZON) {
            watermark(w);
            send(comment("alice").id("c-" + w).at(w + 1_000)); // moves her ids on
        }
        assertThat(stateOf("alice").hasSeen(Hash64.of("far")))
                .as("its id kept two generations on: the event still waits")
                .isTrue();
        assertThat(stateOf("alice").hasSeen(Hash64.of("e-1")))
                .as("an id of its time, applied: forgotten")
                .isFalse();

        send(comment("alice").id("far").at(far));
        watermark(far);

        assertThat(deltas()).extracting(d -> d.ts).containsOnlyOnce(far);
        assertThat(deltas())
                .as("five events, each applied once (and a close on idle timeout)")
                .filteredOn(d -> d.kind != ViewerDelta.CLOSE)
                .hasSize(5);
    }

    /**
     * A checkpoint holds a viewer's ids as one run: restored, they are the first generation the
     * next event gives, kept a horizon or two from there.
     */
    @Test
    void idsRestoredFromACheckpointAreKeptAHorizonAfterTheRestore() throws Exception {
        send(enter("alice").id("e-1").at(seconds(1)));
        watermark(HORIZON + seconds(1));
        send(comment("alice").id("e-2").at(HORIZON + seconds(2)));
        OperatorSubtaskState checkpoint = harness.snapshot(1, HORIZON + seconds(2));
        harness.close();

        restore(checkpoint);
        watermark(2 * HORIZON + seconds(1)); // generation 2, in which e-1 would be forgotten
        send(enter("alice").id("e-1").at(seconds(1)));
        assertThat(harness.getSideOutput(ViewerSessions.LATE))
                .as("restored ids: still a duplicate")
                .isNull();
        assertThat(stateOf("alice").hasSeen(Hash64.of("e-2"))).isTrue();

        watermark(4 * HORIZON + seconds(0));
        send(comment("alice").id("e-3").at(4 * HORIZON + seconds(1)));
        assertThat(stateOf("alice").hasSeen(Hash64.of("e-1")))
                .as("two generations after the restore: forgotten")
                .isFalse();
    }

    @Test
    void lateEventsGoToTheSideOutputAndAreNotApplied() throws Exception {
        send(enter("frank").at(seconds(10)));
        watermark(seconds(100));
        send(comment("frank").at(seconds(50)));

        assertThat(deltas()).hasSize(1);
        assertThat(harness.getSideOutput(ViewerSessions.LATE))
                .extracting(r -> r.getValue().ts)
                .containsExactly(seconds(50));
    }

    @Test
    void stateAndDeadlinesAreGoneARetentionAfterTheLastEvent() throws Exception {
        send(
                enter("gina").at(seconds(1)),
                leave("gina").at(seconds(60)),
                enter("hugo").at(seconds(5)));
        watermark(seconds(61));
        assertThat(harness.numKeyedStateEntries()).isPositive();

        watermark(seconds(60) + RETENTION + IDLE);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(deadlines()).isZero();
    }

    /**
     * A viewer seen only in events that came late: their event ids are kept (a repeated delivery of
     * a late event is a duplicate, not late twice), and are dropped a retention later too.
     */
    @Test
    void aViewerSeenOnlyLateLeavesNoStateBehind() throws Exception {
        watermark(seconds(100));
        send(
                comment("ivan").id("late-1").at(seconds(50)),
                comment("ivan").id("late-1").at(seconds(50)));
        assertThat(harness.getSideOutput(ViewerSessions.LATE)).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        watermark(seconds(100) + RETENTION);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(deadlines()).isZero();
    }

    @Test
    void aViewerKeepsOneDeadlineHoweverManyEventsTheySend() throws Exception {
        send(enter("alice").at(seconds(1)));
        for (int i = 2; i <= 500; i++) {
            send(comment("alice").at(seconds(i)));
            watermark(seconds(i)); // each event applied on its own, moving the idle deadline
        }
        watermark(seconds(501));

        assertThat(deadlines())
                .as("one deadline for the idle check, not one or two per event")
                .isEqualTo(1);
        assertThat(deltas().get(deltas().size() - 1).comments).isEqualTo(1);

        watermark(seconds(500) + IDLE - 1);
        assertThat(deltas())
                .as("the deadline set at the first event's came early and was set again")
                .noneMatch(x -> x.kind == ViewerDelta.CLOSE);

        watermark(seconds(500) + IDLE);
        ViewerDelta close = deltas().get(deltas().size() - 1);
        assertThat(close.kind).isEqualTo(ViewerDelta.CLOSE);
        assertThat(close.ts).isEqualTo(seconds(500) + IDLE);
        assertThat(deadlines()).as("now the retention").isEqualTo(1);
    }

    @Test
    void aViewerBackInTheRoomsNextBroadcastKeepsTheirIdleTimeout() throws Exception {
        EventRecord firstVisit = enter("alice").at(seconds(1));
        send(firstVisit, leave("alice").at(seconds(2)));
        watermark(seconds(2)); // closed: only the retention timer, an hour away
        EventRecord back = enter("alice").at(seconds(100));
        back.live = firstVisit.live + "-next";
        send(back);
        watermark(seconds(100) + IDLE);

        ViewerDelta close = deltas().get(deltas().size() - 1);
        assertThat(close.kind).isEqualTo(ViewerDelta.CLOSE);
        assertThat(close.live).isEqualTo(back.live);
        assertThat(close.ts).isEqualTo(seconds(100) + IDLE);
    }
}
