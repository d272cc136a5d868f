package io.livepulse.jobs.records.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.jobs.alert.DeviceAccounts;
import io.livepulse.jobs.alert.RoomEventRules.Bucket;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Hash64;
import io.livepulse.jobs.records.Ingested;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.viewer.ViewerKey;
import io.livepulse.jobs.viewer.ViewerState;
import io.livepulse.jobs.viewer.WaitingEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordSerializersTest {
    /**
     * Field by field, but for the device pairs of a bucket: the same pairs, whatever room their
     * arrays have to grow.
     */
    static final RecursiveComparisonConfiguration FIELD_BY_FIELD =
            RecursiveComparisonConfiguration.builder()
                    .withEqualsForType(DeviceAccounts::equals, DeviceAccounts.class)
                    .build();

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(EventRecord.class, EventRecordSerializer.INSTANCE),
                Arguments.of(ViewerDelta.class, ViewerDeltaSerializer.INSTANCE),
                Arguments.of(ViewerState.class, ViewerStateSerializer.INSTANCE),
                Arguments.of(Bucket.class, BucketSerializer.INSTANCE));
    }

    @ParameterizedTest
    @MethodSource("records")
    <T> void everyFieldSurvivesSerializationAndCopy(Class<T> type, TypeSerializer<T> serializer)
            throws Exception {
        T full = everyFieldSet(type);

        assertThat(roundTrip(serializer, full))
                .as("a field the serializer forgot comes back with its default")
                .usingRecursiveComparison(FIELD_BY_FIELD)
                .isEqualTo(full);
        T copy = serializer.copy(full);
        assertThat(copy).usingRecursiveComparison(FIELD_BY_FIELD).isEqualTo(full);
        for (Field f : fields(type)) {
            if (Map.class.isAssignableFrom(f.getType())
                    || List.class.isAssignableFrom(f.getType())
                    || f.getType() == long[].class
                    || f.getType() == DeviceAccounts.class) {
                assertThat(f.get(copy))
                        .as("a copy shares no map, list or array that is changed in place")
                        .isNotSameAs(f.get(full));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("records")
    <T> void nullsAndDefaultsSurvive(Class<T> type, TypeSerializer<T> serializer) throws Exception {
        T empty = type.getDeclaredConstructor().newInstance();
        for (Field f : fields(type)) {
            if (!f.getType().isPrimitive()) {
                f.set(empty, null);
            }
        }
        assertThat(roundTrip(serializer, empty))
                .usingRecursiveComparison(FIELD_BY_FIELD)
                .isEqualTo(empty);
    }

    @ParameterizedTest
    @MethodSource("records")
    <T> void theSerializerIsWhatFlinkPicksAndItsSnapshotRestoresIt(
            Class<T> type, TypeSerializer<T> serializer) throws IOException {
        assertThat(TypeInformation.of(type).createSerializer(new SerializerConfigImpl()))
                .isSameAs(serializer);

        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isSameAs(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource("records")
    <T> void aStreamGetsTheSameBytesAsAnArrayAndTheyReadBack(
            Class<T> type, TypeSerializer<T> serializer) throws Exception {
        T full = everyFieldSet(type);
        DataOutputSerializer array = new DataOutputSerializer(64);
        serializer.serialize(full, array);
        serializer.serialize(full, array);
        // a checkpoint's stream: each record is staged and written in one block
        CheckpointStream bytes = new CheckpointStream();
        DataOutputViewStreamWrapper stream = new DataOutputViewStreamWrapper(bytes);
        serializer.serialize(full, stream);
        serializer.serialize(full, stream);
        stream.flush();

        assertThat(bytes.toByteArray()).isEqualTo(array.getCopyOfBuffer());
        assertThat(bytes.singleBytes).as("bytes passed to the stream one by one").isZero();
        DataInputViewStreamWrapper in =
                new DataInputViewStreamWrapper(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(serializer.deserialize(in))
                .usingRecursiveComparison(FIELD_BY_FIELD)
                .isEqualTo(full);
        assertThat(serializer.deserialize(in))
                .usingRecursiveComparison(FIELD_BY_FIELD)
                .isEqualTo(full);
    }

    /**
     * Strings go through one array per thread (change 46): every kind of string, around that
     * array's size, written and read several at a time, comes back as it was, in the bytes a string
     * always had (its UTF-8 length, then its UTF-8), so checkpoints restore either way.
     */
    @Test
    void stringsRoundTripInTheirUtf8BytesWhateverTheirLengthAndCharacters() throws IOException {
        List<String> strings =
                Arrays.asList(
                        "evt-000123",
                        null,
                        "",
                        "café",
                        "主播好 好喝",
                        "gift 🎁 combo",
                        "x".repeat(255),
                        "y".repeat(256),
                        "z".repeat(257),
                        "直".repeat(300),
                        "a".repeat(200) + "é",
                        "room-7");
        DataOutputSerializer out = new DataOutputSerializer(64);
        DataOutputSerializer expected = new DataOutputSerializer(64);
        for (String s : strings) {
            Binary.writeString(s, out);
            if (s == null) {
                expected.writeInt(-1);
            } else {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                expected.writeInt(utf8.length);
                expected.write(utf8);
            }
        }
        assertThat(out.getCopyOfBuffer()).isEqualTo(expected.getCopyOfBuffer());

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<String> read = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            read.add(Binary.readString(in));
        }
        assertThat(read).containsExactlyElementsOf(strings);
    }

    /**
     * Before change 33 a bucket's device pairs were a map of "device\naccount" strings to {@code
     * true}, written as {@code Binary.writeMap} writes a map: the same bytes, read either way.
     */
    @Test
    void aBucketsDevicePairsKeepTheBytesOfTheMapTheyWereBefore() throws IOException {
        Map<String, Boolean> before = new HashMap<>();
        before.put("设备-1\n用户-1", true);
        before.put("device-2\nuser-2", true);
        DataOutputSerializer old = new DataOutputSerializer(64);
        Binary.writeMap(Map.of("好喝", 3), old, (n, o) -> o.writeInt(n));
        Binary.writeMap(before, old, (yes, o) -> o.writeBoolean(yes));

        Bucket restored =
                BucketSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(old.getCopyOfBuffer()));

        assertThat(restored.texts).containsExactly(Map.entry("好喝", 3));
        assertThat(restored.deviceAccounts.size()).isEqualTo(2);
        DataOutputSerializer now = new DataOutputSerializer(64);
        BucketSerializer.INSTANCE.serialize(restored, now);
        assertThat(now.getCopyOfBuffer()).isEqualTo(old.getCopyOfBuffer());
        restored.deviceAccounts.add("device-2", "user-2"); // heard again: written again
        now.clear();
        BucketSerializer.INSTANCE.serialize(restored, now);
        DataInputDeserializer in = new DataInputDeserializer(now.getCopyOfBuffer());
        Binary.readMap(in, DataInputView::readInt);
        assertThat(Binary.readMap(in, DataInputView::readBoolean))
                .as("read as the map was")
                .isEqualTo(before);
    }

    @Test
    void aKeyIsWrittenInFlinksBytesInOneBlockAndFlinksCheckpointsOfKeysRestore()
            throws IOException {
        String key = "room-7\u0000用户-é-" + "x".repeat(200);
        DataOutputSerializer flinks = new DataOutputSerializer(64);
        StringSerializer.INSTANCE.serialize(key, flinks);
        CheckpointStream bytes = new CheckpointStream();
        DataOutputViewStreamWrapper stream = new DataOutputViewStreamWrapper(bytes);
        KeySerializer.INSTANCE.serialize(key, stream);
        stream.flush();

        assertThat(bytes.toByteArray()).isEqualTo(flinks.getCopyOfBuffer());
        assertThat(bytes.singleBytes).as("bytes passed to the stream one by one").isZero();
        assertThat(roundTrip(KeySerializer.INSTANCE, key)).isEqualTo(key);
        assertThat(KeySerializer.TYPE.isKeyType()).isTrue();
        assertThat(
                        KeySerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        StringSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .as("keys Flink's serializer wrote restore as they are")
                .isTrue();
        assertThat(
                        StringSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        KeySerializer.INSTANCE.snapshotConfiguration())
                                .isIncompatible())
                .as("the code before this serializer refuses its checkpoints")
                .isTrue();
    }

    /**
     * Stage 1's key since change 54: it reads back equal, and the string keys of the checkpoints
     * before it are read as the same viewers by the serializer Flink reconfigures for them, which
     * writes the new layout; the code before it refuses its checkpoints.
     */
    @Test
    void aViewerKeyRoundTripsAndTheStringKeysOfOlderCheckpointsReadAsTheSameViewers()
            throws IOException {
        ViewerKey key = ViewerKey.of("room-7", "用户-é-" + "x".repeat(200));
        assertThat(roundTrip(ViewerKeySerializer.INSTANCE, key)).isEqualTo(key);
        assertThat(ViewerKeySerializer.TYPE.isKeyType()).isTrue();

        for (TypeSerializerSnapshot<String> before :
                List.of(
                        KeySerializer.INSTANCE.snapshotConfiguration(),
                        StringSerializer.INSTANCE.snapshotConfiguration())) {
            @SuppressWarnings("unchecked")
            TypeSerializerSchemaCompatibility<ViewerKey> compatibility =
                    ViewerKeySerializer.INSTANCE
                            .snapshotConfiguration()
                            .resolveSchemaCompatibility(
                                    (TypeSerializerSnapshot<ViewerKey>) (Object) before);
            assertThat(compatibility.isCompatibleWithReconfiguredSerializer()).isTrue();
            TypeSerializer<ViewerKey> reading = compatibility.getReconfiguredSerializer();

            DataOutputSerializer old = new DataOutputSerializer(64);
            KeySerializer.INSTANCE.serialize("room-7\u0000user-42", old);
            ViewerKey read = reading.deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
            assertThat(read).isEqualTo(ViewerKey.of("room-7", "user-42"));
            assertThat(roundTrip(ViewerKeySerializer.INSTANCE, read))
                    .as("what it writes is the new layout")
                    .isEqualTo(read);
            assertThat(reading.snapshotConfiguration())
                    .as("and the next checkpoint says so")
                    .isInstanceOf(ViewerKeySerializer.Snapshot.class);
        }
        assertThat(
                        ViewerKeySerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        ViewerKeySerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
        @SuppressWarnings("unchecked")
        TypeSerializerSnapshot<String> newer =
                (TypeSerializerSnapshot<String>)
                        (Object) ViewerKeySerializer.INSTANCE.snapshotConfiguration();
        assertThat(
                        KeySerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(newer)
                                .isIncompatible())
                .as("the code before it refuses its checkpoints")
                .isTrue();
    }

    /**
     * A viewer's follow and last purchase are plain longs since change 60, {@code NEVER} for none,
     * written in the bytes of the nullable longs they were: checkpoints of before restore, and a
     * viewer who never followed stays one.
     */
    @Test
    void anInstantOrNeverIsWrittenInTheBytesOfANullableLong() throws IOException {
        for (Long before : new Long[] {null, 0L, 1_700_000_000_000L, -1L}) {
            long now = before == null ? ViewerDelta.NEVER : before;
            DataOutputSerializer nullable = new DataOutputSerializer(16);
            Binary.writeNullableLong(before, nullable);
            DataOutputSerializer instant = new DataOutputSerializer(16);
            Binary.writeInstant(now, instant);
            assertThat(instant.getCopyOfBuffer()).isEqualTo(nullable.getCopyOfBuffer());
            assertThat(Binary.readInstant(new DataInputDeserializer(nullable.getCopyOfBuffer())))
                    .isEqualTo(now);
        }
        assertThat(new ViewerState().followedAt).isEqualTo(ViewerDelta.NEVER);
        assertThat(roundTrip(ViewerDeltaSerializer.INSTANCE, new ViewerDelta()).lastPurchaseAt)
                .isEqualTo(ViewerDelta.NEVER);
    }

    /** A viewer's id hashes grow in place, with room to spare: only the ones held are written. */
    @Test
    void aViewersIdHashesAreWrittenAndCopiedUpToTheirCount() throws IOException {
        ViewerState s = new ViewerState();
        for (long h : new long[] {30, 10, 20}) {
            s.see(h);
        }
        assertThat(s.seenIds).as("room for a fourth").hasSize(4);

        ViewerState back = roundTrip(ViewerStateSerializer.INSTANCE, s);
        ViewerState copy = ViewerStateSerializer.INSTANCE.copy(s);
        for (ViewerState v : List.of(back, copy)) {
            assertThat(v.seenIds).containsExactly(10, 20, 30);
            assertThat(v.seenCount).isEqualTo(3);
        }
        copy.see(40);
        assertThat(s.hasSeen(40)).as("the copy's id is not the original's").isFalse();
    }

    /**
     * The dedupe horizon keeps a viewer's ids in two sorted runs (the previous generation and the
     * current one); a checkpoint holds them as one sorted run, as before the horizon, so that every
     * version reads it. A copy (for a checkpoint still being written) keeps the runs.
     */
    @Test
    void aViewersTwoRunsOfIdsAreWrittenAsOneSortedRun() throws IOException {
        ViewerState s = new ViewerState();
        s.forgetIdsBefore(7);
        for (long h : new long[] {50, 10, 30}) {
            s.see(h);
        }
        s.forgetIdsBefore(8); // 10, 30, 50 are the previous generation's now
        for (long h : new long[] {40, 20, 60, 5}) {
            s.see(h);
        }
        assertThat(s.olderCount).isEqualTo(3);

        ViewerState back = roundTrip(ViewerStateSerializer.INSTANCE, s);
        assertThat(Arrays.copyOf(back.seenIds, back.seenCount))
                .containsExactly(5, 10, 20, 30, 40, 50, 60);
        assertThat(back.olderCount).isZero();
        assertThat(back.idsGeneration).isEqualTo(ViewerState.NO_GENERATION);
        back.forgetIdsBefore(9); // restored: the first generation given keeps them all
        assertThat(back.hasSeen(5) && back.hasSeen(60)).isTrue();

        ViewerState copy = ViewerStateSerializer.INSTANCE.copy(s);
        assertThat(copy.olderCount).isEqualTo(3);
        assertThat(copy.idsGeneration).isEqualTo(8);
        copy.forgetIdsBefore(9);
        assertThat(copy.hasSeen(10)).as("the copy's previous generation forgotten").isFalse();
        assertThat(s.hasSeen(10)).as("and the original's kept").isTrue();
    }

    /**
     * A waiting event in stage 1's raw keyed state: the key and every field of the event read back
     * after the key group's header; a header of another layout is refused with what to do.
     */
    @Test
    void aWaitingEventIsWrittenWithItsKeyAfterItsKeyGroupsHeader() throws Exception {
        EventRecord e = everyFieldSet(EventRecord.class);
        DataOutputSerializer out = new DataOutputSerializer(64);
        WaitingEventSerializer.writeHeader(1, out);
        WaitingEventSerializer.write("room-1\u0000alice", e, out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(WaitingEventSerializer.readHeader(in)).isEqualTo(1);
        WaitingEvent back = WaitingEventSerializer.read(in);
        assertThat(back.key()).isEqualTo("room-1\u0000alice");
        assertThat(back.event()).usingRecursiveComparison(FIELD_BY_FIELD).isEqualTo(e);

        DataOutputSerializer later = new DataOutputSerializer(8);
        later.writeInt(WaitingEventSerializer.VERSION + 1);
        later.writeInt(0);
        assertThatThrownBy(
                        () ->
                                WaitingEventSerializer.readHeader(
                                        new DataInputDeserializer(later.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("restore the checkpoint with the code that took it");
    }

    @Test
    void aRecordInsideAPojoUsesItsOwnSerializerToo() {
        PojoTypeInfo<Ingested> ingested =
                (PojoTypeInfo<Ingested>) TypeInformation.of(Ingested.class);
        assertThat(ingested.getTypeAt(ingested.getFieldIndex("event")))
                .isInstanceOf(RecordTypeInfo.class);
    }

    @Test
    void aBrokenStreamIsReportedNotMisread() {
        byte[] bytes = {42}; // no event type has the ordinal 42
        assertThatThrownBy(
                        () ->
                                EventRecordSerializer.INSTANCE.deserialize(
                                        new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no constant #42 in EventType");
    }

    /** Stands for a checkpoint's stream: counts the bytes passed to it one by one. */
    private static final class CheckpointStream extends ByteArrayOutputStream {
        int singleBytes;

        @Override
        public synchronized void write(int b) {
            singleBytes++;
            super.write(b);
        }
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer.deserialize(in);
        assertThat(in.available()).as("every byte written is read").isZero();
        return back;
    }

    /** The fields a serializer writes: public, neither static nor transient. */
    private static Iterable<Field> fields(Class<?> type) {
        return Stream.of(type.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .filter(f -> !Modifier.isTransient(f.getModifiers()))
                .toList();
    }

    /** Every public field set to a value unlike its default, different from field to field. */
    private static <T> T everyFieldSet(Class<T> type) throws Exception {
        T value = type.getDeclaredConstructor().newInstance();
        int n = 0;
        for (Field f : fields(type)) {
            n++;
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(value, "v" + n + "-直播-é");
            } else if (t == long.class || t == Long.class) {
                f.set(value, 1_000_000_000_000L + n);
            } else if (t == int.class) {
                f.setInt(value, 1000 + n);
            } else if (t == byte.class) {
                f.setByte(value, (byte) n);
            } else if (t == boolean.class) {
                f.setBoolean(value, true);
            } else if (t.isEnum()) {
                Object[] constants = t.getEnumConstants();
                f.set(value, constants[constants.length - 1]);
            } else if (t == long[].class) {
                f.set(value, new long[] {-n, n, 1L << 40});
            } else if (t == String[].class) {
                f.set(value, new String[] {"v" + n + "-直播"});
            } else if (List.class.isAssignableFrom(t)) { // of events waiting in state
                f.set(
                        value,
                        List.of(
                                everyFieldSet(EventRecord.class),
                                everyFieldSet(EventRecord.class)));
            } else if (t == DeviceAccounts.class) { // a pair heard twice is kept twice
                DeviceAccounts pairs = new DeviceAccounts();
                pairs.add("设备-" + n, "用户-" + n);
                pairs.add("device-x", "user-y");
                pairs.add("device-x", "user-y");
                f.set(value, pairs);
            } else if (Map.class.isAssignableFrom(t)) {
                Type values = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[1];
                Map<String, Object> m = new HashMap<>();
                if (values == Long.class) {
                    m.put("key-" + n, (long) n);
                    m.put("key-x", Long.MAX_VALUE);
                } else if (values == Integer.class) {
                    m.put("key-" + n, n);
                    m.put("key-x", Integer.MIN_VALUE);
                } else if (values == Boolean.class) {
                    m.put("key-" + n, true);
                    m.put("key-x", false);
                } else {
                    m.put("key-" + n, "value-" + n);
                    m.put("key-x", "value-y");
                }
                f.set(value, m);
            } else {
                throw new AssertionError("no test value for " + f + ": add one");
            }
        }
        if (value instanceof ViewerState s) {
            s.seenCount =
                    s.seenIds.length; // the count of hashes in the array, not a value of its own
            // the ids' runs and generation are not checkpointed: one sorted run, of no generation
            // (aViewersTwoRunsOfIdsAreWrittenAsOneSortedRun)
            s.olderCount = 0;
            s.idsGeneration = ViewerState.NO_GENERATION;
            s.combos = new long[] {Hash64.of("live-1-combo-" + n), n, -n, Long.MAX_VALUE}; // pairs
            s.paidSkus = new String[] {"sku-" + n, "商品-" + n}; // one per order
            s.paidOrders = new long[] {Hash64.of("live-1-order-" + n), -n};
        }
        return value;
    }
}
