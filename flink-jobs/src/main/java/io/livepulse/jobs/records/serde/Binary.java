package io.livepulse.jobs.records.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The field encodings the serializers share: nullable strings, longs and enums. */
final class Binary {
    private Binary() {}

    private static final int NULL = -1;

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
