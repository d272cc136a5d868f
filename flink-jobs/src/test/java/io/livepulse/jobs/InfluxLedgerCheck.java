package io.livepulse.jobs;

import static io.livepulse.jobs.InfluxReadBack.asDouble;
import static io.livepulse.jobs.InfluxReadBack.asLong;

import io.livepulse.simulator.ledger.Figures;
import io.livepulse.simulator.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;

/**
 * Reads the job's final points back from InfluxDB and compares them with the simulator's ledger:
 * every count and cent exactly, every ratio within 1e-9. Shared by the MiniCluster test and the
 * end-to-end test on the native stack.
 */
public final class InfluxLedgerCheck {
    private InfluxLedgerCheck() {}

    static final List<String> COUNTED_FIELDS =
            List.of(
                    "uv",
                    "pv",
                    "pcu",
                    "watch_ms",
                    "interactions",
                    "comments",
                    "likes",
                    "shares",
                    "gifts",
                    "gift_value_cents",
                    "interacting_viewers",
                    "sharers",
                    "follows",
                    "fan_club_joins",
                    "product_clicks",
                    "orders",
                    "buyers",
                    "repeat_buyers",
                    "paid_cents",
                    "refunds",
                    "refunded_cents",
                    "gmv_cents");

    /** Asserts every broadcast's final figures; returns the final live_tier rows per broadcast. */
    public static List<Map<String, Map<String, Object>>> assertEqualsLedger(
            InfluxReadBack influx, Ledger ledger) {
        return assertEqualsLedger(influx, ledger, b -> true);
    }

    /** As above, for the broadcasts {@code which} selects. */
    public static List<Map<String, Map<String, Object>>> assertEqualsLedger(
            InfluxReadBack influx, Ledger ledger, Predicate<Ledger.BroadcastLedger> which) {
        List<Map<String, Map<String, Object>>> finals = new ArrayList<>();
        SoftAssertions soft = new SoftAssertions();
        for (Ledger.RoomLedger room : ledger.rooms()) {
            for (Ledger.BroadcastLedger b : room.broadcasts()) {
                if (!which.test(b)) {
                    continue;
                }
                Map<String, Map<String, Object>> tiers = influx.tiersAt(b.room(), b.end());
                finals.add(tiers);
                if (tiers.containsKey("unknown") && !b.tiers().containsKey("unknown")) {
                    // said first: it explains the shortfall of every tier that follows
                    soft.fail(
                            "%s: %d viewers counted under 'unknown': Redis lookups fell back"
                                    + " (redisFallbacks) although every profile was there",
                            b.live(), asLong(tiers.get("unknown"), "uv"));
                }
                for (Map.Entry<String, Figures> t : b.tiers().entrySet()) {
                    compare(soft, b.live() + "/" + t.getKey(), t.getValue(), tiers.get(t.getKey()));
                }
                compare(soft, b.live() + "/fans", b.fans(), tiers.get("fans"));
                compare(soft, b.live() + "/old_fans", b.oldFans(), tiers.get("old_fans"));
                compare(soft, b.live() + "/all", b.total(), tiers.get("all"));
                Map<String, Object> roomPoint = assertFinalRoomPoint(soft, influx, b);
                soft.assertThat(asLong(roomPoint, "new_viewers"))
                        .as(b.live() + " new viewers")
                        .isEqualTo(b.funnel().newViewers());
                ratio(
                        soft,
                        b.live() + " fan viewing ratio",
                        b.ratios().fanViewingRatio(),
                        asDouble(roomPoint, "fan_viewing_ratio"));
                ratio(
                        soft,
                        b.live() + " watch lift",
                        b.ratios().watchLift(),
                        asDouble(roomPoint, "watch_lift"));
                ratio(
                        soft,
                        b.live() + " interaction lift",
                        b.ratios().interactionLift(),
                        asDouble(roomPoint, "interaction_lift"));
                ratio(
                        soft,
                        b.live() + " fan GMV share",
                        b.ratios().fanGmvShare(),
                        asDouble(roomPoint, "fan_gmv_share"));
                ratio(
                        soft,
                        b.live() + " old-fan GMV share",
                        b.ratios().oldFanGmvShare(),
                        asDouble(roomPoint, "old_fan_gmv_share"));
            }
        }
        soft.assertAll();
        return finals;
    }

