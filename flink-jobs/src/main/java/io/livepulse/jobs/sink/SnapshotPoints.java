package io.livepulse.jobs.sink;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomMetrics;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The InfluxDB schema (docs/metrics.md): measurement {@code live_tier} (tags room, tier: every
 * group, zeros included) and {@code live_room} (tag room: the room's headline figures). The point's
 * time is the snapshot's tick, so a replay overwrites the same points. The fields are built as maps
 * so that the recap's JSON uses the very same names and values.
 *
 * <p>Every tick writes every group of a live room, but a {@code live_tier} point carries all its
 * fields only at one tick in each {@code tierDetailEvery} (a room's own tick within that interval,
 * so the rooms take turns) and at the broadcast's end; at the other ticks it carries the {@link
 * #HEADLINE_TIER_FIELDS}. InfluxDB's write of a tick grows with its field values, and the time it
 * takes is what the live boards wait for beyond the tick: a tick of 1,000 rooms with every tier
 * field took it about three times as long as with the 11 fields of change 26, and those took it
 * about twice as long as the boards' 4 (docs/benchmarks.md, changes 26 and 38). Which fields a
 * point has depends only on its room and time, so a replay writes the same.
 */
public final class SnapshotPoints {
    public static final String TIER_MEASUREMENT = "live_tier";
    public static final String ROOM_MEASUREMENT = "live_room";

    /**
     * The fields of a {@code live_tier} point at every tick: what the boards read of a tier (the
     * viewers, online viewers and GMV by tier; {@code live}, the broadcast, for the recap board's
     * filter). The tiers' comparisons the boards show at every tick (fan viewing ratio, watch and
     * interaction lift, fan GMV shares) are fields of the {@code live_room} point, which always
     * carries every field.
     */
    public static final Set<String> HEADLINE_TIER_FIELDS =
            Set.of("live", "uv", "online", "gmv_cents");

    private SnapshotPoints() {}

    /**
     * How the snapshot sink turns snapshots into points.
     *
     * @param tickMs the snapshots' tick
     * @param tierDetailEveryMs how often a room's tier points carry every field: a multiple of the
     *     tick ({@link io.livepulse.jobs.LiveMetricsOptions} checks it); the tick itself writes
     *     every field at every tick
     */
    public static InfluxSink.PointsOf<RoomSnapshot> withTierDetailEvery(
            long tickMs, long tierDetailEveryMs) {
        if (tickMs <= 0 || tierDetailEveryMs < tickMs || tierDetailEveryMs % tickMs != 0) {
            throw new IllegalArgumentException(
                    "the tier detail interval must be a multiple of the tick; got tick "
                            + tickMs
                            + " ms, tier detail every "
                            + tierDetailEveryMs
                            + " ms");
        }
        long ticks = tierDetailEveryMs / tickMs;
        return s -> of(s, everyTierFieldAt(s, tickMs, ticks));
    }

    /**
     * Whether the snapshot's tier points carry every field: at the broadcast's end, and at one tick
     * in {@code ticks}, which tick depending on the room, so that each tick of a platform's rooms
     * writes the detail of about one room in {@code ticks}.
     */
    static boolean everyTierFieldAt(RoomSnapshot s, long tickMs, long ticks) {
        return s.isFinal
                || Math.floorMod(Math.floorDiv(s.ts, tickMs) + s.room.hashCode(), ticks) == 0;
    }

    /**
     * Every group's point and the room's, the tier points with every field or the headline ones.
     */
    public static List<Point> of(RoomSnapshot s, boolean everyTierField) {
        List<Point> points = new ArrayList<>(Group.COUNT + 1);
        for (Group g : Group.values()) {
            Map<String, Object> fields = tierFields(s, g);
            if (!everyTierField) {
                fields.keySet().retainAll(HEADLINE_TIER_FIELDS);
            }
            points.add(
                    point(TIER_MEASUREMENT, s.ts, s.room)
                            .tag("tier", g.wireName())
                            .fields(fields)
                            .build());
        }
        points.add(point(ROOM_MEASUREMENT, s.ts, s.room).fields(roomFields(s)).build());
        return points;
    }

    static Point.Builder point(String measurement, long ts, String room) {
        return Point.measurement(measurement).time(ts, TimeUnit.MILLISECONDS).tag("room", room);
    }

    /** The fields of one group at the snapshot's instant; undefined ratios are absent. */
    public static Map<String, Object> tierFields(RoomSnapshot s, Group group) {
        GroupFigures g = s.group(group);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("live", s.live);
        f.put("uv", g.uv);
        f.put("pv", g.pv);
        f.put("online", g.online);
        f.put("pcu", g.pcu);
        f.put("watch_ms", g.watchMs(s.ts));
        f.put("interactions", g.interactions());
        f.put("comments", g.comments);
        f.put("likes", g.likes);
        f.put("shares", g.shares);
        f.put("gifts", g.gifts);
        f.put("gift_value_cents", g.giftValueCents);
        f.put("interacting_viewers", g.interactingViewers);
        f.put("sharers", g.sharers);
        f.put("follows", g.follows);
        f.put("fan_club_joins", g.fanClubJoins);
        f.put("product_clicks", g.productClicks);
        f.put("orders", g.orders);
        f.put("buyers", g.buyers);
        f.put("repeat_buyers", g.repeatBuyers);
        f.put("paid_cents", g.paidCents);
        f.put("refunds", g.refunds);
        f.put("refunded_cents", g.refundedCents);
        f.put("gmv_cents", g.gmvCents());
        optional(f, "avg_watch_ms", RoomMetrics.avgWatchMs(g, s.ts));
        optional(f, "interactions_per_capita", RoomMetrics.perCapita(g));
        optional(f, "conversion", RoomMetrics.conversion(g));
        optional(f, "uv_value_cents", RoomMetrics.uvValueCents(g));
        optional(f, "gpm_cents", RoomMetrics.gpmCents(g));
        optional(f, "aov_cents", RoomMetrics.aovCents(g));
        return f;
    }

    /** The room's headline fields at the snapshot's instant; undefined ratios are absent. */
    public static Map<String, Object> roomFields(RoomSnapshot s) {
        GroupFigures all = s.group(Group.ALL);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("live", s.live);
        f.put("start", s.start);
        f.put("final", s.isFinal);
        f.put("online", all.online);
        f.put("pcu", all.pcu);
        f.put("uv", all.uv);
        f.put("pv", all.pv);
        f.put("gmv_cents", all.gmvCents());
        f.put("orders", all.orders);
        f.put("buyers", all.buyers);
        f.put("new_viewers", s.group(Group.NON_FAN).uv);
        f.put("follows", all.follows);
        f.put("fan_club_joins", all.fanClubJoins);
        f.put("interacting_viewers", all.interactingViewers);
        f.put("repeat_buyers", all.repeatBuyers);
        f.put("sharers", all.sharers);
        f.put("freshness_ms", s.freshnessMs);
        if (all.pcuAt >= 0) {
            f.put("pcu_at", all.pcuAt);
        }
        optional(f, "fan_viewing_ratio", RoomMetrics.fanViewingRatio(s));
        optional(f, "watch_lift", RoomMetrics.watchLift(s));
        optional(f, "interaction_lift", RoomMetrics.interactionLift(s));
        optional(f, "fan_gmv_share", RoomMetrics.fanGmvShare(s));
        optional(f, "old_fan_gmv_share", RoomMetrics.oldFanGmvShare(s));
        optional(f, "goal_gmv_cents", s.goalGmvCents);
        optional(f, "goal_new_fans", s.goalNewFans);
        optional(f, "goal_gmv_progress", RoomMetrics.gmvGoalProgress(s));
        optional(f, "goal_new_fans_progress", RoomMetrics.newFansGoalProgress(s));
        return f;
    }

    /** Absent values are left out, never written as NaN. */
    static void optional(Map<String, Object> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
