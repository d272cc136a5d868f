package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.events.EventType;
import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The comment-flood, shared-device and dead-letter rules through the operator harness. */
class RoomEventRulesTest {
    static final AlertRules RULES = AlertRules.from(LiveMetricsOptions.parse());
    static final String[] ORDINARY = {"好喝!", "多少钱?", "主播好", "已下单", "支持!", "赞", "还有库存吗", "hi"};

    static EventRecord event(EventType type, long ts, String user) {
        EventRecord e = new EventRecord();
        e.type = type;
        e.id = type.wireName() + ts + user;
        e.room = "room-1";
        e.live = "live-1";
        e.user = user;
        e.ts = ts;
        return e;
    }

    static EventRecord comment(long ts, String text) {
        EventRecord e = event(EventType.COMMENT, ts, "u1");
        e.id += text;
        e.text = text;
        return e;
    }

    static EventRecord enter(long ts, String user, String device) {
        EventRecord e = event(EventType.ENTER, ts, user);
        e.device = device;
        return e;
    }

    /** The event rules of one room, opened. */
    static KeyedOneInputStreamOperatorTestHarness<String, EventRecord, Alert> eventRules()
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<String, EventRecord, Alert>(
                        new KeyedProcessOperator<>(new RoomEventRules(RULES)),
                        e -> e.room,
                        Types.STRING);
        h.open();
        return h;
    }

    /** Writes a bucket as the rules did before change 21: with Flink's POJO serializer. */
    static final class BucketsBeforeChange21
            extends KeyedProcessFunction<String, EventRecord, Alert> {
        @Override
        public void processElement(EventRecord e, Context ctx, Collector<Alert> out)
                throws Exception {
            TypeInformation<RoomEventRules.Bucket> pojo =
                    Types.POJO(
                            RoomEventRules.Bucket.class,
                            Map.of(
                                    "texts", Types.MAP(Types.STRING, Types.INT),
                                    "deviceAccounts", Types.MAP(Types.STRING, Types.BOOLEAN)));
            RoomEventRules.Bucket b = new RoomEventRules.Bucket();
            b.texts.put("好喝", 1);
            b.deviceAccounts = null; // a map then
            getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>("event-buckets", Types.LONG, pojo))
                    .put(0L, b);
        }
    }

    @Test
    void aCheckpointOfTheBucketsWrittenByFlinksPojoSerializerIsRefusedNotMisread()
            throws Exception {
        OperatorSubtaskState checkpoint;
        try (var before =
                new KeyedOneInputStreamOperatorTestHarness<String, EventRecord, Alert>(
                        new KeyedProcessOperator<>(new BucketsBeforeChange21()),
                        e -> e.room,
                        Types.STRING)) {
            before.open();
            before.processElement(new StreamRecord<>(comment(1_000, "好喝!"), 1_000));
            checkpoint = before.snapshot(1, 2_000);
        }
        try (var after =
                new KeyedOneInputStreamOperatorTestHarness<String, EventRecord, Alert>(
                        new KeyedProcessOperator<>(new RoomEventRules(RULES)),
                        e -> e.room,
                        Types.STRING)) {
            // Since change 33 the device pairs are no map, and Flink's POJO serializer of that
            // checkpoint fails to make a bucket before the serializers are compared.
            assertThatThrownBy(() -> after.initializeState(checkpoint))
                    .hasStackTraceContaining("Failed when trying to restore heap backend")
                    .hasStackTraceContaining("RoomEventRules$Bucket.deviceAccounts");
        }
    }

    @Test
    void nearSameTextsFloodingTheRoomFireOnceAndResolve() throws Exception {
        try (var h = eventRules()) {
            long t = 0;
            // ten busy minutes of ordinary chat: 4 comments a second, 8 texts, quiet
            for (int i = 0; i < 2_400; i++, t += 250) {
                h.processElement(new StreamRecord<>(comment(t, ORDINARY[i % ORDINARY.length])));
            }
            h.processWatermark(t);
            assertThat(h.extractOutputValues()).isEmpty();
            // then 90 near-same spam comments among the chat within 45 s
            for (int i = 0; i < 180; i++, t += 250) {
                String text = i % 2 == 0 ? "加V 领红包 " + i + "!!" : ORDINARY[i % ORDINARY.length];
                h.processElement(new StreamRecord<>(comment(t, text)));
            }
            h.processWatermark(t + 10_000);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.kind).isEqualTo(AlertKind.COMMENT_FLOOD);
                                assertThat(a.state).isEqualTo(Alert.FIRING);
                                assertThat(a.evidence).contains("加v领红包");
                            });
            h.processWatermark(t + 5 * 60_000);
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.state)
                    .containsExactly(Alert.FIRING, Alert.RESOLVED);
        }
    }

    @Test
    void manyAccountsOnOneDeviceFireWhileFamiliesSharingAPhoneDoNot() throws Exception {
        try (var h = eventRules()) {
            long t = 0;
            // 20 minutes of ordinary entries: a device each, every fifth viewer with a sibling,
            // and people leaving and coming back on their own phone
            for (int i = 0; i < 1_200; i++, t += 1_000) {
                int viewer = i % 400;
                String device = viewer % 5 == 0 ? "family-" + viewer / 10 : "d" + viewer;
                h.processElement(new StreamRecord<>(enter(t, "u" + viewer, device)));
            }
            h.processWatermark(t);
            assertThat(h.extractOutputValues()).isEmpty();
            // then 40 fresh accounts from 4 phones within a minute
            for (int i = 0; i < 40; i++, t += 1_500) {
                h.processElement(new StreamRecord<>(enter(t, "bot" + i, "phone-" + i % 4)));
            }
            h.processWatermark(t + 10_000);
            assertThat(onlySharedDeviceAlert(h.extractOutputValues(), "phone-").value)
                    .isGreaterThanOrEqualTo(5);
            // resolves once the window has passed them, plus resolve-after
            h.processWatermark(t + 20 * 60_000);
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.state)
                    .containsExactly(Alert.FIRING, Alert.RESOLVED);
        }
    }

    /** The one alert there is, checked to be the shared-device rule's naming {@code device}. */
    static Alert onlySharedDeviceAlert(List<Alert> alerts, String device) {
        assertThat(alerts).as("the alerts").hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.kind).isEqualTo(AlertKind.SHARED_DEVICE);
        assertThat(alert.evidence).contains("device " + device);
        return alert;
    }

    /** Entries of 20 ordinary minutes, then 40 accounts from 4 phones and a quiet hour. */
    static List<StreamRecord<EventRecord>> entriesWithBots() {
        List<StreamRecord<EventRecord>> entries = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 1_200; i++, t += 1_000) {
            entries.add(new StreamRecord<>(enter(t, "u" + i % 400, "d" + i % 400)));
        }
        for (int i = 0; i < 40; i++, t += 1_500) {
            entries.add(new StreamRecord<>(enter(t, "bot" + i, "phone-" + i % 4)));
        }
        return entries;
    }

    /**
     * The alerts of {@code entries}, a watermark every 10 s, a snapshot and restore at {@code cut}.
     */
    static List<String> sharedDeviceAlerts(List<StreamRecord<EventRecord>> entries, int cut)
            throws Exception {
        List<String> alerts = new ArrayList<>();
        var h = eventRules();
        long watermark = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (i == cut) {
                OperatorSubtaskState checkpoint = h.snapshot(1, watermark);
                alerts.addAll(described(h.extractOutputValues()));
                h.close();
                h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new KeyedProcessOperator<>(new RoomEventRules(RULES)),
                                e -> e.room,
                                Types.STRING);
                h.initializeState(checkpoint);
                h.open();
            }
            long ts = entries.get(i).getValue().ts;
            if (ts >= watermark + 10_000) {
                watermark = Buckets.of(ts);
                h.processWatermark(watermark);
            }
            h.processElement(entries.get(i));
        }
        h.processWatermark(watermark + 30 * 60_000);
        alerts.addAll(described(h.extractOutputValues()));
        h.close();
        return alerts;
    }

    static List<String> described(List<Alert> alerts) {
        return alerts.stream()
                .map(
                        a ->
                                a.kind
                                        + " "
                                        + a.state
                                        + " at "
                                        + a.ts
                                        + ": "
                                        + a.value
                                        + ", "
                                        + a.evidence)
                .toList();
    }

    @Test
    void aRestoredRuleRebuildsItsDeviceWindowFromTheBucketsAndJudgesAlike() throws Exception {
        List<StreamRecord<EventRecord>> entries = entriesWithBots();
        List<String> straight = sharedDeviceAlerts(entries, -1);

        assertThat(straight).hasSize(2);
        assertThat(straight.get(0)).startsWith("SHARED_DEVICE firing");
        // restored before the bots, among them, and after the alert fired
        for (int cut : new int[] {600, 1_220, 1_235}) {
            assertThat(sharedDeviceAlerts(entries, cut))
                    .as("restored at entry %d", cut)
                    .isEqualTo(straight);
        }
    }

    @Test
    void lateEntriesCountInTheBucketsTheyBelongTo() throws Exception {
        try (var h = eventRules()) {
            // ordinary entries for 10 minutes, judged as they go
            long t = 0;
            for (int i = 0; i < 600; i++, t += 1_000) {
                h.processElement(new StreamRecord<>(enter(t, "u" + i, "d" + i)));
                if (t % 10_000 == 0) {
                    h.processWatermark(t);
                }
            }
            h.processWatermark(t);
            assertThat(h.extractOutputValues()).isEmpty();
            // 6 accounts on one phone, two minutes late: into buckets already judged
            for (int i = 0; i < 6; i++) {
                h.processElement(
                        new StreamRecord<>(enter(t - 120_000 + i * 1_000, "bot" + i, "phone")));
            }
            h.processElement(new StreamRecord<>(enter(t + 1_000, "u-next", "d-next")));
            h.processWatermark(t + 10_000);
            assertThat(onlySharedDeviceAlert(h.extractOutputValues(), "phone").value).isEqualTo(6);
        }
    }

    @Test
    void normaliseKeepsLettersOnly() {
        assertThat(RoomEventRules.normalise("加V 领红包 888!!")).isEqualTo("加v领红包");
        assertThat(RoomEventRules.normalise("Free Gift~~ 12")).isEqualTo("freegift");
        assertThat(RoomEventRules.normalise(" 666 ")).isEqualTo("#666");
    }

    @Test
    void aBurstOfRejectedRecordsFiresThePipelineAlert() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<String, DeadLetter, Alert>(
                        new KeyedProcessOperator<>(new DeadLetterSurge(RULES)),
                        DeadLetterSurge::key,
                        Types.STRING)) {
            h.open();
            // a trickle: one every 2 s for ten minutes is below 50 a minute
            long t = 1_000;
            for (int i = 0; i < 300; i++, t += 2_000) {
                h.processWatermark(t);
                h.processElement(new StreamRecord<>(deadLetter(i)));
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // a burst: 60 within 6 s, placed by where their partition had come (seenAt), while
            // the watermark lags a minute behind (another partition is read more slowly)
            long burst = t;
            for (int i = 0; i < 60; i++, t += 100) {
                DeadLetter d = deadLetter(i);
                d.seenAt = t;
                h.processElement(new StreamRecord<>(d));
            }
            h.processWatermark(burst - 60_000);
            assertThat(h.extractOutputValues()).isEmpty(); // judged when the watermark passes
            h.processWatermark(t + 10_000);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.room).isEqualTo(DeadLetterSurge.PIPELINE);
                                assertThat(a.kind).isEqualTo(AlertKind.DEAD_LETTERS);
                            });
            h.processWatermark(t + 5 * 60_000);
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.state)
                    .containsExactly(Alert.FIRING, Alert.RESOLVED);
        }
    }

    static DeadLetter deadLetter(int offset) {
        DeadLetter d = new DeadLetter();
        d.reason = "bad_json";
        d.topic = "live-events";
        d.offset = offset;
        d.raw = new byte[] {'{'};
        return d;
    }
}
