package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.viewer.ViewerState;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
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
    public void serialize(ViewerState s, DataOutputView out) throws IOException {
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
        Map<String, String> skus = s.skuOfOrder;
        out.writeInt(skus == null ? -1 : skus.size());
        if (skus != null) {
            for (Map.Entry<String, String> e : skus.entrySet()) {
                writeString(e.getKey(), out);
                writeString(e.getValue(), out);
            }
        }
    }

    @Override
    public ViewerState deserialize(DataInputView in) throws IOException {
        ViewerState s = new ViewerState();
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
        int orders = in.readInt();
        s.skuOfOrder = orders < 0 ? null : new HashMap<>(orders * 2);
        for (int i = 0; i < orders; i++) {
            s.skuOfOrder.put(readString(in), readString(in));
        }
        return s;
    }

    @Override
    public TypeSerializerSnapshot<ViewerState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ViewerState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
