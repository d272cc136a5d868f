package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.jobs.alert.DeviceAccounts;
import io.livepulse.jobs.alert.RoomEventRules.Bucket;
import java.io.IOException;
import java.util.HashMap;
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
        c.deviceAccounts = from.deviceAccounts == null ? null : from.deviceAccounts.copy();
        return c;
    }

    @Override
    protected void write(Bucket b, DataOutputView out) throws IOException {
        writeMap(b.texts, out, (n, o) -> o.writeInt(n));
        writeDeviceAccounts(b.deviceAccounts, out);
    }

    /**
     * The pairs as the map of "device\naccount" strings to {@code true} was written before change
     * 33: the count, then each pair's length, UTF-8 bytes and {@code true}. A pair the bucket heard
     * twice is written twice, which a reader into a map takes as one.
     */
    private static void writeDeviceAccounts(DeviceAccounts pairs, DataOutputView out)
            throws IOException {
        out.writeInt(pairs == null ? NULL : pairs.size());
        if (pairs != null) {
            pairs.forEachPair(
                    (bytes, offset, length) -> {
                        out.writeInt(length);
                        out.write(bytes, offset, length);
                        out.writeBoolean(true);
                    });
        }
    }

    private static DeviceAccounts readDeviceAccounts(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count == NULL) {
            return null;
        }
        DeviceAccounts pairs = new DeviceAccounts();
        for (int i = 0; i < count; i++) {
            byte[] pair = new byte[in.readInt()];
            in.readFully(pair);
            in.readBoolean();
            pairs.add(pair);
        }
        return pairs;
    }

    @Override
    public Bucket deserialize(DataInputView in) throws IOException {
        Bucket b = new Bucket();
        b.texts = readMap(in, DataInputView::readInt);
        b.deviceAccounts = readDeviceAccounts(in);
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
