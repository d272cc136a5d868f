package io.livepulse.simulator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.Comment;
import io.livepulse.events.LiveEvent.Enter;
import io.livepulse.events.LiveEvent.Follow;
import io.livepulse.events.LiveEvent.Gift;
import io.livepulse.events.LiveEvent.Goal;
import io.livepulse.events.LiveEvent.Leave;
import io.livepulse.events.LiveEvent.Like;
import io.livepulse.events.LiveEvent.LiveEnd;
import io.livepulse.events.LiveEvent.LiveStart;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.events.LiveEvent.ProductClick;
import io.livepulse.events.LiveEvent.Share;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.ledger.Ledger.BroadcastLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger is the truth the job is checked against, so its definitions are checked by hand here:
 * one broadcast, six viewers, every rule of docs/metrics.md exercised once.
 */
class LedgerStoryTest {

    static final String ROOM = "room-a";
    static final String LIVE = "room-a-live-1";
    static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    static final long MIN = 60_000;
    static final long DAY = Duration.ofDays(1).toMillis();

    static BroadcastLedger broadcast;

    static long at(double minutes) {
        return T0 + Math.round(minutes * MIN);
    }

    static int seq;

    static String id() {
        return "ev-" + (++seq);
    }

    @BeforeAll
    static void replayTheStory() {
        List<LiveEvent> events = new ArrayList<>();
        events.add(new LiveStart(id(), ROOM, LIVE, T0, "host", "title", new Goal(50_000L, 2L)));
        // alice, true-love old fan who bought before: a full session with a leave.
        events.add(new Enter(id(), ROOM, LIVE, at(1), "alice", "follow_feed"));
        events.add(new Like(id(), ROOM, LIVE, at(2), "alice", 5));
        events.add(new Gift(id(), ROOM, LIVE, at(3), "alice", "rose", 100, "c1", false));
        events.add(new Gift(id(), ROOM, LIVE, at(3) + 1_000, "alice", "rose", 200, "c1", true));
        events.add(new Comment(id(), ROOM, LIVE, at(4), "alice", "好!"));
        events.add(new OrderPaid(id(), ROOM, LIVE, at(5), "alice", "o1", "sku", 1, 19_900));
        events.add(
                new ProductClick(
                        id(), ROOM, LIVE, at(12), "alice", "sku")); // keeps her session alive
        events.add(new Leave(id(), ROOM, LIVE, at(20), "alice"));
        // bob, non-fan: shares, follows, buys and gets a refund.
        events.add(new Enter(id(), ROOM, LIVE, at(2), "bob", "recommend"));
        events.add(new Share(id(), ROOM, LIVE, at(3), "bob"));
        events.add(new Follow(id(), ROOM, LIVE, at(4), "bob"));
        events.add(new OrderPaid(id(), ROOM, LIVE, at(6), "bob", "o2", "sku", 1, 9_900));
        events.add(new OrderRefunded(id(), ROOM, LIVE, at(8), "bob", "o2", 9_900));
        events.add(new Leave(id(), ROOM, LIVE, at(10), "bob"));
        events.add(new Comment(id(), ROOM, LIVE, at(61), "bob", "after the end: not counted"));
        // carol, affinity new fan: leaves, re-enters, vanishes without leave -> idle timeout.
        events.add(new Enter(id(), ROOM, LIVE, at(5), "carol", null));
        events.add(new Leave(id(), ROOM, LIVE, at(6), "carol"));
        events.add(new Enter(id(), ROOM, LIVE, at(30), "carol", null));
        events.add(new OrderPaid(id(), ROOM, LIVE, at(31), "carol", "o3", "sku", 1, 5_000));
        // dave, non-fan: enters and says nothing; the broadcast's end caps his session.
        events.add(new Enter(id(), ROOM, LIVE, at(50), "dave", null));
        // erin, passerby old fan: enters as carol leaves, then falls silent past the timeout.
        events.add(new Enter(id(), ROOM, LIVE, at(6), "erin", null));
        events.add(new Like(id(), ROOM, LIVE, at(7), "erin", 2));
        events.add(new ProductClick(id(), ROOM, LIVE, at(25), "erin", "sku"));
        events.add(new Leave(id(), ROOM, LIVE, at(26), "erin"));
        // frank, non-fan whose enter was lost by the feed: a viewer, but never online.
        events.add(new Comment(id(), ROOM, LIVE, at(15), "frank", "hi"));
        events.add(new OrderPaid(id(), ROOM, LIVE, at(16), "frank", "o4", "sku", 1, 1_000));
        events.add(new LiveEnd(id(), ROOM, LIVE, at(60)));

        List<FanProfile> profiles =
                List.of(
                        new FanProfile(
                                ROOM,
                                "alice",
                                Tier.TRUE_LOVE,
                                T0 - 60 * DAY,
                                true,
                                95,
                                T0 - 10 * DAY),
                        new FanProfile(ROOM, "carol", Tier.AFFINITY, T0 - 5 * DAY, false, 60, null),
                        new FanProfile(
                                ROOM, "erin", Tier.PASSERBY, T0 - 40 * DAY, false, 30, null));
        events.sort(Comparator.comparingLong(LiveEvent::ts));
        SimulationOptions options =
                SimulationOptions.defaults(Profile.WHITEPAPER, 1); // 10 min idle, 30 d
        Ledger ledger = LedgerBuilder.build(options, events, profiles, List.of(), List.of());
        broadcast = ledger.rooms().get(0).broadcasts().get(0);
    }

