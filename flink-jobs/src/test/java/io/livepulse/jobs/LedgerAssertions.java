package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.livepulse.jobs.recap.Comparison;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomMetrics;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.simulator.ledger.Figures;
import io.livepulse.simulator.ledger.Ledger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * Compares the job's snapshots with the simulator's ledger: counts and cents exactly, ratios to
 * 1e-9.
 */
final class LedgerAssertions {
    private LedgerAssertions() {}

    static void finalSnapshotsMatch(Ledger ledger, List<RoomSnapshot> snapshots) {
        Map<String, RoomSnapshot> finals = new HashMap<>();
        for (RoomSnapshot s : snapshots) {
            if (s.isFinal) {
                assertThat(finals.put(s.live, s)).as("one final snapshot for %s", s.live).isNull();
            }
        }
        SoftAssertions soft = new SoftAssertions();
        int broadcasts = 0;
        for (Ledger.RoomLedger room : ledger.rooms()) {
            for (Ledger.BroadcastLedger b : room.broadcasts()) {
                broadcasts++;
                RoomSnapshot s = finals.get(b.live());
                soft.assertThat(s).as("final snapshot of %s", b.live()).isNotNull();
                if (s == null) {
                    continue;
                }
                soft.assertThat(s.ts).as("%s end", b.live()).isEqualTo(b.end());
                for (Map.Entry<String, Figures> tier : b.tiers().entrySet()) {
                    figures(
                            soft,
                            b.live() + "/" + tier.getKey(),
                            tier.getValue(),
                            s.group(group(tier.getKey())),
                            s.ts);
                }
                figures(soft, b.live() + "/fans", b.fans(), s.group(Group.FANS), s.ts);
                figures(soft, b.live() + "/old_fans", b.oldFans(), s.group(Group.OLD_FANS), s.ts);
                figures(soft, b.live() + "/all", b.total(), s.group(Group.ALL), s.ts);
                soft.assertThat(s.group(Group.ALL).pcuAt)
                        .as("%s pcu_at", b.live())
                        .isEqualTo(b.pcuAt() == null ? -1 : b.pcuAt());
                ratio(
                        soft,
                        b.live() + " fan viewing ratio",
                        b.ratios().fanViewingRatio(),
                        RoomMetrics.fanViewingRatio(s));
                ratio(
                        soft,
                        b.live() + " watch lift",
                        b.ratios().watchLift(),
                        RoomMetrics.watchLift(s));
                ratio(
                        soft,
                        b.live() + " interaction lift",
                        b.ratios().interactionLift(),
                        RoomMetrics.interactionLift(s));
                ratio(
                        soft,
                        b.live() + " fan GMV share",
                        b.ratios().fanGmvShare(),
                        RoomMetrics.fanGmvShare(s));
                ratio(
                        soft,
                        b.live() + " old-fan GMV share",
                        b.ratios().oldFanGmvShare(),
                        RoomMetrics.oldFanGmvShare(s));
                ratio(
                        soft,
                        b.live() + " goal progress",
                        b.goal().gmvProgress(),
                        RoomMetrics.gmvGoalProgress(s));
                ratio(
                        soft,
                        b.live() + " new-fans goal progress",
                        b.goal().newFansProgress(),
                        RoomMetrics.newFansGoalProgress(s));
            }
        }
        soft.assertThat(finals).as("final snapshots").hasSize(broadcasts);
        soft.assertAll();
    }

