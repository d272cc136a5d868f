package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.viewer.ViewerState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ViewerState}, stage 1's state of each viewer: in every checkpoint, once per viewer. */
public final class ViewerStateSerializer extends RecordSerializer<ViewerState> {
    private static final long serialVersionUID = 1L;

    public static final ViewerStateSerializer INSTANCE = new ViewerStateSerializer();

    private static final Tier[] TIERS = Tier.values();

    private ViewerStateSerializer() {}

    @Override
    public ViewerState createInstance() {
        return new ViewerState();
    }

    @Override
    public ViewerState copy(ViewerState from) {
        return from.copy();
    }

    @Override
    protected void write(ViewerState s, DataOutputView out) throws IOException {
        writeSeenIds(s, out);
        List<EventRecord> waiting = s.waiting;
        out.writeInt(waiting == null ? -1 : waiting.size());
        if (waiting != null) {
            for (EventRecord e : waiting) {
                EventRecordSerializer.INSTANCE.write(e, out);
            }
        }
        writeString(s.live, out);
        writeEnum(s.tier, out);
        writeNullableLong(s.followedAt, out);
        writeNullableLong(s.lastPurchaseAt, out);
        out.writeBoolean(s.open);
        out.writeLong(s.openedAt);
        out.writeLong(s.lastActive);
        out.writeLong(s.lastSeen);
        out.writeLong(s.deadlineTimer);
        out.writeBoolean(s.interacting);
        out.writeBoolean(s.sharer);
        out.writeBoolean(s.follower);
        out.writeBoolean(s.fanClubMember);
        out.writeBoolean(s.buyer);
        writeSmallMap(s.skuOfOrder, out, Binary::writeString);
        writeSmallMap(s.comboValues, out, (v, o) -> o.writeLong(v));
    }

    @Override
    public ViewerState deserialize(DataInputView in) throws IOException {
        ViewerState s = new ViewerState();
        int ids = in.readInt();
        if (ids >= 0) {
            s.seenIds = new long[ids];
            s.seenCount = ids;
            for (int i = 0; i < ids; i++) {
                s.seenIds[i] = in.readLong();
            }
        }
        int waiting = in.readInt();
        if (waiting >= 0) {
            s.waiting = new ArrayList<>(waiting);
            for (int i = 0; i < waiting; i++) {
                s.waiting.add(EventRecordSerializer.INSTANCE.deserialize(in));
            }
        }
        s.live = readString(in);
        s.tier = readEnum(TIERS, in);
        s.followedAt = readNullableLong(in);
        s.lastPurchaseAt = readNullableLong(in);
        s.open = in.readBoolean();
        s.openedAt = in.readLong();
        s.lastActive = in.readLong();
        s.lastSeen = in.readLong();
        s.deadlineTimer = in.readLong();
        s.interacting = in.readBoolean();
        s.sharer = in.readBoolean();
        s.follower = in.readBoolean();
        s.fanClubMember = in.readBoolean();
        s.buyer = in.readBoolean();
        s.skuOfOrder = readSmallMap(in, Binary::readString);
        s.comboValues = readSmallMap(in, DataInputView::readLong);
        return s;
    }

    /**
     * The ids as one sorted run: the state keeps two (the dedupe horizon's previous generation and
     * its current one, {@link ViewerState#forgetIdsBefore}), merged here so that the bytes are
     * those of before the horizon, which every version of the job reads.
     */
    private static void writeSeenIds(ViewerState s, DataOutputView out) throws IOException {
        long[] ids = s.seenIds;
        if (ids == null) {
            out.writeInt(-1);
            return;
        }
        int split = s.olderCount;
        int count = s.seenCount;
        out.writeInt(count);
        int a = 0;
        int b = split;
        while (a < split && b < count) {
            out.writeLong(ids[a] <= ids[b] ? ids[a++] : ids[b++]);
        }
        while (a < split) {
            out.writeLong(ids[a++]);
        }
        while (b < count) {
            out.writeLong(ids[b++]);
        }
    }

    @Override
    public TypeSerializerSnapshot<ViewerState> snapshotConfiguration() {
        return new SnapshotV2();
    }

    /**
     * Restores the serializer from a checkpoint; public with no arguments, as Flink needs. Named
     * for the layout (ids, waiting events and combos inside the viewer's value since change 17 of
     * docs/benchmarks.md): a checkpoint written with the layout before names the class {@code
     * Snapshot}, which is gone, so restoring it fails at once instead of misreading its bytes.
     */
    public static final class SnapshotV2 extends SimpleTypeSerializerSnapshot<ViewerState> {
        public SnapshotV2() {
            super(() -> INSTANCE);
        }
    }
}
