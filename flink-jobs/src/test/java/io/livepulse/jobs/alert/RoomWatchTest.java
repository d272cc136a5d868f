package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each tick rule through the operator harness on a synthetic room: it fires once when its anomaly
 * comes, resolves when it is over, and stays quiet under ordinary noise.
 */
class RoomWatchTest {
    static final long TICK = 5_000;
    static final long MINUTE = 60_000;
    static final AlertRules RULES = AlertRules.from(LiveMetricsOptions.parse());

    /** A room's cumulative figures, moved tick by tick with Poisson-like noise. */
    static final class Room {
        final SplittableRandom random = new SplittableRandom(7);
        final RoomSnapshot s = new RoomSnapshot();
        long online = 400;
        double entriesPerTick = 3;
        double eventsPerTick = 40;
        double ordersPerTick = 0.25;
        double refundsPerTick = 0.02;
        double shortPerTick = 0.05;
        double unknownShare = 0;

        Room() {
            s.room = "room-1";
            s.live = "live-1";
            s.start = 0;
            s.ts = 0;
            s.groups = new GroupFigures[Group.COUNT];
            for (int i = 0; i < Group.COUNT; i++) {
                s.groups[i] = new GroupFigures();
            }
        }

        long noisy(double mean) {
            // sum of Bernoulli draws: Poisson-like noise with the given mean
            long n = 0;
            int draws = (int) Math.ceil(mean * 4) + 1;
            for (int i = 0; i < draws; i++) {
                n += random.nextDouble() < mean / draws ? 1 : 0;
            }
            return n;
        }

        /** Ends this broadcast (final snapshot) and starts the next one a minute later. */
        RoomSnapshot end() {
            s.isFinal = true;
            RoomSnapshot last = tick();
            s.isFinal = false;
            s.live = "live-" + (Integer.parseInt(s.live.substring(5)) + 1);
            s.ts += 60_000;
            s.start = s.ts;
            s.events = 0;
            s.shortSessions = 0;
            for (int i = 0; i < Group.COUNT; i++) {
                s.groups[i] = new GroupFigures();
            }
            return last;
        }

        RoomSnapshot tick() {
            GroupFigures all = s.group(Group.ALL);
            s.ts += TICK;
            long entries = noisy(entriesPerTick);
            all.pv += entries;
            all.uv += entries;
            s.group(Group.UNKNOWN).uv += Math.round(entries * unknownShare);
            int noise = (int) (online / 50) + 1; // about 2%
            all.online = online == 0 ? 0 : Math.max(0, online + random.nextInt(-noise, noise + 1));
            all.orders += noisy(ordersPerTick);
            all.refunds += noisy(refundsPerTick);
            s.shortSessions += noisy(shortPerTick);
            s.events += noisy(eventsPerTick);
            RoomSnapshot copy = new RoomSnapshot();
            copy.room = s.room;
            copy.live = s.live;
            copy.start = s.start;
            copy.ts = s.ts;
            copy.isFinal = s.isFinal;
            copy.events = s.events;
            copy.shortSessions = s.shortSessions;
            copy.groups = new GroupFigures[Group.COUNT];
            for (int i = 0; i < Group.COUNT; i++) {
                copy.groups[i] = s.groups[i].copy();
            }
            return copy;
        }
    }