    /** online(t) at every minute mark equals the ledger's samples, in total and per tier. */
    /**
     * One recap per broadcast of the ledger: its end, its top products exactly, and each headline
     * figure against the room's earlier broadcasts (values to 1e-9, ranks exactly).
     */
    static void recapsMatch(Ledger ledger, List<Recap> recaps) {
        Map<String, Recap> byLive = new HashMap<>();
        for (Recap r : recaps) {
            assertThat(byLive.put(r.live, r)).as("one recap for %s", r.live).isNull();
        }
        SoftAssertions soft = new SoftAssertions();
        int broadcasts = 0;
        for (Ledger.RoomLedger room : ledger.rooms()) {
            for (Ledger.BroadcastLedger b : room.broadcasts()) {
                broadcasts++;
                Recap r = byLive.get(b.live());
                soft.assertThat(r).as("recap of %s", b.live()).isNotNull();
                if (r == null) {
                    continue;
                }
                soft.assertThat(r.end).as("%s end", b.live()).isEqualTo(b.end());
                soft.assertThat(r.start).as("%s start", b.live()).isEqualTo(b.start());
                soft.assertThat(
                                r.last.topProducts.stream()
                                        .map(
                                                p ->
                                                        List.of(
                                                                p.sku,
                                                                p.orders,
                                                                p.paidCents,
                                                                p.refunds,
                                                                p.refundedCents,
                                                                p.gmvCents()))
                                        .toList())
                        .as("%s top products", b.live())
                        .isEqualTo(topProductRows(b));
                soft.assertThat(r.history.stream().map(c -> c.figure).toList())
                        .as("%s compared figures", b.live())
                        .containsExactlyElementsOf(b.recap().history().keySet());
                for (Comparison c : r.history) {
                    Ledger.Comparison e = b.recap().history().get(c.figure);
                    if (e == null) {
                        continue;
                    }
                    String what = b.live() + " " + c.figure;
                    ratio(soft, what + " value", e.value(), c.value);
                    ratio(soft, what + " previous", e.previous(), c.previous);
                    ratio(soft, what + " difference", e.difference(), c.difference);
                    soft.assertThat(c.rank).as(what + " rank").isEqualTo(e.rank());
                    soft.assertThat(c.of).as(what + " of").isEqualTo(e.of());
                }
            }
        }
        soft.assertThat(recaps).as("recaps").hasSize(broadcasts);
        soft.assertAll();
    }

    /** The ledger's top products, one row each: sku, orders, paid, refunds, refunded, GMV. */
    static List<List<Object>> topProductRows(Ledger.BroadcastLedger b) {
        return b.recap().topProducts().stream()
                .map(
                        p ->
                                List.<Object>of(
                                        p.sku(),
                                        p.orders(),
                                        p.paidCents(),
                                        p.refunds(),
                                        p.refundedCents(),
                                        p.gmvCents()))
                .toList();
    }

    static void onlineByMinuteMatches(Ledger ledger, List<RoomSnapshot> snapshots) {
        Map<String, RoomSnapshot> byLiveAndTs = new HashMap<>();
        for (RoomSnapshot s : snapshots) {
            if (!s.isFinal) {
                byLiveAndTs.put(s.live + "@" + s.ts, s);
            }
        }
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        for (Ledger.RoomLedger room : ledger.rooms()) {
            for (Ledger.BroadcastLedger b : room.broadcasts()) {
                for (Ledger.OnlineSample sample : b.onlineByMinute()) {
                    if (sample.ts() >= b.end()) {
                        continue; // the final snapshot stands at the end
                    }
                    RoomSnapshot s = byLiveAndTs.get(b.live() + "@" + sample.ts());
                    soft.assertThat(s).as("tick %s@%d", b.live(), sample.ts()).isNotNull();
                    if (s == null) {
                        continue;
                    }
                    checked++;
                    soft.assertThat(s.group(Group.ALL).online)
                            .as("online %s@%d", b.live(), sample.ts())
                            .isEqualTo(sample.total());
                    for (Map.Entry<String, Long> t : sample.tiers().entrySet()) {
                        soft.assertThat(s.group(group(t.getKey())).online)
                                .as("online %s %s@%d", t.getKey(), b.live(), sample.ts())
                                .isEqualTo(t.getValue());
                    }
                }
            }
        }
        soft.assertThat(checked).as("minute marks checked").isPositive();
        soft.assertAll();
    }

