package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongCountsTest {
    @Test
    void agreesWithAMapThroughAddsAndRemovalsThatCollide() {
        Random random = new Random(7);
        // keys that share slots: small numbers run into each other, i << 32 | i all hash to 0,
        // and zero and negative numbers are keys like any other
        long[] universe = new long[300];
        for (int i = 0; i < universe.length; i++) {
            universe[i] = i % 3 == 0 ? i : i % 3 == 1 ? ((long) i << 32) | i : -i;
        }
        LongCounts counts = new LongCounts();
        Map<Long, Integer> truth = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long key = universe[random.nextInt(step < 100_000 ? universe.length : 40)];
            int now = truth.getOrDefault(key, 0);
            int delta = now > 0 && random.nextBoolean() ? -1 - random.nextInt(now) : 1;
            int expected = now + delta;
            assertThat(counts.add(key, delta)).isEqualTo(expected);
            if (expected == 0) {
                truth.remove(key);
            } else {
                truth.put(key, expected);
            }
            if (step % 1_000 == 0) {
                for (long k : universe) {
                    assertThat(counts.get(k))
                            .as("count of %d", k)
                            .isEqualTo(truth.getOrDefault(k, 0));
                }
            }
        }
        assertThat(counts.size()).isEqualTo(truth.size());
        Map<Long, Integer> listed = new HashMap<>();
        counts.forEach(listed::put);
        assertThat(listed).isEqualTo(truth);
    }

    @Test
    void takingAwayWhatWasNeverAddedIsRefused() {
        LongCounts counts = new LongCounts();
        counts.add(7, 2);
        assertThatThrownBy(() -> counts.add(7, -3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taken away more than added");
        assertThatThrownBy(() -> counts.add(8, -1)).isInstanceOf(IllegalStateException.class);
        assertThat(counts.get(7)).isEqualTo(2);
        assertThat(counts.size()).isEqualTo(1);
    }
}
