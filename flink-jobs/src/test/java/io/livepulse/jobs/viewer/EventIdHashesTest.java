package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdHashesTest {

    @Test
    void keepsTheHashesSortedAndFindsEachOne() {
        long[] seen = null; // as the state holds it before the viewer's first event
        for (String id : new String[] {"e-3", "e-1", "e-2", "room-001-live-1-0000042"}) {
            assertThat(EventIdHashes.contains(seen, EventIdHashes.hash(id))).isFalse();
            seen = EventIdHashes.with(seen, EventIdHashes.hash(id));
            assertThat(EventIdHashes.contains(seen, EventIdHashes.hash(id))).isTrue();
        }
        assertThat(seen).hasSize(4).isSorted();
        assertThat(EventIdHashes.contains(seen, EventIdHashes.hash("e-4"))).isFalse();
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
