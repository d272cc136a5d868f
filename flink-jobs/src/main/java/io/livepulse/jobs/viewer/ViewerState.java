package io.livepulse.jobs.viewer;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Hash64;
import io.livepulse.jobs.records.SharedStrings;
import io.livepulse.jobs.records.ViewerDelta;
import io.livepulse.jobs.records.serde.RecordTypeInfo;
import io.livepulse.jobs.records.serde.ViewerStateSerializer;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Everything stage 1 keeps for one viewer of one room, as one state value: one lookup and one write
 * per event and per timer, and one entry (one copy of the key) per viewer in a checkpoint. Kept as
 * four states (session, ids, waiting events, combos), the lookups in Flink's heap tables were the
 * top of the job's profile (docs/benchmarks.md, change 17).
 *
 * <p>The ids and the waiting events span broadcasts; the rest is the viewer in the current
 * broadcast, {@code live} null until the first of their events is applied.
 */
@TypeInfo(ViewerState.Info.class)
public class ViewerState {
    /**
     * The ids of the events the viewer sent within the dedupe horizon, as hashes ({@link
     * EventIdHashes}) in two sorted runs: the previous generation of the horizon in the first
     * {@link #olderCount} slots, the current one up to {@link #seenCount}, the rest room to grow.
     * Changed in place, so a copy has its own.
     */
    public long[] seenIds;

    public int seenCount;

    /** How many of {@link #seenIds} are of the previous generation (the first run). */
    public int olderCount;

    /**
     * The generation of the dedupe horizon the second run of {@link #seenIds} belongs to (the
     * watermark divided by the horizon, {@link #forgetIdsBefore}); {@link #NO_GENERATION} in a new
     * or restored state, whose ids the next generation given keeps as its own. Not checkpointed: a
     * checkpoint writes the ids as one sorted run, the layout of before the horizon, which every
     * version reads ({@code ViewerStateSerializer}); a restored viewer keeps them a generation
     * longer.
     */
    public int idsGeneration = NO_GENERATION;

    /** {@link #idsGeneration} not known yet. */
    public static final int NO_GENERATION = -1;

    /** Events waiting for the watermark, in (ts, id) order ({@code null}: none). */
    public List<EventRecord> waiting;

    /** The broadcast of the viewer's latest applied event ({@code null}: none applied yet). */
    public String live;

    public Tier tier;

    /** When the viewer followed the room, or {@link ViewerDelta#NEVER}. */
    public long followedAt = ViewerDelta.NEVER;

    /** When the viewer last bought from the room, or {@link ViewerDelta#NEVER}. */
    public long lastPurchaseAt = ViewerDelta.NEVER;

    public boolean open;
    public long openedAt;

    /** The latest event while the session was open: the idle timeout counts from here. */
    public long lastActive;

    /** The latest event of the viewer at all: state is dropped a retention period after it. */
    public long lastSeen;

    /**
     * When this viewer's deadline comes (idle timeout or retention), {@link Long#MIN_VALUE} when
     * none is set; it may come before the deadline, which then sets it again. Also what {@link
     * ViewersByInstant} of deadlines is built from again after a restore: it is not checkpointed
     * itself.
     */
    public long deadlineTimer = Long.MIN_VALUE;

    public boolean interacting;
    public boolean sharer;
    public boolean follower;
    public boolean fanClubMember;
    public boolean buyer;

    /**
     * The orders the viewer paid in this broadcast, so a refund can name the product: each order's
     * id as its hash ({@code Hash64.of}), its product in {@link #paidSkus} at the same index
     * ({@code null}: none). Made at the first order: most viewers never pay. Until change 58 a map
     * of the order ids' strings to the products' (docs/benchmarks.md): seven objects for a viewer's
     * first order and four for each more, which every checkpoint visited.
     */
    public long[] paidOrders;

    /** The product of each of {@link #paidOrders}: the subtask's shared copy of its SKU. */
    public String[] paidSkus;

    /**
     * Each gift combo of this broadcast with its highest running value, as {@link GiftCombos} keeps
     * them ({@code null}: none). A value is changed in place, so a copy has its own.
     */
    public long[] combos;

    /**
     * The key this state is stored under: the state table's own object, which the notes of waiting
     * viewers and deadlines hold. The key that comes with each event is a new object (made from its
     * room and user), and a note holding it kept it alive for seconds, so the young collections
     * copied one per waiting event (docs/benchmarks.md, change 50). Not checkpointed: stage 1 sets
     * it again for every state when it opens (transient: the serializer leaves it out). {@code
     * null} where the backend hands out copies of the state (RocksDB): the notes hold the event's
     * key there.
     */
    public transient ViewerKey key;

    public ViewerState() {}

    /**
     * Whether the viewer sent an event whose id has this hash ({@link Hash64#of}), within the ids
     * still kept.
     */
    public boolean hasSeen(long idHash) {
        return EventIdHashes.contains(seenIds, 0, olderCount, idHash)
                || EventIdHashes.contains(seenIds, olderCount, seenCount, idHash);
    }

    /** Notes an id hash the viewer had not sent before, in the current generation. */
    public void see(long idHash) {
        seenIds = EventIdHashes.add(seenIds, olderCount, seenCount, idHash);
        seenCount++;
    }

