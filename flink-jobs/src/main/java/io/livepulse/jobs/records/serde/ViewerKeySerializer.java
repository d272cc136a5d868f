package io.livepulse.jobs.records.serde;

import io.livepulse.jobs.viewer.ViewerKey;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Stage 1's key ({@link ViewerKey}) in a checkpoint: the room in the bytes of Flink's string
 * serializer, then the key's hash code and the viewer's 128-bit hash.
 *
 * <p>A checkpoint whose keys are the strings of before change 54 ({@link KeySerializer}, or Flink's
 * own serializer before change 20) restores with {@link #FROM_STRING_KEYS}, which reads each string
 * and makes it a {@link ViewerKey} with the same hash, so in the same key group. Only the heap
 * backend reads its keys through the serializer on restore; RocksDB keeps the bytes it restored and
 * would not find the new keys among them, so stage 1 refuses such a restore there ({@code
 * ViewerSessions}).
 */
public class ViewerKeySerializer extends RecordSerializer<ViewerKey> {
    private static final long serialVersionUID = 1L;

    public static final ViewerKeySerializer INSTANCE = new ViewerKeySerializer();

    /**
     * Reads the string keys of a checkpoint of before change 54 as viewer keys, and writes the new
     * layout: Flink uses it, as the key serializer reconfigured by {@link Snapshot}, for the rest
     * of a job restored from such a checkpoint, and the next checkpoint is of the new layout.
     */
    public static final ViewerKeySerializer FROM_STRING_KEYS = new FromStringKeys();

    /** The type to key a stream by: {@code keyBy(selector, ViewerKeySerializer.TYPE)}. */
    public static final TypeInformation<ViewerKey> TYPE =
            new RecordTypeInfo<>(ViewerKey.class, INSTANCE, true);

    private ViewerKeySerializer() {}

    @Override
    protected void write(ViewerKey key, DataOutputView out) throws IOException {
        StringValue.writeString(key.room(), out);
        out.writeInt(key.hash());
        out.writeLong(key.first());
        out.writeLong(key.second());
    }

    @Override
    public ViewerKey deserialize(DataInputView in) throws IOException {
        return new ViewerKey(
                StringValue.readString(in), in.readInt(), in.readLong(), in.readLong());
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ViewerKey createInstance() {
        return ViewerKey.of("", "");
    }

    @Override
    public ViewerKey copy(ViewerKey from) {
        return from;
    }

    @Override
    public TypeSerializerSnapshot<ViewerKey> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Whether this serializer reads the string keys of a checkpoint of before change 54. */
    public boolean readsStringKeys() {
        return false;
    }

    private static final class FromStringKeys extends ViewerKeySerializer {
        private static final long serialVersionUID = 1L;

        @Override
        public ViewerKey deserialize(DataInputView in) throws IOException {
            return ViewerKey.ofStringKey(StringValue.readString(in));
        }

        @Override
        public boolean readsStringKeys() {
            return true;
        }

        /** Restored from a checkpoint, Flink keeps this instance: keep it one. */
        private Object readResolve() {
            return FROM_STRING_KEYS;
        }
    }

    /** Restores the serializer from a checkpoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ViewerKey> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        /**
         * String keys (this job's serializer of before change 54, or Flink's own) are read as
         * viewer keys: the same viewers in the same key groups.
         */
        @Override
        public TypeSerializerSchemaCompatibility<ViewerKey> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ViewerKey> old) {
            Object before = old;
            if (before instanceof KeySerializer.Snapshot
                    || before instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleWithReconfiguredSerializer(
                        FROM_STRING_KEYS);
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