    private static Group group(String wireName) {
        for (Group g : Group.values()) {
            if (g.wireName().equals(wireName)) {
                return g;
            }
        }
        throw new IllegalArgumentException(wireName);
    }

    private static void figures(
            SoftAssertions soft, String what, Figures expected, GroupFigures actual, long at) {
        soft.assertThat(actual.uv).as(what + " uv").isEqualTo(expected.uv());
        soft.assertThat(actual.pv).as(what + " pv").isEqualTo(expected.pv());
        soft.assertThat(actual.pcu).as(what + " pcu").isEqualTo(expected.pcu());
        soft.assertThat(actual.online).as(what + " online at the end").isZero();
        soft.assertThat(actual.watchMs(at)).as(what + " watch_ms").isEqualTo(expected.watchMs());
        soft.assertThat(actual.interactions())
                .as(what + " interactions")
                .isEqualTo(expected.interactions());
        soft.assertThat(actual.comments).as(what + " comments").isEqualTo(expected.comments());
        soft.assertThat(actual.likes).as(what + " likes").isEqualTo(expected.likes());
        soft.assertThat(actual.shares).as(what + " shares").isEqualTo(expected.shares());
        soft.assertThat(actual.gifts).as(what + " gifts").isEqualTo(expected.gifts());
        soft.assertThat(actual.giftValueCents)
                .as(what + " gift value")
                .isEqualTo(expected.giftValueCents());
        soft.assertThat(actual.interactingViewers)
                .as(what + " interacting viewers")
                .isEqualTo(expected.interactingViewers());
        soft.assertThat(actual.sharers).as(what + " sharers").isEqualTo(expected.sharers());
        soft.assertThat(actual.follows).as(what + " follows").isEqualTo(expected.follows());
        soft.assertThat(actual.fanClubJoins)
                .as(what + " fan-club joins")
                .isEqualTo(expected.fanClubJoins());
        soft.assertThat(actual.productClicks)
                .as(what + " product clicks")
                .isEqualTo(expected.productClicks());
        soft.assertThat(actual.orders).as(what + " orders").isEqualTo(expected.orders());
        soft.assertThat(actual.buyers).as(what + " buyers").isEqualTo(expected.buyers());
        soft.assertThat(actual.repeatBuyers)
                .as(what + " repeat buyers")
                .isEqualTo(expected.repeatBuyers());
        soft.assertThat(actual.paidCents).as(what + " paid").isEqualTo(expected.paidCents());
        soft.assertThat(actual.refunds).as(what + " refunds").isEqualTo(expected.refunds());
        soft.assertThat(actual.refundedCents)
                .as(what + " refunded")
                .isEqualTo(expected.refundedCents());
        soft.assertThat(actual.gmvCents()).as(what + " GMV").isEqualTo(expected.gmvCents());
        ratio(soft, what + " avg watch", expected.avgWatchMs(), RoomMetrics.avgWatchMs(actual, at));
        ratio(
                soft,
                what + " per capita",
                expected.interactionsPerCapita(),
                RoomMetrics.perCapita(actual));
        ratio(soft, what + " conversion", expected.conversion(), RoomMetrics.conversion(actual));
        ratio(soft, what + " UV value", expected.uvValueCents(), RoomMetrics.uvValueCents(actual));
        ratio(soft, what + " GPM", expected.gpmCents(), RoomMetrics.gpmCents(actual));
        ratio(soft, what + " AOV", expected.aovCents(), RoomMetrics.aovCents(actual));
    }

    static void ratio(SoftAssertions soft, String what, Double expected, Double actual) {
        if (expected == null) {
            soft.assertThat(actual).as(what).isNull();
        } else {
            soft.assertThat(actual).as(what).isNotNull();
            if (actual != null) {
                soft.assertThat(actual)
                        .as(what)
                        .isCloseTo(expected, within(Math.max(1e-9, Math.abs(expected) * 1e-9)));
            }
        }
    }
}
