package io.livepulse.jobs.records.serde;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.viewer.WaitingEvent;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Stage 1's waiting events as a checkpoint of change 51 (docs/benchmarks.md, withdrawn in change
 * 52) holds them in raw keyed state: per key group a header (the layout's version, the number of
 * events), then each event as its viewer's key (UTF-8 in one block) followed by the event as {@link
 * EventRecordSerializer} writes it. Raw keyed state keeps no serializer snapshot: the version in
 * each header is what a later layout is told apart by. Stage 1 only reads it now; the writing side
 * is the layout's definition, which the tests write such a checkpoint with.
 */
public final class WaitingEventSerializer {
    static final int VERSION = 1;

    private WaitingEventSerializer() {}

    /** Starts a key group's block of {@code count} events. */
    public static void writeHeader(int count, DataOutputView out) throws IOException {
        out.writeInt(VERSION);
        out.writeInt(count);
    }

    /** Writes one waiting event. */
    public static void write(String key, EventRecord event, DataOutputView out) throws IOException {
        Binary.writeString(key, out);
        EventRecordSerializer.INSTANCE.serialize(event, out);
    }

    /** Reads a key group's header: how many events follow. */
    public static int readHeader(DataInputView in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(
                    "stage 1's waiting events were checkpointed in layout "
                            + version
                            + ", this code reads layout "
                            + VERSION
                            + ": restore the checkpoint with the code that took it");
        }
        return in.readInt();
    }

    public static WaitingEvent read(DataInputView in) throws IOException {
        String key = Binary.readString(in);
        return new WaitingEvent(key, EventRecordSerializer.INSTANCE.deserialize(in));
    }
}