    @Test
    void sessionsFollowTheRules() {
        var t = broadcast.tiers();
        assertThat(t.get("true_love").watchMs()).isEqualTo(19 * MIN); // enter 1 -> leave 20
        assertThat(t.get("affinity").watchMs())
                .isEqualTo(1 * MIN + 11 * MIN); // 5-6, then 30 -> 31 + 10 idle
        assertThat(t.get("passerby").watchMs())
                .isEqualTo(11 * MIN); // 6 -> 7 + 10 idle; later events do not reopen
        assertThat(t.get("non_fan").watchMs())
                .isEqualTo(8 * MIN + 10 * MIN); // bob 2-10, dave 50 -> end 60, frank 0
        assertThat(broadcast.total().pv()).isEqualTo(6);
        assertThat(broadcast.total().uv()).isEqualTo(6);
        assertThat(t.get("affinity").pv()).isEqualTo(2);
        assertThat(t.get("unknown").uv()).isZero();
    }

    @Test
    void peakCountsACloseBeforeAnOpenAtTheSameInstant() {
        // At minute 6 carol leaves as erin enters: 3 online, never 4.
        assertThat(broadcast.pcu()).isEqualTo(3);
        assertThat(broadcast.pcuAt()).isEqualTo(at(5));
        assertThat(broadcast.onlineByMinute())
                .filteredOn(s -> s.ts() == at(10))
                .singleElement()
                .satisfies(s -> assertThat(s.total()).isEqualTo(2)); // bob left at 10: [2, 10)
        assertThat(broadcast.onlineByMinute())
                .filteredOn(s -> s.ts() == at(55))
                .singleElement()
                .satisfies(s -> assertThat(s.tiers()).containsEntry("non_fan", 1L));
        assertThat(broadcast.onlineByMinute()).hasSize(61); // minute marks 0..60
    }

    @Test
    void interactionsCountLikesByCountAndACombinationOnce() {
        var alice = broadcast.tiers().get("true_love");
        assertThat(alice.likes()).isEqualTo(5);
        assertThat(alice.gifts()).isEqualTo(1);
        assertThat(alice.giftValueCents()).isEqualTo(200);
        assertThat(alice.interactions()).isEqualTo(5 + 1 + 1);
        assertThat(broadcast.tiers().get("non_fan").interactions())
                .isEqualTo(2); // bob's share, frank's comment
        assertThat(broadcast.total().comments())
                .isEqualTo(2); // bob's comment after the end is not counted
    }

    @Test
    void moneyIsPaidMinusRefundedInCents() {
        var total = broadcast.total();
        assertThat(total.paidCents()).isEqualTo(19_900 + 9_900 + 5_000 + 1_000);
        assertThat(total.refundedCents()).isEqualTo(9_900);
        assertThat(total.gmvCents()).isEqualTo(25_900);
        assertThat(total.orders()).isEqualTo(4);
        assertThat(total.buyers()).isEqualTo(4);
        assertThat(total.repeatBuyers()).isEqualTo(1);
        assertThat(broadcast.tiers().get("non_fan").gmvCents()).isEqualTo(1_000);
        assertThat(total.aovCents()).isCloseTo(25_900 / 4.0, within(1e-9));
        assertThat(total.gpmCents()).isCloseTo(25_900 * 1000.0 / 6, within(1e-9));
        assertThat(total.uvValueCents()).isCloseTo(25_900 / 6.0, within(1e-9));
        assertThat(total.conversion()).isCloseTo(4 / 6.0, within(1e-12));
    }

    @Test
    void headlineRatiosCompareFansWithNonFans() {
        var r = broadcast.ratios();
        assertThat(r.fanViewingRatio()).isCloseTo(3 / 6.0, within(1e-12));
        // fans average (19 + 12 + 11) / 3 = 14 min, non-fans (8 + 10 + 0) / 3 = 6 min
        assertThat(r.watchLift()).isCloseTo(14.0 / 6.0 - 1, within(1e-12));
        // fans 9 interactions / 3, non-fans 2 / 3
        assertThat(r.interactionLift()).isCloseTo(3.0 / (2.0 / 3) - 1, within(1e-12));
        assertThat(r.fanGmvShare()).isCloseTo(24_900 / 25_900.0, within(1e-12));
        // old fans: alice (60 days) and erin (40 days); carol followed 5 days ago
        assertThat(r.oldFanGmvShare()).isCloseTo(19_900 / 25_900.0, within(1e-12));
        assertThat(broadcast.oldFans().uv()).isEqualTo(2);
    }

    @Test
    void funnelAndGoal() {
        var f = broadcast.funnel();
        assertThat(f.newViewers()).isEqualTo(3);
        assertThat(f.follows()).isEqualTo(1);
        assertThat(f.fanClubJoins()).isZero();
        assertThat(f.interactingViewers()).isEqualTo(4); // alice, bob, erin, frank
        assertThat(f.buyers()).isEqualTo(4);
        assertThat(f.repeatBuyers()).isEqualTo(1);
        assertThat(f.sharers()).isEqualTo(1);
        assertThat(broadcast.goal().gmvProgress()).isCloseTo(25_900 / 50_000.0, within(1e-12));
        assertThat(broadcast.goal().newFansProgress()).isCloseTo(0.5, within(1e-12));
        assertThat(broadcast.durationMs()).isEqualTo(60 * MIN);
    }

    @Test
    void ratiosWithAnEmptyDenominatorAreNull() {
        Figures nobody = Figures.of(List.of());
        assertThat(nobody.avgWatchMs()).isNull();
        assertThat(nobody.conversion()).isNull();
        assertThat(nobody.aovCents()).isNull();
        assertThat(nobody.gpmCents()).isNull();
        assertThat(broadcast.tiers().get("unknown").interactionsPerCapita()).isNull();
    }
}
