package io.livepulse.jobs.records.serde;

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

    /** Length then UTF-8 bytes in one write, or -1 for null. */
    static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(NULL);
            return;
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
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
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