    /** Notes an order paid ({@code order}: its id's hash) and its product. */
    public void paid(long order, String sku) {
        int n = paidOrders == null ? 0 : paidOrders.length;
        long[] orders = n == 0 ? new long[1] : Arrays.copyOf(paidOrders, n + 1);
        String[] skus = n == 0 ? new String[1] : Arrays.copyOf(paidSkus, n + 1);
        orders[n] = order;
        skus[n] = sku;
        paidOrders = orders;
        paidSkus = skus;
    }

    /**
     * The product of the latest paid order with this hash ({@link #paid}), or {@code null} if the
     * viewer paid no such order in this broadcast.
     */
    public String skuOfPaid(long order) {
        for (int i = paidOrders == null ? -1 : paidOrders.length - 1; i >= 0; i--) {
            if (paidOrders[i] == order) {
                return paidSkus[i];
            }
        }
        return null;
    }

    /**
     * Moves the ids on to {@code generation} of the dedupe horizon: one generation on, the current
     * run becomes the previous one and the previous one is forgotten; two or more on, both are
     * forgotten. An id is so kept for at least one horizon of the watermark after it was noted, and
     * for as long as its event waits: the waiting events' ids are noted again in the current
     * generation. {@link #NO_GENERATION} changes nothing; nor does a generation not after this one.
     */
    public void forgetIdsBefore(int generation) {
        if (generation == NO_GENERATION || generation <= idsGeneration) {
            return;
        }
        if (idsGeneration != NO_GENERATION) {
            int current = generation == idsGeneration + 1 ? seenCount - olderCount : 0;
            if (current == 0) {
                seenIds = null;
            } else {
                System.arraycopy(seenIds, olderCount, seenIds, 0, current);
                if (seenIds.length > 4 * current) { // a viewer who sends fewer ids than before
                    seenIds = Arrays.copyOf(seenIds, 2 * current);
                }
            }
            olderCount = current;
            seenCount = current;
            // An event far ahead of the watermark waits longer than a horizon: a repeat of it must
            // still be a duplicate. Noting its id again here, once a generation, spares every
            // event a search of the waiting events (4.8% of a drain's samples, run KD1).
            if (waiting != null) {
                for (EventRecord e : waiting) {
                    long h = Hash64.of(e.id);
                    if (!hasSeen(h)) {
                        see(h);
                    }
                }
            }
        }
        idsGeneration = generation;
    }

    /**
     * The viewer starts afresh in a new broadcast of the room, with the tier read now; the ids, the
     * waiting events and the deadline stay.
     */
    public void startBroadcast(String live, Tier tier, Long followedAt, Long lastPurchaseAt) {
        this.live = live;
        this.tier = tier;
        this.followedAt = followedAt == null ? ViewerDelta.NEVER : followedAt;
        this.lastPurchaseAt = lastPurchaseAt == null ? ViewerDelta.NEVER : lastPurchaseAt;
        open = false;
        openedAt = 0;
        lastActive = 0;
        lastSeen = 0;
        interacting = false;
        sharer = false;
        follower = false;
        fanClubMember = false;
        buyer = false;
        paidOrders = null;
        paidSkus = null;
        combos = null;
    }

    /**
     * After a restore: the state's strings become the subtask's shared copies (its broadcast, its
     * products, and the room and broadcast of each event waiting), as they are in a state built
     * from events; the checkpoint's reader made copies of them for every viewer, which the next
     * checkpoints would visit again (docs/benchmarks.md, change 59).
     */
    public void shareStrings(SharedStrings shared) {
        live = shared.of(live);
        if (paidSkus != null) {
            for (int i = 0; i < paidSkus.length; i++) {
                paidSkus[i] = shared.of(paidSkus[i]);
            }
        }
        if (waiting != null) {
            for (EventRecord e : waiting) {
                e.room = shared.of(e.room);
                e.live = shared.of(e.live);
            }
        }
    }

    /**
     * A copy that shares nothing changed in place (the serializer's, for state a checkpoint is
     * reading): a waiting event is not changed.
     */
    public ViewerState copy() {
        ViewerState c = new ViewerState();
        c.seenIds = seenIds == null ? null : Arrays.copyOf(seenIds, seenCount);
        c.seenCount = seenCount;
        c.olderCount = olderCount;
        c.idsGeneration = idsGeneration;
        c.key = key;
        c.waiting = waiting == null ? null : new ArrayList<>(waiting);
        c.live = live;
        c.tier = tier;
        c.followedAt = followedAt;
        c.lastPurchaseAt = lastPurchaseAt;
        c.open = open;
        c.openedAt = openedAt;
        c.lastActive = lastActive;
        c.lastSeen = lastSeen;
        c.deadlineTimer = deadlineTimer;
        c.interacting = interacting;
        c.sharer = sharer;
        c.follower = follower;
        c.fanClubMember = fanClubMember;
        c.buyer = buyer;
        c.paidOrders = paidOrders == null ? null : paidOrders.clone();
        c.paidSkus = paidSkus == null ? null : paidSkus.clone();
        c.combos = combos == null ? null : combos.clone();
        return c;
    }

    /** Flink's type information for it: {@link ViewerStateSerializer}. */
    public static final class Info extends TypeInfoFactory<ViewerState> {
        @Override
        public TypeInformation<ViewerState> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(ViewerState.class, ViewerStateSerializer.INSTANCE);
        }
    }
}
