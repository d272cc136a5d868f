package io.livepulse.jobs.records;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.serde.RecordTypeInfo;
import io.livepulse.jobs.records.serde.ViewerDeltaSerializer;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What one step of a viewer's state adds to the room's figures (stage 1 to stage 2). Counts are
 * increments; {@code kind} says whether a session opened or closed at {@link #ts}.
 */
@TypeInfo(ViewerDelta.Info.class)
public class ViewerDelta {
    public static final byte ACTIVITY = 0;
    public static final byte OPEN = 1;
    public static final byte CLOSE = 2;

    /** The product of a refund whose order the viewer did not pay in this broadcast. */
    public static final String UNKNOWN_SKU = "unknown";

    /**
     * {@code followedAt} or {@code lastPurchaseAt} of a viewer who never followed or never bought:
     * the instants are plain longs, in the viewers' states and their deltas, as a {@code Long} was
     * one more object for half the viewers (docs/benchmarks.md, change 60).
     */
    public static final long NEVER = Long.MIN_VALUE;

    public String room;
    public String live;
    public long ts;
    public byte kind;

    /** For CLOSE: when the closed session opened. */
    public long openedAt;

    /** A CLOSE made by the idle timeout, not by an event: the room heard nothing at its time. */
    public boolean timeout;

    /** The viewer's tier, frozen at first sight in this broadcast. */
    public Tier tier;

    public long followedAt = NEVER;
    public long lastPurchaseAt = NEVER;

    public boolean newViewer;
    public int pv;
    public int comments;
    public long likes;
    public int shares;
    public int gifts;
    public long giftValueCents;
    public boolean newInteracting;
    public boolean newSharer;
    public boolean newFollower;
    public boolean newFanClubMember;
    public int productClicks;
    public int orders;
    public long paidCents;
    public boolean newBuyer;
    public int refunds;
    public long refundedCents;

    /** order_paid: its product; order_refunded: the refunded order's product. */
    public String sku;

    public ViewerDelta() {}

    /** A field-by-field copy (the serializer's, for state copied while a checkpoint reads it). */
    public ViewerDelta copy() {
        ViewerDelta c = new ViewerDelta();
        c.room = room;
        c.live = live;
        c.ts = ts;
        c.kind = kind;
        c.openedAt = openedAt;
        c.timeout = timeout;
        c.tier = tier;
        c.followedAt = followedAt;
        c.lastPurchaseAt = lastPurchaseAt;
        c.newViewer = newViewer;
        c.pv = pv;
        c.comments = comments;
        c.likes = likes;
        c.shares = shares;
        c.gifts = gifts;
        c.giftValueCents = giftValueCents;
        c.newInteracting = newInteracting;
        c.newSharer = newSharer;
        c.newFollower = newFollower;
        c.newFanClubMember = newFanClubMember;
        c.productClicks = productClicks;
        c.orders = orders;
        c.paidCents = paidCents;
        c.newBuyer = newBuyer;
        c.refunds = refunds;
        c.refundedCents = refundedCents;
        c.sku = sku;
        return c;
    }

    public long interactions() {
        return comments + likes + shares + gifts;
    }

    /** Flink's type information for it: {@link ViewerDeltaSerializer}. */
    public static final class Info extends TypeInfoFactory<ViewerDelta> {
        @Override
        public TypeInformation<ViewerDelta> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(ViewerDelta.class, ViewerDeltaSerializer.INSTANCE);
        }
    }
}
