package io.livepulse.jobs.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall watch on a clock moved by hand (milliseconds written as nanoseconds). */
class StallWatchTest {
    static final long MS = 1_000_000;

    final AtomicLong now = new AtomicLong(1_000 * MS);
    final StallWatch watch = new StallWatch(now::get);

    void beatAt(long ms) {
        now.set(ms * MS);
        watch.beat();
    }

    @Test
    void regularBeatsAreNoStall() {
        for (long t = 1_020; t <= 2_000; t += 20) {
            beatAt(t);
        }
        assertThat(watch.stalledSince(1_000 * MS)).isFalse();
    }

    @Test
    void aGapLongerThanTheThresholdIsAStallForWhatWasSentBeforeItEnded() {
        beatAt(1_020);
        beatAt(1_020 + StallWatch.STALL_MS + 1);
        assertThat(watch.stalledSince(1_010 * MS)).as("sent before the stall").isTrue();
        assertThat(watch.stalledSince(1_200 * MS)).as("sent during it").isTrue();
        beatAt(1_400);
        assertThat(watch.stalledSince(1_300 * MS)).as("sent after it").isFalse();
    }

    @Test
    void aGapAtTheThresholdIsNoStall() {
        beatAt(1_020);
        beatAt(1_020 + StallWatch.STALL_MS);
        assertThat(watch.stalledSince(1_010 * MS)).isFalse();
    }

    @Test
    void anOverdueBeatIsAStallAlreadyBeforeTheBeatThreadWakes() {
        beatAt(1_020);
        now.set((1_020 + StallWatch.STALL_MS + 1) * MS); // woken, the beat not run yet
        assertThat(watch.stalledSince(1_010 * MS)).isTrue();
    }

    @Test
    void theBeatThreadStopsWhenClosed() throws Exception {
        StallWatch running = new StallWatch("stall-watch-test");
        Thread beat = thread("stall-watch-test");
        assertThat(beat.isDaemon()).isTrue();
        running.close();
        beat.join(10_000);
        assertThat(beat.isAlive()).isFalse();
    }

    @Test
    void theTasksOfATaskManagerShareOneWatchUntilTheLastGivesItBack() throws Exception {
        StallWatch first = StallWatch.acquire();
        StallWatch second = StallWatch.acquire();
        assertThat(second).isSameAs(first);
        Thread beat = thread("livepulse-stall-watch");
        StallWatch.release();
        assertThat(beat.isAlive()).as("one user left").isTrue();
        StallWatch.release();
        beat.join(10_000);
        assertThat(beat.isAlive()).as("no user left").isFalse();
    }

    static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive())
                .findFirst()
                .orElseThrow();
    }
}
