package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.events.EventType;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link EventRecord} on the network and in state (stage 1's waiting events). */
public final class EventRecordSerializer extends RecordSerializer<EventRecord> {
    private static final long serialVersionUID = 1L;

    public static final EventRecordSerializer INSTANCE = new EventRecordSerializer();

    private static final EventType[] TYPES = EventType.values();
    private static final Tier[] TIERS = Tier.values();

    private EventRecordSerializer() {}

    @Override
    public EventRecord createInstance() {
        return new EventRecord();
    }

    @Override
    public EventRecord copy(EventRecord from) {
        return from.copy();
    }

    @Override
    protected void write(EventRecord r, DataOutputView out) throws IOException {
        writeEnum(r.type, out);
        writeString(r.id, out);
        writeString(r.room, out);
        writeString(r.live, out);
        out.writeLong(r.ts);
        writeString(r.user, out);
        out.writeLong(r.amount);
        writeString(r.combo, out);
        out.writeBoolean(r.comboEnd);
        writeString(r.order, out);
        writeString(r.sku, out);
        writeString(r.text, out);
        writeString(r.device, out);
        writeNullableLong(r.goalGmvCents, out);
        writeNullableLong(r.goalNewFans, out);
        writeEnum(r.tier, out);
        writeNullableLong(r.followedAt, out);
        writeNullableLong(r.lastPurchaseAt, out);
    }

    @Override
    public EventRecord deserialize(DataInputView in) throws IOException {
        EventRecord r = new EventRecord();
        r.type = readEnum(TYPES, in);
        r.id = readString(in);
        r.room = readString(in);
        r.live = readString(in);
        r.ts = in.readLong();
        r.user = readString(in);
        r.amount = in.readLong();
        r.combo = readString(in);
        r.comboEnd = in.readBoolean();
        r.order = readString(in);
        r.sku = readString(in);
        r.text = readString(in);
        r.device = readString(in);
        r.goalGmvCents = readNullableLong(in);
        r.goalNewFans = readNullableLong(in);
        r.tier = readEnum(TIERS, in);
        r.followedAt = readNullableLong(in);
        r.lastPurchaseAt = readNullableLong(in);
        return r;
    }

    @Override
    public TypeSerializerSnapshot<EventRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EventRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
