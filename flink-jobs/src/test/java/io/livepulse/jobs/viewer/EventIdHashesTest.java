package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Hash64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdHashesTest {

    @Test
    void keepsTheHashesSortedAndFindsEachOne() {
        ViewerState s = new ViewerState(); // no ids before the viewer's first event
        for (String id : new String[] {"e-3", "e-1", "e-2", "room-001-live-1-0000042"}) {
            assertThat(s.hasSeen(Hash64.of(id))).isFalse();
            s.see(Hash64.of(id));
            assertThat(s.hasSeen(Hash64.of(id))).isTrue();
        }
        assertThat(s.seenCount).isEqualTo(4);
        assertThat(Arrays.copyOf(s.seenIds, s.seenCount)).isSorted();
        assertThat(s.hasSeen(Hash64.of("e-4"))).isFalse();
    }

    /**
     * One array per viewer, grown by doubling: a viewer's hundredth id makes no new array, and the
     * room to spare (zeros) is never taken for a hash.
     */
    @Test
    void theArrayGrowsInPlaceAndDoublesWhenFull() {
        ViewerState s = new ViewerState();
        Set<long[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        Random random = new Random(7);
        List<Long> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long h = random.nextLong();
            s.see(h);
            added.add(h);
            arrays.add(s.seenIds);
        }
        assertThat(arrays).as("lengths 1, 2, 4 ... 128").hasSize(8);
        assertThat(s.seenIds).hasSize(128);
        Collections.sort(added);
        assertThat(Arrays.copyOf(s.seenIds, s.seenCount))
                .containsExactly(added.stream().mapToLong(Long::longValue).toArray());
        assertThat(s.hasSeen(0)).as("a spare slot is not a hash").isFalse();
    }

    /**
     * The dedupe horizon (design rule 4): one generation on, the ids of the generation before the
     * last are forgotten and the last one's kept; two or more on, all of them. A new or restored
     * state's ids become the first generation given.
     */
    @Test
    void theIdsOfTheGenerationBeforeTheLastAreForgotten() {
        ViewerState s = new ViewerState();
        s.see(1);
        s.forgetIdsBefore(ViewerState.NO_GENERATION); // before the first watermark: nothing moves
        s.forgetIdsBefore(3);
        s.see(2);
        assertThat(s.hasSeen(1) && s.hasSeen(2))
                .as("the first generation given keeps all")
                .isTrue();

        s.forgetIdsBefore(4);
        s.see(3);
        s.forgetIdsBefore(4); // the same generation again: nothing moves
        s.forgetIdsBefore(2); // nor an earlier one
        assertThat(s.hasSeen(1) && s.hasSeen(2) && s.hasSeen(3)).isTrue();
        assertThat(s.olderCount).isEqualTo(2);

        s.forgetIdsBefore(5);
        assertThat(s.hasSeen(1) || s.hasSeen(2)).as("generation 3's forgotten").isFalse();
        assertThat(s.hasSeen(3)).as("generation 4's kept").isTrue();
        assertThat(s.seenCount).isEqualTo(1);

        s.see(4);
        s.forgetIdsBefore(7);
        assertThat(s.hasSeen(3) || s.hasSeen(4)).as("two generations on: all forgotten").isFalse();
        assertThat(s.seenIds).isNull();
        assertThat(s.seenCount).isZero();
        s.see(5);
        assertThat(s.hasSeen(5)).isTrue();
    }

    /**
     * An event still waiting for the watermark keeps its id in every generation until it is
     * applied: a repeat of it stays a duplicate however far ahead of the watermark it was.
     */
    @Test
    void theIdsOfWaitingEventsOutliveTheirGeneration() {
        ViewerState s = new ViewerState();
        EventRecord ahead = new EventRecord();
        ahead.id = "far-ahead";
        s.waiting = new ArrayList<>(List.of(ahead));
        s.see(Hash64.of("applied"));
        s.see(Hash64.of("far-ahead"));
        s.forgetIdsBefore(1);

        s.forgetIdsBefore(3); // two generations on: every id forgotten but the waiting event's
        assertThat(s.hasSeen(Hash64.of("applied"))).isFalse();
        assertThat(s.hasSeen(Hash64.of("far-ahead"))).isTrue();
        s.forgetIdsBefore(4);
        assertThat(s.seenCount).as("noted once, in the current generation").isEqualTo(1);
        assertThat(s.hasSeen(Hash64.of("far-ahead"))).isTrue();

        s.waiting = null; // applied
        s.forgetIdsBefore(6);
        assertThat(s.hasSeen(Hash64.of("far-ahead"))).isFalse();
    }

    /** A viewer who sent many ids once and few now does not keep the big array. */
    @Test
    void theArrayShrinksWhenTheIdsKeptAreFewerThanAQuarterOfIt() {
        ViewerState s = new ViewerState();
        s.forgetIdsBefore(0);
        for (long h = 1; h <= 100; h++) {
            s.see(h);
        }
        s.forgetIdsBefore(1);
        s.see(1000);
        s.see(1001);
        s.forgetIdsBefore(2); // keeps the two of generation 1
        assertThat(s.seenIds).hasSize(4);
        assertThat(Arrays.copyOf(s.seenIds, s.seenCount)).containsExactly(1000, 1001);
        assertThat(s.hasSeen(50)).isFalse();
    }

    /** Ids shaped as the simulator and the platforms send them, differing in one char or two. */
    @Test
    void noTwoOfTwoMillionEventIdsShareAHash() {
        Set<Long> hashes = new HashSet<>();
        for (int room = 1; room <= 20; room++) {
            for (int n = 0; n < 100_000; n++) {
                hashes.add(Hash64.of("room-" + room + "-live-1-" + n));
            }
        }
        assertThat(hashes).hasSize(2_000_000);
    }
}
