package io.livepulse.jobs.viewer;

import io.livepulse.fans.Tier;
import java.util.HashMap;
import java.util.Map;

/** One viewer's state in one broadcast (stage 1). */
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
}
