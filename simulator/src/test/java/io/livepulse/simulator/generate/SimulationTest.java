package io.livepulse.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.events.LiveEvent;
import io.livepulse.events.Rejection;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.io.Json;
import io.livepulse.simulator.ledger.Ledger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static final EventCodec CODEC = new EventCodec();

    private static SimulationOptions faulty(long seed) {
        return SimulationOptions.defaults(Profile.FLASH_SALE, seed)
                .withScale(4, 3_000, 2)
                .withFaults(0.03, 2_000, 21);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        Simulation a = Simulation.run(faulty(7));
        Simulation b = Simulation.run(faulty(7));
        Simulation c = Simulation.run(faulty(8));

        assertThat(concat(a)).isEqualTo(concat(b));
        assertThat(Json.LEDGER.writeValueAsString(a.ledger()))
                .isEqualTo(Json.LEDGER.writeValueAsString(b.ledger()));
        assertThat(a.profiles()).isEqualTo(b.profiles());

        assertThat(concat(a)).isNotEqualTo(concat(c));
        assertThat(Json.LEDGER.writeValueAsString(a.ledger()))
                .isNotEqualTo(Json.LEDGER.writeValueAsString(c.ledger()));
    }

    @Test
    void whitepaperReproducesThePublishedShapes() {
        Simulation sim = Simulation.run(SimulationOptions.defaults(Profile.WHITEPAPER, 42));
        Ledger.Summary summary = sim.ledger().summary();
        Ledger.Ratios r = summary.ratios();

        assertThat(summary.total().uv()).isGreaterThanOrEqualTo(20_000);
        assertThat(r.fanViewingRatio()).isCloseTo(0.50, within(0.02));
        assertThat(r.watchLift()).isCloseTo(5.00, within(0.30));
        assertThat(r.interactionLift()).isCloseTo(0.50, within(0.05));
        assertThat(r.fanGmvShare()).isCloseTo(0.83, within(0.02));
        assertThat(r.oldFanGmvShare()).isCloseTo(0.59, within(0.02));
    }

    @Test
    void oneHotRoomCarriesAtLeastAThirdOfTheTrafficAndTheRestFollowZipf() {
        Simulation sim = Simulation.run(SimulationOptions.defaults(Profile.STEADY, 3));
        List<Ledger.RoomLedger> rooms = sim.ledger().rooms();

        assertThat(sim.ledger().summary().hotRoomEventShare()).isGreaterThanOrEqualTo(0.30);
        assertThat(rooms.stream().mapToDouble(Ledger.RoomLedger::eventShare).sum())
                .isCloseTo(1.0, within(1e-9));
        // Zipf tail: each room after the hot one has no more traffic than the one before it.
        for (int i = 2; i < rooms.size(); i++) {
            assertThat(rooms.get(i).events()).isLessThanOrEqualTo(rooms.get(i - 1).events());
        }
    }

    @Test
    void everyEventTypeOccursAndEveryBroadcastIsFramedByStartAndEnd() {
        Simulation sim = Simulation.run(faulty(11));
        Set<String> types = new HashSet<>();
        sim.events().forEach(e -> types.add(e.type().wireName()));
        assertThat(types)
                .contains(
                        "live_start",
                        "live_end",
                        "enter",
                        "leave",
                        "comment",
                        "like",
                        "share",
                        "gift",
                        "follow",
                        "fan_club_join",
                        "product_click",
                        "order_paid",
                        "order_refunded");
        for (Ledger.RoomLedger room : sim.ledger().rooms()) {
            assertThat(room.broadcasts()).hasSize(2);
            for (Ledger.BroadcastLedger b : room.broadcasts()) {
                assertThat(b.goal().gmvCents()).isPositive();
                assertThat(b.end()).isGreaterThan(b.start());
            }
        }
        // some viewers vanish without `leave`: more enters than leaves
        long enters =
                sim.events().stream().filter(e -> e.type().wireName().equals("enter")).count();
        long leaves =
                sim.events().stream().filter(e -> e.type().wireName().equals("leave")).count();
        assertThat(leaves).isLessThan(enters);
    }

    @Test
    void theDeliveredStreamHoldsEveryEventOnceMoreTheDuplicatesAndTheMalformedRecords() {
        SimulationOptions options = faulty(5);
        Simulation sim = Simulation.run(options);
        Ledger.DeliveryStats stats = sim.ledger().delivery();

        assertThat(stats.malformed()).isEqualTo(21);
        assertThat(stats.duplicates()).isPositive();
        assertThat(stats.records())
                .isEqualTo(stats.events() + stats.duplicates() + stats.malformed());
        assertThat(stats.events()).isEqualTo(sim.events().size());

        Set<String> firstDeliveries = new HashSet<>();
        long maxTsSoFar = Long.MIN_VALUE;
        for (int i = 0; i < sim.deliveries().size(); i++) {
            Delivery d = sim.deliveries().get(i);
            DecodeResult result = CODEC.decode(d.value());
            if (d.kind() == Delivery.Kind.MALFORMED) {
                assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
                Rejection rejection = ((DecodeResult.Rejected) result).rejection();
                assertThat(rejection.reason().code()).isEqualTo(d.expectedReason());
                continue;
            }
            assertThat(result).isInstanceOf(DecodeResult.Valid.class);
            LiveEvent e = ((DecodeResult.Valid) result).event();
            if (d.kind() == Delivery.Kind.LATE) {
                continue;
            }
            if (d.kind() == Delivery.Kind.EVENT) {
                assertThat(firstDeliveries.add(e.id())).as("first delivery of %s", e.id()).isTrue();
                // bounded disorder: nothing arrives more than max-delay behind an earlier event
                maxTsSoFar = Math.max(maxTsSoFar, e.ts());
                assertThat(maxTsSoFar - e.ts()).isLessThanOrEqualTo(options.maxDelayMs());
            } else {
                assertThat(firstDeliveries).as("a duplicate follows its original").contains(e.id());
            }
        }
        assertThat(firstDeliveries).hasSize(sim.events().size());
        // every kind of malformation was injected, each at the position the ledger names
        assertThat(stats.malformedRecords().stream().map(Ledger.MalformedRecord::reason).distinct())
                .containsExactlyInAnyOrder(
                        "bad_json",
                        "not_utf8",
                        "unknown_type",
                        "missing_field",
                        "wrong_type",
                        "invalid_value",
                        "ts_in_future");
        for (Ledger.MalformedRecord m : stats.malformedRecords()) {
            byte[] raw = Base64.getDecoder().decode(m.base64());
            assertThat(sim.deliveries().get((int) m.index()).value()).isEqualTo(raw);
        }
    }

    @Test
    void lateEventsArriveFarBehindTheStreamAndChangeNoFigureOfTheLedger() throws Exception {
        Simulation without = Simulation.run(faulty(5));
        Simulation sim = Simulation.run(faulty(5).withLate(12));
        Ledger.DeliveryStats stats = sim.ledger().delivery();

        assertThat(stats.late()).isEqualTo(12);
        assertThat(stats.records())
                .isEqualTo(stats.events() + stats.duplicates() + stats.malformed() + stats.late());
        // the same events and the same figures: no figure counts a late event
        assertThat(sim.events()).isEqualTo(without.events());
        assertThat(Json.LEDGER.writeValueAsString(sim.ledger().rooms()))
                .isEqualTo(Json.LEDGER.writeValueAsString(without.ledger().rooms()));
        assertThat(Json.LEDGER.writeValueAsString(sim.ledger().summary()))
                .isEqualTo(Json.LEDGER.writeValueAsString(without.ledger().summary()));

        long maxTsSoFar = Long.MIN_VALUE;
        List<Long> lateIndexes = new ArrayList<>();
        for (int i = 0; i < sim.deliveries().size(); i++) {
            Delivery d = sim.deliveries().get(i);
            if (!(CODEC.decode(d.value()) instanceof DecodeResult.Valid valid)) {
                continue;
            }
            LiveEvent e = valid.event();
            if (d.kind() == Delivery.Kind.LATE) {
                lateIndexes.add((long) i);
                assertThat(e).isInstanceOf(LiveEvent.Like.class);
                assertThat(d.expectedReason()).isEqualTo("late_event");
                // the stream has moved on by minutes, not seconds: any watermark is past it
                assertThat(maxTsSoFar - e.ts())
                        .as("how far the stream is ahead of late event %s", e.id())
                        .isGreaterThan(DeliveryFaults.LATE_BY.toMillis() - 60_000);
            } else if (d.kind() != Delivery.Kind.MALFORMED) {
                maxTsSoFar = Math.max(maxTsSoFar, e.ts());
            }
        }
        assertThat(stats.lateRecords().stream().map(Ledger.LateRecord::index))
                .containsExactlyElementsOf(lateIndexes);
    }

    @Test
    void aBroadcastWhoseLiveEndIsLostEndsTheIdleLimitAfterItsLastEvent() {
        Simulation sim = Simulation.run(faulty(5).withLostLiveEnds(2));
        long liveEnds =
                sim.events().stream().filter(e -> e.type().wireName().equals("live_end")).count();
        assertThat(liveEnds).isEqualTo(4L * 2 - 2);
        List<Ledger.BroadcastLedger> lost =
                sim.ledger().rooms().stream()
                        .flatMap(r -> r.broadcasts().stream())
                        .filter(
                                b ->
                                        sim.events().stream()
                                                .noneMatch(
                                                        e ->
                                                                e.live().equals(b.live())
                                                                        && e.type()
                                                                                .wireName()
                                                                                .equals(
                                                                                        "live_end")))
                        .toList();
        assertThat(lost).hasSize(2);
        for (Ledger.BroadcastLedger b : lost) {
            long lastEvent =
                    sim.events().stream()
                            .filter(e -> e.live().equals(b.live()))
                            .mapToLong(LiveEvent::ts)
                            .max()
                            .orElseThrow();
            assertThat(b.end()).isEqualTo(lastEvent + 30 * 60_000);
        }
    }

    @Test
    void askingForMoreLateEventsThanTheStreamCanCarryIsAClearError() {
        SimulationOptions tooMany = faulty(5).withLate(50_000_000);
        assertThatThrownBy(() -> Simulation.run(tooMany))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Use fewer late events");
    }

    private static byte[] concat(Simulation sim) {
        int size = sim.deliveries().stream().mapToInt(d -> d.value().length + 1).sum();
        byte[] all = new byte[size];
        int at = 0;
        for (Delivery d : sim.deliveries()) {
            System.arraycopy(d.value(), 0, all, at, d.value().length);
            at += d.value().length;
            all[at++] = '\n';
        }
        return Arrays.copyOf(all, at);
    }
}
