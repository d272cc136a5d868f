package io.livepulse.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

class SnapshotPointsTest {
    private static final long TICK = 5_000;
    private static final long DETAIL_EVERY = 60_000;
    private static final InfluxSink.PointsOf<RoomSnapshot> POINTS =
            SnapshotPoints.withTierDetailEvery(TICK, DETAIL_EVERY);

    @Test
    void everyTickWritesEveryGroupOfTheRoomZerosIncludedAndTheRoomPoint() {
        List<Point> points = POINTS.apply(snapshot("room-7", 3 * TICK, false));

        Set<String> tiers = new HashSet<>();
        for (Point p : points.subList(0, Group.COUNT)) {
            assertThat(p.lineProtocol())
                    .startsWith(SnapshotPoints.TIER_MEASUREMENT + ",room=room-7,");
            tiers.add(tagOf(p, "tier"));
        }
        assertThat(tiers).hasSize(Group.COUNT);
        assertThat(points.get(Group.COUNT).lineProtocol())
                .startsWith(SnapshotPoints.ROOM_MEASUREMENT + ",room=room-7 ");
        assertThat(points).hasSize(Group.COUNT + 1);
    }

    @Test
    void eachRoomWritesEveryTierFieldAtOneTickInEachIntervalAndTheHeadlineAtTheOthers() {
        int ticksPerInterval = (int) (DETAIL_EVERY / TICK);
        for (String room : List.of("room-1", "room-2", "bench-00042", "房间-3")) {
            List<Long> detailTicks = new ArrayList<>();
            for (int k = 100; k < 100 + 3 * ticksPerInterval; k++) {
                List<Point> points = POINTS.apply(snapshot(room, k * TICK, false));
                Set<String> fields = fieldsOf(points.get(0)).keySet();
                if (fields.size() > SnapshotPoints.HEADLINE_TIER_FIELDS.size()) {
                    detailTicks.add((long) k);
                    assertThat(fields)
                            .containsExactlyInAnyOrderElementsOf(
                                    SnapshotPoints.tierFields(
                                                    snapshot(room, k * TICK, false), Group.ALL)
                                            .keySet());
                } else {
                    assertThat(fields)
                            .as(room + " at tick " + k)
                            .containsExactlyInAnyOrderElementsOf(
                                    SnapshotPoints.HEADLINE_TIER_FIELDS);
                }
                // the room point always has every field
                assertThat(fieldsOf(points.get(Group.COUNT)).keySet())
                        .containsExactlyInAnyOrderElementsOf(
                                SnapshotPoints.roomFields(snapshot(room, k * TICK, false))
                                        .keySet());
            }
            assertThat(detailTicks).as(room).hasSize(3);
            assertThat(detailTicks.get(1) - detailTicks.get(0)).isEqualTo(ticksPerInterval);
            assertThat(detailTicks.get(2) - detailTicks.get(1)).isEqualTo(ticksPerInterval);
        }
    }

    @Test
    void theRoomsTakeTurnsSoEachTickCarriesTheDetailOfAFewRooms() {
        int rooms = 1_200;
        Map<Long, Integer> detailedRooms = new TreeMap<>();
        for (long k = 0; k < DETAIL_EVERY / TICK; k++) {
            for (int r = 0; r < rooms; r++) {
                if (SnapshotPoints.everyTierFieldAt(
                        snapshot("room-" + r, k * TICK, false), TICK, DETAIL_EVERY / TICK)) {
                    detailedRooms.merge(k, 1, Integer::sum);
                }
            }
        }
        // one room in twelve on average; each tick has some, none has all
        assertThat(detailedRooms.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(rooms);
        assertThat(detailedRooms).hasSize(12);
        assertThat(detailedRooms.values()).allSatisfy(n -> assertThat(n).isBetween(50, 150));
    }

    @Test
    void theFinalSnapshotCarriesEveryFieldWhateverItsTime() {
        for (long ts = 1; ts < 40; ts++) {
            List<Point> points = POINTS.apply(snapshot("room-1", 1_000_000 + ts * 977, true));
            for (Point p : points.subList(0, Group.COUNT)) {
                assertThat(fieldsOf(p)).containsKeys("paid_cents", "refunded_cents", "likes");
            }
        }
    }

    @Test
    void theSameRoomAndTickAlwaysGiveTheSamePointsSoAReplayOverwritesThem() {
        for (long k = 0; k < 24; k++) {
            List<String> first = lines(POINTS.apply(snapshot("room-9", k * TICK, false)));
            List<String> again = lines(POINTS.apply(snapshot("room-9", k * TICK, false)));
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void theTickAsTheIntervalWritesEveryFieldAtEveryTick() {
        InfluxSink.PointsOf<RoomSnapshot> everyField =
                SnapshotPoints.withTierDetailEvery(TICK, TICK);
        for (long k = 0; k < 24; k++) {
            Point p = everyField.apply(snapshot("room-3", k * TICK, false)).get(0);
            assertThat(fieldsOf(p)).containsKeys("paid_cents", "refunded_cents", "likes");
        }
    }

    @Test
    void anIntervalThatIsNotAMultipleOfTheTickIsRefused() {
        assertThatThrownBy(() -> SnapshotPoints.withTierDetailEvery(TICK, 7_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a multiple of the tick");
        assertThatThrownBy(() -> SnapshotPoints.withTierDetailEvery(TICK, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RoomSnapshot snapshot(String room, long ts, boolean isFinal) {
        RoomSnapshot s = new RoomSnapshot();
        s.room = room;
        s.live = room + "-live-1";
        s.ts = ts;
        s.start = 0;
        s.isFinal = isFinal;
        s.groups = new GroupFigures[Group.COUNT];
        for (int g = 0; g < Group.COUNT; g++) {
            GroupFigures f = new GroupFigures();
            f.uv = 10 + g;
            f.pv = 12 + g;
            f.online = 4;
            f.pcu = 9;
            f.orders = 2;
            f.buyers = 2;
            f.paidCents = 5_000;
            s.groups[g] = f;
        }
        return s;
    }

    private static List<String> lines(List<Point> points) {
        return points.stream().map(Point::lineProtocol).toList();
    }

    private static String tagOf(Point p, String tag) {
        String head = p.lineProtocol().split(" ")[0];
        for (String part : head.split(",")) {
            if (part.startsWith(tag + "=")) {
                return part.substring(tag.length() + 1);
            }
        }
        throw new AssertionError("no tag " + tag + " in " + p.lineProtocol());
    }

    /** The point's field names and their values as line protocol writes them. */
    private static Map<String, String> fieldsOf(Point p) {
        String line = p.lineProtocol();
        // measurement,tags fields timestamp: the test's tags and string values have no spaces
        String[] parts = line.split(" ");
        Map<String, String> fields = new TreeMap<>();
        for (String kv : parts[1].split(",")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
    }
}
