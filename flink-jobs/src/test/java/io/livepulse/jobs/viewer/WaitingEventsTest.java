package io.livepulse.jobs.viewer;

import static io.livepulse.jobs.Story.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.records.EventRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitingEventsTest {
    final WaitingEvents waiting = new WaitingEvents();
    final List<String> out = new ArrayList<>();

    void take(long watermark) throws Exception {
        waiting.takeDue(watermark, (key, e) -> out.add(key + ":" + e.id));
    }

    static EventRecord at(long ts, String id) {
        return comment("u").id(id).at(ts);
    }

    @Test
    void eventsComeOutInTimeAndIdOrderWhateverOrderTheyCameIn() throws Exception {
        waiting.add("b", at(120, "e-5")); // a later span, noted first
        waiting.add("a", at(30, "e-2"));
        waiting.add("b", at(10, "e-4"));
        waiting.add("a", at(30, "e-1")); // same instant: by id
        waiting.add("c", at(60, "e-3"));

        take(120);

        assertThat(out).containsExactly("b:e-4", "a:e-1", "a:e-2", "c:e-3", "b:e-5");
        assertThat(waiting.size()).isZero();
    }

    @Test
    void theEventsOfTheSpanTheWatermarkFallsInThatAreNotDueStay() throws Exception {
        waiting.add("a", at(40, "late-in-span"));
        waiting.add("a", at(10, "early-in-span"));
        waiting.add("b", at(70, "next-span"));

        take(20);
        assertThat(out).containsExactly("a:early-in-span");
        assertThat(waiting.size()).isEqualTo(2);

        take(39);
        assertThat(out).as("nothing more is due").hasSize(1);
        take(Long.MAX_VALUE);
        assertThat(out).containsExactly("a:early-in-span", "a:late-in-span", "b:next-span");
    }

    @Test
    void eventsBeforeTheEpochAndFarApartAreKeptTooAndForEachSeesThemAll() throws Exception {
        waiting.add("a", at(-75, "before-1970"));
        waiting.add("b", at(3_600_000, "an-hour-on"));
        for (int i = 0; i < 100; i++) { // more than a span's first arrays hold
            waiting.add("c", at(1_000, String.format("c-%03d", i)));
        }

        Map<String, List<EventRecord>> byViewer = waiting.byViewer();
        assertThat(byViewer.get("a")).extracting(e -> e.id).containsExactly("before-1970");
        assertThat(byViewer.get("c")).hasSize(100);
        assertThat(waiting.size()).as("seeing them forgets none").isEqualTo(102);

        take(-75);
        assertThat(out).containsExactly("a:before-1970");
        take(1_000);
        assertThat(out).hasSize(101).last().isEqualTo("c:c-099");
        assertThat(waiting.byViewer()).containsOnlyKeys("b");
    }
}
