package io.livepulse.jobs.records.serde;

import io.livepulse.jobs.records.ViewerDelta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The field encodings the serializers share: nullable strings, longs, enums and maps. */
final class Binary {
    private Binary() {}

    static final int NULL = -1;

    private static final int SCRATCH_BYTES = 256;

    /**
     * The bytes of a string on their way in or out, one array per thread: an array of its own for
     * each string read or written (up to nine per event, on the network and into checkpoints) was a
     * tenth of what the job allocated in a drain, and the allocation rate sets how often the young
     * collections stop it (docs/benchmarks.md, change 46). Longer strings get their own.
     */
    private static final ThreadLocal<byte[]> SCRATCH =
            ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    /** Length then UTF-8 bytes in one write, or -1 for null. */
    static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(NULL);
            return;
        }
        int n = s.length();
        if (n <= SCRATCH_BYTES) {
            byte[] scratch = SCRATCH.get();
            int i = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break; // not ASCII: UTF-8 takes more than a byte for it
                }
                scratch[i++] = (byte) c;
            }
            if (i == n) { // ASCII, whose UTF-8 bytes are its characters
                out.writeInt(n);
                out.write(scratch, 0, n);
                return;
            }
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length == NULL) {
            return null;
        }
        byte[] bytes = length <= SCRATCH_BYTES ? SCRATCH.get() : new byte[length];
        in.readFully(bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Writes a map's value; for {@link #writeMap}. */
    interface ValueWriter<V> {
        void write(V value, DataOutputView out) throws IOException;
    }

    /** Reads a map's value; for {@link #readMap}. */
    interface ValueReader<V> {
        V read(DataInputView in) throws IOException;
    }

    /** The entry count then each key and value, or -1 for null. */
    static <V> void writeMap(Map<String, V> map, DataOutputView out, ValueWriter<V> values)
            throws IOException {
        out.writeInt(map == null ? NULL : map.size());
        if (map != null) {
            for (Map.Entry<String, V> e : map.entrySet()) {
                writeString(e.getKey(), out);
                values.write(e.getValue(), out);
            }
        }
    }

    static <V> HashMap<String, V> readMap(DataInputView in, ValueReader<V> values)
            throws IOException {
        int size = in.readInt();
        if (size < 0) {
            return null;
        }
        HashMap<String, V> map = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            map.put(readString(in), values.read(in));
        }
        return map;
    }

    static void writeNullableLong(Long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    static Long readNullableLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    /** An instant or {@link ViewerDelta#NEVER}, in the bytes of {@link #writeNullableLong}. */
    static void writeInstant(long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != ViewerDelta.NEVER);
        if (v != ViewerDelta.NEVER) {
            out.writeLong(v);
        }
    }

    static long readInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : ViewerDelta.NEVER;
    }

    /** The constant's ordinal, or -1 for null. */
    static void writeEnum(Enum<?> e, DataOutputView out) throws IOException {
        out.writeByte(e == null ? NULL : e.ordinal());
    }

    static <E extends Enum<E>> E readEnum(E[] constants, DataInputView in) throws IOException {
        int ordinal = in.readByte();
        if (ordinal == NULL) {
            return null;
        }
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new IOException(
                    "no constant #"
                            + ordinal
                            + " in "
                            + constants.getClass().getComponentType().getSimpleName());
        }
        return constants[ordinal];
    }
}
