package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.jobs.alert.RoomEventRules.Bucket;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link Bucket}, what the comment-flood and shared-device rules heard in 10 s of a room: in every
 * checkpoint, with every text and device of the window. Flink's serializer for it wrote each string
 * character by character into the checkpoint's stream (docs/benchmarks.md, change 21).
 */
public final class BucketSerializer extends RecordSerializer<Bucket> {
    private static final long serialVersionUID = 1L;

    public static final BucketSerializer INSTANCE = new BucketSerializer();

    private BucketSerializer() {}

    @Override
    public Bucket createInstance() {
        return new Bucket();
    }

    @Override
    public Bucket copy(Bucket from) {
        Bucket c = new Bucket();
        c.texts = from.texts == null ? null : new HashMap<>(from.texts);
        c.deviceAccounts = from.deviceAccounts == null ? null : new HashMap<>(from.deviceAccounts);
        return c;
    }

    @Override
    protected void write(Bucket b, DataOutputView out) throws IOException {
        Map<String, Integer> texts = b.texts;
        out.writeInt(texts == null ? -1 : texts.size());
        if (texts != null) {
            for (Map.Entry<String, Integer> e : texts.entrySet()) {
                writeString(e.getKey(), out);
                out.writeInt(e.getValue());
            }
        }
        Map<String, Boolean> accounts = b.deviceAccounts;
        out.writeInt(accounts == null ? -1 : accounts.size());
        if (accounts != null) {
            for (Map.Entry<String, Boolean> e : accounts.entrySet()) {
                writeString(e.getKey(), out);
                out.writeBoolean(e.getValue());
            }
        }
    }

    @Override
    public Bucket deserialize(DataInputView in) throws IOException {
        Bucket b = new Bucket();
        int texts = in.readInt();
        b.texts = texts < 0 ? null : new HashMap<>(texts * 2);
        for (int i = 0; i < texts; i++) {
            b.texts.put(readString(in), in.readInt());
        }
        int accounts = in.readInt();
        b.deviceAccounts = accounts < 0 ? null : new HashMap<>(accounts * 2);
        for (int i = 0; i < accounts; i++) {
            b.deviceAccounts.put(readString(in), in.readBoolean());
        }
        return b;
    }

    @Override
    public TypeSerializerSnapshot<Bucket> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Bucket> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
