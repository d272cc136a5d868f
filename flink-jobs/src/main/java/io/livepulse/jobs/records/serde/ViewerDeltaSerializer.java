package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.ViewerDelta;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ViewerDelta} on the network (stage 1 to 2) and in state (stage 2's waiting deltas). */
public final class ViewerDeltaSerializer extends RecordSerializer<ViewerDelta> {
    private static final long serialVersionUID = 1L;

    public static final ViewerDeltaSerializer INSTANCE = new ViewerDeltaSerializer();

    private static final Tier[] TIERS = Tier.values();

    private ViewerDeltaSerializer() {}

    @Override
    public ViewerDelta createInstance() {
        return new ViewerDelta();
    }

    @Override
    public ViewerDelta copy(ViewerDelta from) {
        return from.copy();
    }

    @Override
    protected void write(ViewerDelta d, DataOutputView out) throws IOException {
        writeString(d.room, out);
        writeString(d.live, out);
        out.writeLong(d.ts);
        out.writeByte(d.kind);
        out.writeLong(d.openedAt);
        out.writeBoolean(d.timeout);
        writeEnum(d.tier, out);
        writeInstant(d.followedAt, out);
        writeInstant(d.lastPurchaseAt, out);
        out.writeBoolean(d.newViewer);
        out.writeInt(d.pv);
        out.writeInt(d.comments);
        out.writeLong(d.likes);
        out.writeInt(d.shares);
        out.writeInt(d.gifts);
        out.writeLong(d.giftValueCents);
        out.writeBoolean(d.newInteracting);
        out.writeBoolean(d.newSharer);
        out.writeBoolean(d.newFollower);
        out.writeBoolean(d.newFanClubMember);
        out.writeInt(d.productClicks);
        out.writeInt(d.orders);
        out.writeLong(d.paidCents);
        out.writeBoolean(d.newBuyer);
        out.writeInt(d.refunds);
        out.writeLong(d.refundedCents);
        writeString(d.sku, out);
    }

    @Override
    public ViewerDelta deserialize(DataInputView in) throws IOException {
        ViewerDelta d = new ViewerDelta();
        d.room = readString(in);
        d.live = readString(in);
        d.ts = in.readLong();
        d.kind = in.readByte();
        d.openedAt = in.readLong();
        d.timeout = in.readBoolean();
        d.tier = readEnum(TIERS, in);
        d.followedAt = readInstant(in);
        d.lastPurchaseAt = readInstant(in);
        d.newViewer = in.readBoolean();
        d.pv = in.readInt();
        d.comments = in.readInt();
        d.likes = in.readLong();
        d.shares = in.readInt();
        d.gifts = in.readInt();
        d.giftValueCents = in.readLong();
        d.newInteracting = in.readBoolean();
        d.newSharer = in.readBoolean();
        d.newFollower = in.readBoolean();
        d.newFanClubMember = in.readBoolean();
        d.productClicks = in.readInt();
        d.orders = in.readInt();
        d.paidCents = in.readLong();
        d.newBuyer = in.readBoolean();
        d.refunds = in.readInt();
        d.refundedCents = in.readLong();
        d.sku = readString(in);
        return d;
    }

    @Override
    public TypeSerializerSnapshot<ViewerDelta> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ViewerDelta> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
