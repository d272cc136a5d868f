package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(s.hasSeen(EventIdHashes.hash(id))).isFalse();
            s.see(EventIdHashes.hash(id));
            assertThat(s.hasSeen(EventIdHashes.hash(id))).isTrue();
        }
        assertThat(s.seenCount).isEqualTo(4);
        assertThat(Arrays.copyOf(s.seenIds, s.seenCount)).isSorted();
        assertThat(s.hasSeen(EventIdHashes.hash("e-4"))).isFalse();
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

    /** Ids shaped as the simulator and the platforms send them, differing in one char or two. */
    @Test
    void noTwoOfTwoMillionEventIdsShareAHash() {
        Set<Long> hashes = new HashSet<>();
        for (int room = 1; room <= 20; room++) {
            for (int n = 0; n < 100_000; n++) {
                hashes.add(EventIdHashes.hash("room-" + room + "-live-1-" + n));
            }
        }
        assertThat(hashes).hasSize(2_000_000);
    }
}
