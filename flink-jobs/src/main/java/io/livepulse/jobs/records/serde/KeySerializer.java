package io.livepulse.jobs.records.serde;

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
 * A string key in the bytes of Flink's {@link StringSerializer}, written into a checkpoint's stream
 * in one block. The heap backend writes the key of every state entry and every timer into each
 * checkpoint; Flink's serializer passes it there one character at a time, each through the stream's
 * wrappers (10% of the job's samples, docs/benchmarks.md, change 20).
 *
 * <p>The bytes are Flink's, so a checkpoint whose keys Flink's serializer wrote restores with this
 * one (its snapshot says so); the other way round Flink refuses the checkpoint.
 *
 * <p>Stage 1's key serializer from change 20 to change 53; since change 54 the key is a {@code
 * ViewerKey} ({@link ViewerKeySerializer}). Kept because the checkpoints of those days name its
 * {@link Snapshot}: Flink restores this serializer from them before {@link ViewerKeySerializer}
 * reads their keys.
 */
public final class KeySerializer extends RecordSerializer<String> {
    private static final long serialVersionUID = 1L;

    public static final KeySerializer INSTANCE = new KeySerializer();

    /** The type stage 1 was keyed by until change 54 (for tests of its checkpoints). */
    public static final TypeInformation<String> TYPE =
            new RecordTypeInfo<>(String.class, INSTANCE, true);

    private KeySerializer() {}

    @Override
    protected void write(String key, DataOutputView out) throws IOException {
        StringValue.writeString(key, out);
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        /** Keys Flink's own serializer wrote read back as they are: the bytes are the same. */
        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
                TypeSerializerSnapshot<String> old) {
            if (old instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