    /**
     * Asserts what no fan tier can change: every broadcast's final figures over all viewers
     * (counts, cents, GMV and its goal progress). For runs where Redis failed and some viewers were
     * counted under {@code unknown}; returns how many viewers were, over all broadcasts. The one
     * all-viewer figure that needs a profile is repeat buyers (a purchase before the broadcast, per
     * the profile): an unknown viewer is never one, so it can only be lower than the ledger's.
     */
    public static long assertTotalsEqualLedger(InfluxReadBack influx, Ledger ledger) {
        SoftAssertions soft = new SoftAssertions();
        long unknownViewers = 0;
        for (Ledger.RoomLedger room : ledger.rooms()) {
            for (Ledger.BroadcastLedger b : room.broadcasts()) {
                Map<String, Map<String, Object>> tiers = influx.tiersAt(b.room(), b.end());
                compare(soft, b.live() + "/all", b.total(), tiers.get("all"), "repeat_buyers");
                if (tiers.get("all") != null) {
                    soft.assertThat(asLong(tiers.get("all"), "repeat_buyers"))
                            .as(b.live() + "/all repeat_buyers")
                            .isLessThanOrEqualTo(b.total().repeatBuyers());
                }
                if (tiers.containsKey("unknown")) {
                    unknownViewers += asLong(tiers.get("unknown"), "uv");
                }
                assertFinalRoomPoint(soft, influx, b);
            }
        }
        soft.assertAll();
        return unknownViewers;
    }

    /**
     * The broadcast's room point at its end: of this broadcast, marked final, with the ledger's
     * goal progress. Returned for the checks that need more of it.
     */
    private static Map<String, Object> assertFinalRoomPoint(
            SoftAssertions soft, InfluxReadBack influx, Ledger.BroadcastLedger b) {
        Map<String, Object> roomPoint = influx.roomAt(b.room(), b.end());
        soft.assertThat(roomPoint.get("live")).as(b.live() + " live").isEqualTo(b.live());
        soft.assertThat(roomPoint.get("final")).as(b.live() + " final").isEqualTo(Boolean.TRUE);
        ratio(
                soft,
                b.live() + " goal progress",
                b.goal().gmvProgress(),
                asDouble(roomPoint, "goal_gmv_progress"));
        return roomPoint;
    }

    public static double sum(
            List<Map<String, Map<String, Object>>> finals, String tier, String field) {
        double s = 0;
        for (Map<String, Map<String, Object>> f : finals) {
            s += asLong(f.get(tier), field);
        }
        return s;
    }

    /**
     * Compares one point with the ledger's figures, leaving out the fields named in {@code skip}.
     */
    static void compare(
            SoftAssertions soft,
            String what,
            Figures expected,
            Map<String, Object> row,
            String... skip) {
        soft.assertThat(row).as(what + " point").isNotNull();
        if (row == null) {
            return;
        }
        Map<String, Long> counts =
                Map.ofEntries(
                        Map.entry("uv", expected.uv()),
                        Map.entry("pv", expected.pv()),
                        Map.entry("pcu", expected.pcu()),
                        Map.entry("watch_ms", expected.watchMs()),
                        Map.entry("interactions", expected.interactions()),
                        Map.entry("comments", expected.comments()),
                        Map.entry("likes", expected.likes()),
                        Map.entry("shares", expected.shares()),
                        Map.entry("gifts", expected.gifts()),
                        Map.entry("gift_value_cents", expected.giftValueCents()),
                        Map.entry("interacting_viewers", expected.interactingViewers()),
                        Map.entry("sharers", expected.sharers()),
                        Map.entry("follows", expected.follows()),
                        Map.entry("fan_club_joins", expected.fanClubJoins()),
                        Map.entry("product_clicks", expected.productClicks()),
                        Map.entry("orders", expected.orders()),
                        Map.entry("buyers", expected.buyers()),
                        Map.entry("repeat_buyers", expected.repeatBuyers()),
                        Map.entry("paid_cents", expected.paidCents()),
                        Map.entry("refunds", expected.refunds()),
                        Map.entry("refunded_cents", expected.refundedCents()),
                        Map.entry("gmv_cents", expected.gmvCents()));
        for (String field : COUNTED_FIELDS) {
            if (List.of(skip).contains(field)) {
                continue;
            }
            soft.assertThat(asLong(row, field)).as(what + " " + field).isEqualTo(counts.get(field));
        }
        ratio(soft, what + " avg_watch_ms", expected.avgWatchMs(), asDouble(row, "avg_watch_ms"));
        ratio(
                soft,
                what + " interactions_per_capita",
                expected.interactionsPerCapita(),
                asDouble(row, "interactions_per_capita"));
        ratio(soft, what + " conversion", expected.conversion(), asDouble(row, "conversion"));
        ratio(
                soft,
                what + " uv_value_cents",
                expected.uvValueCents(),
                asDouble(row, "uv_value_cents"));
        ratio(soft, what + " gpm_cents", expected.gpmCents(), asDouble(row, "gpm_cents"));
        ratio(soft, what + " aov_cents", expected.aovCents(), asDouble(row, "aov_cents"));
    }

    public static void ratio(SoftAssertions soft, String what, Double expected, Double actual) {
        LedgerAssertions.ratio(soft, what, expected, actual);
    }
}
