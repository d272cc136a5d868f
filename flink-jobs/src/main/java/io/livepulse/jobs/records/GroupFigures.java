package io.livepulse.jobs.records;

/**
 * Running figures of one group of viewers in one broadcast. Watch time of open sessions is kept as
 * (count, sum of open instants), so the watch time at any instant t is {@code watchClosedMs +
 * online * t - openStartSum} without touching each viewer.
 */
public class GroupFigures {
    public long uv;
    public long pv;
    public long online;
    public long pcu;
    public long pcuAt = -1;
    public long watchClosedMs;
    public long openStartSum;
    public long comments;
    public long likes;
    public long shares;
    public long gifts;
    public long giftValueCents;
    public long interactingViewers;
    public long sharers;
    public long follows;
    public long fanClubJoins;
    public long productClicks;
    public long orders;
    public long buyers;
    public long repeatBuyers;
    public long paidCents;
    public long refunds;
    public long refundedCents;

    public GroupFigures() {}

    /** Applies one delta at its instant; {@code repeatBuyer} is decided by the caller. */
    public void apply(ViewerDelta d, boolean repeatBuyer) {
        switch (d.kind) {
            case ViewerDelta.OPEN -> {
                online++;
                openStartSum += d.ts;
                if (online > pcu) {
                    pcu = online;
                    pcuAt = d.ts;
                }
            }
            case ViewerDelta.CLOSE -> {
                online--;
                openStartSum -= d.openedAt;
                watchClosedMs += d.ts - d.openedAt;
            }
            default -> {}
        }
        uv += d.newViewer ? 1 : 0;
        pv += d.pv;
        comments += d.comments;
        likes += d.likes;
        shares += d.shares;
        gifts += d.gifts;
        giftValueCents += d.giftValueCents;
        interactingViewers += d.newInteracting ? 1 : 0;
        sharers += d.newSharer ? 1 : 0;
        follows += d.newFollower ? 1 : 0;
        fanClubJoins += d.newFanClubMember ? 1 : 0;
        productClicks += d.productClicks;
        orders += d.orders;
        buyers += d.newBuyer ? 1 : 0;
        repeatBuyers += d.newBuyer && repeatBuyer ? 1 : 0;
        paidCents += d.paidCents;
        refunds += d.refunds;
        refundedCents += d.refundedCents;
    }

    /** Closes every open session at {@code end} (the broadcast's end). */
    public void closeAllAt(long end) {
        watchClosedMs += online * end - openStartSum;
        online = 0;
        openStartSum = 0;
    }

    public long watchMs(long at) {
        return watchClosedMs + online * at - openStartSum;
    }

    public long interactions() {
        return comments + likes + shares + gifts;
    }

    public long gmvCents() {
        return paidCents - refundedCents;
    }

    public GroupFigures copy() {
        GroupFigures c = new GroupFigures();
        c.uv = uv;
        c.pv = pv;
        c.online = online;
        c.pcu = pcu;
        c.pcuAt = pcuAt;
        c.watchClosedMs = watchClosedMs;
        c.openStartSum = openStartSum;
        c.comments = comments;
        c.likes = likes;
        c.shares = shares;
        c.gifts = gifts;
        c.giftValueCents = giftValueCents;
        c.interactingViewers = interactingViewers;
        c.sharers = sharers;
        c.follows = follows;
        c.fanClubJoins = fanClubJoins;
        c.productClicks = productClicks;
        c.orders = orders;
        c.buyers = buyers;
        c.repeatBuyers = repeatBuyers;
        c.paidCents = paidCents;
        c.refunds = refunds;
        c.refundedCents = refundedCents;
        return c;
    }
}
