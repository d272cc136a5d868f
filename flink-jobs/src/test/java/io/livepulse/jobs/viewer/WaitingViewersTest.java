package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingViewersTest {
    @Test
    void theViewersAtOrBeforeTheWatermarkComeOutEarliestFirstAndTheRestStay() throws Exception {
        WaitingViewers w = new WaitingViewers();
        w.add(30, "c");
        w.add(10, "a");
        w.add(20, "b");
        w.add(10, "a2");
        List<String> due = new ArrayList<>();

        w.takeDue(20, due::add);

        assertThat(due).containsExactly("a", "a2", "b");
        w.takeDue(Long.MAX_VALUE, due::add);
        assertThat(due).as("only c stayed").containsExactly("a", "a2", "b", "c");
    }

    @Test
    void aViewerNotedAgainWhileTakenComesOutAtTheLaterWatermark() throws Exception {
        WaitingViewers w = new WaitingViewers();
        w.add(10, "a");
        List<String> due = new ArrayList<>();

        w.takeDue(
                15,
                key -> {
                    due.add(key);
                    w.add(40, key); // its next waiting event
                });
        w.takeDue(39, due::add);
        assertThat(due).containsExactly("a");

        w.takeDue(40, due::add);
        assertThat(due).containsExactly("a", "a");
        w.takeDue(Long.MAX_VALUE, due::add);
        assertThat(due).as("nothing stayed").containsExactly("a", "a");
    }
}
