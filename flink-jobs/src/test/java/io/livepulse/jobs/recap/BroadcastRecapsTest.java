package io.livepulse.jobs.recap;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomSnapshot;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class BroadcastRecapsTest {

    static RoomSnapshot last(String live, long start, long paidCents, long uv, boolean isFinal) {
        RoomSnapshot s = new RoomSnapshot();
        s.room = "room-1";
        s.live = live;
        s.start = start;
        s.ts = start + 3_600_000;
        s.isFinal = isFinal;
        s.groups = new GroupFigures[Group.COUNT];
        for (int i = 0; i < Group.COUNT; i++) {
            s.groups[i] = new GroupFigures();
        }
        s.group(Group.ALL).paidCents = paidCents;
        s.group(Group.ALL).uv = uv;
        return s;
    }

    static Comparison figure(Recap r, String name) {
        return r.history.stream().filter(c -> c.figure.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void eachFinalSnapshotGetsARecapComparedWithTheRoomsEarlierBroadcasts() throws Exception {
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, RoomSnapshot, Recap>(
                        new KeyedProcessOperator<>(new BroadcastRecaps()),
                        s -> s.room,
                        Types.STRING)) {
            harness.open();
            harness.processElement(new StreamRecord<>(last("live-1", 0, 15_000, 2, true)));
            harness.processElement(new StreamRecord<>(last("live-2", 10, 500, 9, false)));
            harness.processElement(new StreamRecord<>(last("live-2", 10, 20_000, 1, true)));
            // the same broadcast ending again (a repeated live_end) replaces, never adds
            harness.processElement(new StreamRecord<>(last("live-2", 10, 20_000, 1, true)));
            harness.processElement(new StreamRecord<>(last("live-3", 20, 18_000, 2, true)));

            List<Recap> recaps = harness.extractOutputValues();
            assertThat(recaps)
                    .extracting(r -> r.live)
                    .containsExactly("live-1", "live-2", "live-2", "live-3");
            Comparison first = figure(recaps.get(0), "gmv_cents");
            assertThat(first.previous).isNull();
            assertThat(first.difference).isNull();
            assertThat(first.rank).isEqualTo(1);
            assertThat(first.of).isEqualTo(1);

            Comparison gmv = figure(recaps.get(3), "gmv_cents");
            assertThat(gmv.value).isEqualTo(18_000.0);
            assertThat(gmv.previous).isEqualTo(20_000.0);
            assertThat(gmv.difference).isEqualTo(-2_000.0);
            assertThat(gmv.rank).isEqualTo(2);
            assertThat(gmv.of).as("live-2 once, not twice").isEqualTo(3);
            Comparison uv = figure(recaps.get(3), "uv");
            assertThat(uv.rank).as("a tie with the best is still first").isEqualTo(1);
            assertThat(recaps.get(3).history)
                    .extracting(c -> c.figure)
                    .containsExactlyElementsOf(
                            HeadlineFigures.FIGURES.stream()
                                    .map(HeadlineFigures.Figure::name)
                                    .toList());
        }
    }

    @Test
    void anUndefinedFigureHasNoRankAndIsNotCountedForLaterBroadcasts() {
        Comparison none = Comparison.of("conversion", null, List.of(0.5));
        assertThat(none.rank).isNull();
        assertThat(none.difference).isNull();
        assertThat(none.of).isEqualTo(1);
        Comparison later = Comparison.of("conversion", 0.25, Arrays.asList(0.5, null));
        assertThat(later.previous).isNull();
        assertThat(later.rank).isEqualTo(2);
        assertThat(later.of).isEqualTo(2);
    }
}
