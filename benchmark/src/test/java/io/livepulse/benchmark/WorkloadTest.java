package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.events.EventType;
import io.livepulse.events.LiveEvent;
import io.livepulse.fans.FanProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    static final long T0 = 1_780_000_000_000L;
    final EventCodec codec = new EventCodec(Clock.systemUTC(), Duration.ofDays(3650));

    Workload workload() {
        return new Workload("r", 200, 0.35, 1.0, 20_000, 7);
    }

    LiveEvent decode(byte[] raw) {
        DecodeResult r = codec.decode(raw);
        assertThat(r).isInstanceOf(DecodeResult.Valid.class);
        return ((DecodeResult.Valid) r).event();
    }

    @Test
    void everyRecordIsAValidEventKeyedByItsRoomAndTheHotRoomHasItsShare() {
        Workload w = workload();
        Workload.Stream stream = w.stream("t", 1);
        int n = 200_000;
        int[] perRoom = new int[w.rooms()];
        Map<EventType, Integer> types = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Workload.Record r = stream.next(T0 + i);
            LiveEvent e = decode(r.value());
            assertThat(e.room()).isEqualTo(r.key()).isEqualTo(w.room(r.room()));
            assertThat(e.ts()).isEqualTo(r.ts());
            assertThat(ids.add(e.id())).isTrue();
            if (i < w.rooms()) {
                assertThat(e.type()).isEqualTo(EventType.LIVE_START);
            }
            perRoom[r.room()]++;
            types.merge(e.type(), 1, Integer::sum);
        }
        assertThat(perRoom[Workload.HOT] / (double) n).isCloseTo(0.35, within(0.01));
        // Zipf: the second room has about twice the third's events
        assertThat(perRoom[1] / (double) perRoom[2]).isCloseTo(2.0, within(0.15));
        assertThat(types.keySet())
                .contains(
                        EventType.ENTER,
                        EventType.LEAVE,
                        EventType.LIKE,
                        EventType.COMMENT,
                        EventType.GIFT,
                        EventType.ORDER_PAID,
                        EventType.PRODUCT_CLICK);
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        Workload.Stream a = workload().stream("t", 1);
        Workload.Stream b = workload().stream("t", 1);
        for (int i = 0; i < 5_000; i++) {
            assertThat(a.next(T0 + i).value()).isEqualTo(b.next(T0 + i).value());
        }
    }

    @Test
    void theScaleStreamEntersEveryViewerOnceAndHeartbeatsMoveNoOneOut() {
        Workload w = workload();
        Workload.Stream stream = w.stream("s", 2);
        for (int r = 0; r < w.rooms(); r++) {
            assertThat(decode(stream.enter(0, T0).value()).type()).isEqualTo(EventType.LIVE_START);
        }
        Set<String> viewers = new HashSet<>();
        for (int i = 0; i < w.viewers(); i++) {
            LiveEvent e = decode(stream.enter(i, T0 + i).value());
            assertThat(e.type()).isEqualTo(EventType.ENTER);
            assertThat(viewers.add(e.room() + "/" + e.user())).isTrue();
        }
        assertThat(viewers).hasSize(w.viewers());
        for (int i = 0; i < 1_000; i++) {
            assertThat(decode(stream.heartbeat(T0 + 60_000).value()).type())
                    .isEqualTo(EventType.LIKE);
        }
    }

    @Test
    void aboutHalfTheViewersAreFansAndEachProfileIsInTheViewersRoom() {
        Workload w = workload();
        var profiles = w.profiles(T0);
        assertThat(profiles.size() / (double) w.viewers()).isCloseTo(0.5, within(0.02));
        long trueLove =
                profiles.stream().filter(p -> p.tier() == io.livepulse.fans.Tier.TRUE_LOVE).count();
        assertThat(trueLove / (double) w.viewers()).isCloseTo(0.10, within(0.01));
        for (FanProfile p : profiles.subList(0, 100)) {
            int viewer = Integer.parseInt(p.user().substring(1));
            assertThat(p.room()).isEqualTo(w.room(w.roomOf(viewer)));
        }
    }

    @Test
    void aWorkloadWithoutRoomsOrViewersIsRefused() {
        assertThatThrownBy(() -> new Workload("r", 1, 0.35, 1.0, 10, 7))
                .hasMessageContaining("at least 2 rooms");
        assertThatThrownBy(() -> new Workload("r", 10, 1.5, 1.0, 100, 7))
                .hasMessageContaining("hot share");
    }
}