    KeyedOneInputStreamOperatorTestHarness<String, RoomSnapshot, Alert> harness;
    Room room;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new RoomWatch(RULES)),
                        s -> s.room,
                        Types.STRING);
        harness.open();
        room = new Room();
    }

    void run(long forMs) throws Exception {
        run(forMs, r -> {});
    }

    void run(long forMs, Consumer<Room> eachTick) throws Exception {
        long until = room.s.ts + forMs;
        while (room.s.ts < until) {
            eachTick.accept(room);
            harness.processElement(new StreamRecord<>(room.tick()));
        }
    }

    List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    @Test
    void anOrdinaryBroadcastRaisesNoAlert() throws Exception {
        run(120 * MINUTE);
        assertThat(alerts()).isEmpty();
    }

    @Test
    void viewerCliffFiresOnceAndResolves() throws Exception {
        run(20 * MINUTE);
        room.online = 200;
        run(90_000);
        assertThat(alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind).isEqualTo(AlertKind.VIEWER_CLIFF);
                            assertThat(a.state).isEqualTo(Alert.FIRING);
                            assertThat(a.severity).isEqualTo(Alert.CRITICAL);
                            assertThat(a.baseline).isGreaterThanOrEqualTo(400);
                            assertThat(a.ts).isEqualTo(20 * MINUTE + TICK);
                        });
        run(5 * MINUTE);
        assertThat(alerts()).extracting(a -> a.state).containsExactly(Alert.FIRING, Alert.RESOLVED);
    }

    @Test
    void aSmallRoomsCliffPagesNobody() throws Exception {
        room.online = 60;
        run(20 * MINUTE);
        room.online = 25; // more than half gone, but only some 35 viewers
        run(5 * MINUTE);
        assertThat(alerts()).isEmpty();
    }

    @Test
    void gmvStallFiresAfterItsWindowWithoutOrders() throws Exception {
        run(30 * MINUTE);
        long lastOrders = room.s.group(Group.ALL).orders;
        room.ordersPerTick = 0;
        run(8 * MINUTE);
        Alert stall = alerts().get(0);
        assertThat(stall.kind).isEqualTo(AlertKind.GMV_STALL);
        assertThat(stall.value).isGreaterThanOrEqualTo(5.0);
        assertThat(stall.ts).isBetween(30 * MINUTE + 4 * MINUTE, 30 * MINUTE + 6 * MINUTE);
        assertThat(lastOrders).isPositive();
        room.ordersPerTick = 0.25;
        run(5 * MINUTE);
        assertThat(alerts()).extracting(a -> a.state).containsExactly(Alert.FIRING, Alert.RESOLVED);
    }

    @Test
    void aRoomThatRarelySellsHasNoStall() throws Exception {
        room.ordersPerTick = 0.01; // one order in 8 min
        run(120 * MINUTE);
        assertThat(alerts()).isEmpty();
    }

    @Test
    void aLullTheRoomAlwaysHasIsNoStallOnceItHasHistory() throws Exception {
        // every broadcast sells for 30 min, pauses 10 min (an intermission), sells again
        for (int broadcast = 1; broadcast <= 2; broadcast++) {
            run(30 * MINUTE);
            room.ordersPerTick = 0;
            run(10 * MINUTE);
            room.ordersPerTick = 0.25;
            run(20 * MINUTE);
            harness.processElement(new StreamRecord<>(room.end()));
        }
        // the first broadcast had no history: its lull was a stall; the second's is its habit
        assertThat(alerts())
                .extracting(a -> a.live + " " + a.kind + " " + a.state)
                .containsExactly("live-1 GMV_STALL firing", "live-1 GMV_STALL resolved");
    }

    @Test
    void refundSpikeFiresAgainstTheRoomsNorm() throws Exception {
        run(30 * MINUTE);
        room.refundsPerTick = 6;
        run(30_000);
        room.refundsPerTick = 0.02;
        run(MINUTE);
        assertThat(alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind).isEqualTo(AlertKind.REFUND_SPIKE);
                            assertThat(a.baseline).isLessThan(3.0);
                        });
    }

    @Test
    void botBurstOfShortSessionsFires() throws Exception {
        run(20 * MINUTE);
        room.shortPerTick = 10;
        room.entriesPerTick = 13;
        run(MINUTE);
        room.shortPerTick = 0.05;
        room.entriesPerTick = 3;
        run(10 * MINUTE);
        assertThat(alerts())
                .extracting(a -> a.kind + " " + a.state)
                .containsExactly("BOT_TRAFFIC firing", "BOT_TRAFFIC resolved");
    }

    @Test
    void silentRoomFiresWhenTheFeedStopsAndNotWhenTheAudienceLeaves() throws Exception {
        run(20 * MINUTE);
        room.eventsPerTick = 0;
        run(MINUTE);
        assertThat(alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind).isEqualTo(AlertKind.SILENT_ROOM);
                            assertThat(a.ts - 20 * MINUTE).isBetween(20_000L, 30_000L);
                        });

        setUp();
        run(20 * MINUTE);
        room.eventsPerTick = 0;
        room.online = 0; // everyone left: quiet is what an empty room sounds like
        room.entriesPerTick = 0;
        run(MINUTE, r -> {});
        assertThat(alerts()).extracting(a -> a.kind).doesNotContain(AlertKind.SILENT_ROOM);
    }

    @Test
    void redisFallbackFiresWhenNewViewersGetUnknownTiers() throws Exception {
        room.entriesPerTick = 8;
        run(10 * MINUTE);
        room.unknownShare = 0.5;
        run(2 * MINUTE);
        assertThat(alerts()).extracting(a -> a.kind).containsExactly(AlertKind.REDIS_FALLBACK);
    }

    @Test
    void theBroadcastsEndResolvesWhatIsFiringAndCoolDownKeepsOneIncident() throws Exception {
        run(20 * MINUTE);
        room.online = 200;
        run(3 * MINUTE);
        room.online = 400;
        run(3 * MINUTE); // back: resolved ...
        room.online = 200;
        run(3 * MINUTE); // ... and a second cliff within the cool-down stays quiet
        assertThat(alerts()).extracting(a -> a.state).containsExactly(Alert.FIRING, Alert.RESOLVED);

        room.eventsPerTick = 0;
        run(MINUTE); // the feed breaks ...
        room.s.isFinal = true;
        harness.processElement(new StreamRecord<>(room.tick())); // ... and the broadcast ends
        assertThat(alerts())
                .extracting(a -> a.kind + " " + a.state)
                .endsWith("SILENT_ROOM firing", "SILENT_ROOM resolved");
        assertThat(alerts().get(alerts().size() - 1).evidence).contains("the broadcast ended");
    }
}
