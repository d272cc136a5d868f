package io.livepulse.jobs.viewer;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.serde.RecordTypeInfo;
import io.livepulse.jobs.records.serde.ViewerStateSerializer;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** One viewer's state in one broadcast (stage 1). */
@TypeInfo(ViewerState.Info.class)
public class ViewerState {
    public String live;
    public Tier tier;
    public Long followedAt;
    public Long lastPurchaseAt;
    public boolean open;
    public long openedAt;

    /** The latest event while the session was open: the idle timeout counts from here. */
    public long lastActive;

    /** The latest event of the viewer at all: state is dropped a retention period after it. */
    public long lastSeen;

    /**
     * When this viewer's deadline timer is set to fire (idle timeout or retention), {@link
     * Long#MIN_VALUE} when none is; it may fire before the deadline, which then sets it again.
     */
    public long deadlineTimer = Long.MIN_VALUE;

    public boolean interacting;
    public boolean sharer;
    public boolean follower;
    public boolean fanClubMember;
    public boolean buyer;

    /** The product of each order the viewer paid in this broadcast, so a refund can name it. */
    public Map<String, String> skuOfOrder = new HashMap<>();

    public ViewerState() {}

    /** A copy that shares nothing mutable (the serializer's, for state a checkpoint is reading). */
    public ViewerState copy() {
        ViewerState c = new ViewerState();
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
        c.skuOfOrder = skuOfOrder == null ? null : new HashMap<>(skuOfOrder);
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
