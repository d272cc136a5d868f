package io.livepulse.jobs.sink;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomMetrics;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The InfluxDB schema (docs/metrics.md): measurement {@code live_tier} (tags room, tier: every
 * group, zeros included) and {@code live_room} (tag room: the room's headline figures). The point's
 * time is the snapshot's tick, so a replay overwrites the same points.
 */
public final class SnapshotPoints {
    public static final String TIER_MEASUREMENT = "live_tier";
    public static final String ROOM_MEASUREMENT = "live_room";

    private SnapshotPoints() {}

    public static List<Point> of(RoomSnapshot s) {
        List<Point> points = new ArrayList<>(Group.COUNT + 1);
        for (Group g : Group.values()) {
            points.add(tierPoint(s, g));
        }
        points.add(roomPoint(s));
        return points;
    }

    private static Point tierPoint(RoomSnapshot s, Group group) {
        GroupFigures g = s.group(group);
        Point.Builder p =
                Point.measurement(TIER_MEASUREMENT)
                        .time(s.ts, TimeUnit.MILLISECONDS)
                        .tag("room", s.room)
                        .tag("tier", group.wireName())
                        .addField("live", s.live)
                        .addField("uv", g.uv)
                        .addField("pv", g.pv)
                        .addField("online", g.online)
                        .addField("pcu", g.pcu)
                        .addField("watch_ms", g.watchMs(s.ts))
                        .addField("interactions", g.interactions())
                        .addField("comments", g.comments)
                        .addField("likes", g.likes)
                        .addField("shares", g.shares)
                        .addField("gifts", g.gifts)
                        .addField("gift_value_cents", g.giftValueCents)
                        .addField("interacting_viewers", g.interactingViewers)
                        .addField("sharers", g.sharers)
                        .addField("follows", g.follows)
                        .addField("fan_club_joins", g.fanClubJoins)
                        .addField("product_clicks", g.productClicks)
                        .addField("orders", g.orders)
                        .addField("buyers", g.buyers)
                        .addField("repeat_buyers", g.repeatBuyers)
                        .addField("paid_cents", g.paidCents)
                        .addField("refunds", g.refunds)
                        .addField("refunded_cents", g.refundedCents)
                        .addField("gmv_cents", g.gmvCents());
        optional(p, "avg_watch_ms", RoomMetrics.avgWatchMs(g, s.ts));
        optional(p, "interactions_per_capita", RoomMetrics.perCapita(g));
        optional(p, "conversion", RoomMetrics.conversion(g));
        optional(p, "uv_value_cents", RoomMetrics.uvValueCents(g));
        optional(p, "gpm_cents", RoomMetrics.gpmCents(g));
        optional(p, "aov_cents", RoomMetrics.aovCents(g));
        return p.build();
    }

    private static Point roomPoint(RoomSnapshot s) {
        GroupFigures all = s.group(Group.ALL);
        Point.Builder p =
                Point.measurement(ROOM_MEASUREMENT)
                        .time(s.ts, TimeUnit.MILLISECONDS)
                        .tag("room", s.room)
                        .addField("live", s.live)
                        .addField("start", s.start)
                        .addField("final", s.isFinal)
                        .addField("online", all.online)
                        .addField("pcu", all.pcu)
                        .addField("uv", all.uv)
                        .addField("pv", all.pv)
                        .addField("gmv_cents", all.gmvCents())
                        .addField("orders", all.orders)
                        .addField("buyers", all.buyers)
                        .addField("new_viewers", s.group(Group.NON_FAN).uv)
                        .addField("follows", all.follows)
                        .addField("fan_club_joins", all.fanClubJoins)
                        .addField("interacting_viewers", all.interactingViewers)
                        .addField("repeat_buyers", all.repeatBuyers)
                        .addField("sharers", all.sharers)
                        .addField("freshness_ms", s.freshnessMs);
        if (all.pcuAt >= 0) {
            p.addField("pcu_at", all.pcuAt);
        }
        optional(p, "fan_viewing_ratio", RoomMetrics.fanViewingRatio(s));
        optional(p, "watch_lift", RoomMetrics.watchLift(s));
        optional(p, "interaction_lift", RoomMetrics.interactionLift(s));
        optional(p, "fan_gmv_share", RoomMetrics.fanGmvShare(s));
        optional(p, "old_fan_gmv_share", RoomMetrics.oldFanGmvShare(s));
        optional(p, "goal_gmv_cents", s.goalGmvCents);
        optional(p, "goal_new_fans", s.goalNewFans);
        optional(p, "goal_gmv_progress", RoomMetrics.gmvGoalProgress(s));
        optional(p, "goal_new_fans_progress", RoomMetrics.newFansGoalProgress(s));
        return p.build();
    }

    /** Absent ratios are left out, never written as NaN. */
    private static void optional(Point.Builder p, String field, Number value) {
        if (value != null) {
            p.addField(field, value);
        }
    }
}
