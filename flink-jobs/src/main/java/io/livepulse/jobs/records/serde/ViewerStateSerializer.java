package io.livepulse.jobs.records.serde;

import static io.livepulse.jobs.records.serde.Binary.*;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Hash64;
import io.livepulse.jobs.viewer.ViewerState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ViewerState}, stage 1's state of each viewer: in every checkpoint, once per viewer. */
public class ViewerStateSerializer extends RecordSerializer<ViewerState> {
    private static final long serialVersionUID = 1L;

    public static final ViewerStateSerializer INSTANCE = new ViewerStateSerializer();

    /**
     * Reads the layout of before change 58 ({@link SnapshotV2}: the paid orders and the gift combos
     * as maps of their ids) into today's state, the ids hashed; writes today's layout. Flink reads
     * a checkpoint of those days with it and migrates to {@link #INSTANCE}.
     */
    public static final ViewerStateSerializer FROM_MAPS_OF_IDS = new FromMapsOfIds();

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
        writeInstant(s.followedAt, out);
        writeInstant(s.lastPurchaseAt, out);
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
        long[] orders = s.paidOrders;
        out.writeInt(orders == null ? NULL : orders.length);
        for (int i = 0; orders != null && i < orders.length; i++) {
            out.writeLong(orders[i]);
            writeString(s.paidSkus[i], out);
        }
        long[] combos = s.combos;
        out.writeInt(combos == null ? NULL : combos.length / 2);
        for (int i = 0; combos != null && i < combos.length; i++) {
            out.writeLong(combos[i]);
        }
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
        s.followedAt = readInstant(in);
        s.lastPurchaseAt = readInstant(in);
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
        readPaidOrders(s, in);
        s.combos = readCombos(in);
        return s;
    }

    /** The paid orders as {@link #write} wrote them: a count, then each id's hash and product. */
    private void readPaidOrders(ViewerState s, DataInputView in) throws IOException {
        int orders = in.readInt();
        if (orders < 0) {
            return;
        }
        s.paidOrders = new long[orders];
        s.paidSkus = new String[orders];
        for (int i = 0; i < orders; i++) {
            s.paidOrders[i] = readIdHash(in);
            s.paidSkus[i] = readString(in);
        }
    }

    /** The gift combos as {@link #write} wrote them: a count, then each id's hash and value. */
    private long[] readCombos(DataInputView in) throws IOException {
        int pairs = in.readInt();
        if (pairs < 0) {
            return null;
        }
        long[] combos = new long[2 * pairs];
        for (int i = 0; i < combos.length; i += 2) {
            combos[i] = readIdHash(in);
            combos[i + 1] = in.readLong();
        }
        return combos;
    }

    /** The hash of a paid order's or a combo's id, as written since change 58. */
    long readIdHash(DataInputView in) throws IOException {
        return in.readLong();
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
        return new SnapshotV3();
    }

    private static final class FromMapsOfIds extends ViewerStateSerializer {
        private static final long serialVersionUID = 1L;

        /**
         * The id itself, hashed: the orders and the combos were maps of their ids ({@link
         * Binary#writeMap}'s layout, each key a string before its value).
         */
        @Override
        long readIdHash(DataInputView in) throws IOException {
            return Hash64.of(readString(in));
        }

        /** Restored from a checkpoint, Flink keeps this instance: keep it one. */
        private Object readResolve() {
            return FROM_MAPS_OF_IDS;
        }
    }

    /**
     * Restores the serializer from a checkpoint; public with no arguments, as Flink needs. Named
     * for the layout: the paid orders and the gift combos by the hashes of their ids since change
     * 58 of docs/benchmarks.md. A checkpoint of the layout before it names {@link SnapshotV2} and
     * is read and migrated.
     */
    public static final class SnapshotV3 extends SimpleTypeSerializerSnapshot<ViewerState> {
        public SnapshotV3() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ViewerState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ViewerState> old) {
            if (old instanceof SnapshotV2) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }

    /**
     * The snapshot of the layout from change 17 of docs/benchmarks.md (ids, waiting events and
     * combos inside the viewer's value) to change 57, the orders and the combos maps of their ids:
     * read with {@link #FROM_MAPS_OF_IDS}. A checkpoint of the layout before names the class {@code
     * Snapshot}, which is gone, so restoring it fails at once instead of misreading its bytes.
     */
    public static final class SnapshotV2 extends SimpleTypeSerializerSnapshot<ViewerState> {
        public SnapshotV2() {
            super(() -> FROM_MAPS_OF_IDS);
        }
    }
}
