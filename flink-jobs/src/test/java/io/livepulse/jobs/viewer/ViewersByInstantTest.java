package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both uses: the deadlines in spans of a second, the waiting viewers in spans of 50 ms. */
class ViewersByInstantTest {
    final ViewersByInstant deadlines = new ViewersByInstant(ViewersByInstant.DEADLINE_SPAN_MS);
    final List<String> out = new ArrayList<>();

    /** The key of user {@code name}, whose name the test can tell from it again. */
    static ViewerKey k(String name) {
        return ViewerKey.of("room-1", name);
    }

    static String name(ViewerKey key) {
        return NAMES.get(key);
    }

    static final Map<ViewerKey, String> NAMES = new HashMap<>();

    static {
        for (String n :
                List.of(
                        "a",
                        "b",
                        "c",
                        "d",
                        "a2",
                        "b2",
                        "n",
                        "m",
                        "late-in-the-second",
                        "early-in-the-second")) {
            NAMES.put(k(n), n);
        }
    }

    void take(long watermark) throws Exception {
        deadlines.takeDue(watermark, (key, t) -> out.add(name(key) + "@" + t));
    }

    @Test
    void theDeadlinesAtOrBeforeTheWatermarkComeOutAndTheRestOfTheirSecondStays() throws Exception {
        deadlines.add(1_500, k("a"));
        deadlines.add(1_200, k("b"));
        deadlines.add(2_500, k("c"));
        deadlines.add(1_999, k("d"));

        take(1_499);
        assertThat(out).containsExactly("b@1200");
        assertThat(deadlines.size()).isEqualTo(3);

        take(1_500);
        assertThat(out).containsExactly("b@1200", "a@1500");

        take(2_499);
        assertThat(out).containsExactly("b@1200", "a@1500", "d@1999");

        take(Long.MAX_VALUE);
        assertThat(out).containsExactly("b@1200", "a@1500", "d@1999", "c@2500");
        assertThat(deadlines.size()).isZero();
    }

    @Test
    void aDeadlineNotedWhileTheyComeOutComesOutInTheSameCallIfTheWatermarkHasPassedIt()
            throws Exception {
        deadlines.add(1_000, k("a"));
        deadlines.add(1_300, k("b"));

        deadlines.takeDue(
                5_000,
                (key, t) -> {
                    out.add(name(key) + "@" + t);
                    if (key.equals(k("a")) && t == 1_000) {
                        deadlines.add(1_100, k("a")); // the same second, after the watermark
                    } else if (key.equals(k("a")) && t == 1_100) {
                        deadlines.add(4_000, k("a")); // a later second
                    } else if (key.equals(k("a"))) {
                        deadlines.add(6_000, k("a")); // beyond the watermark
                    }
                });

        assertThat(out).containsExactlyInAnyOrder("a@1000", "b@1300", "a@1100", "a@4000");
        assertThat(out.indexOf("a@1100")).isGreaterThan(out.indexOf("a@1000"));
        assertThat(deadlines.size()).as("the one beyond the watermark").isEqualTo(1);
        take(6_000);
        assertThat(out).endsWith("a@6000");
    }

    @Test
    void aSecondNotYetOverKeepsWhatWasNotedInItMeanwhile() throws Exception {
        deadlines.add(1_900, k("late-in-the-second"));
        deadlines.takeDue(
                1_500, (key, t) -> out.add(name(key))); // nothing due: the second is not over
        deadlines.add(1_100, k("early-in-the-second"));

        take(1_500);

        assertThat(out).containsExactly("early-in-the-second@1100");
        assertThat(deadlines.size()).isEqualTo(1);
        take(1_900);
        assertThat(out).endsWith("late-in-the-second@1900");
    }

    @Test
    void instantsBeforeTheEpochFallInTheirOwnSecond() throws Exception {
        deadlines.add(-1_500, k("n"));
        deadlines.add(-500, k("m"));

        take(-1_500);

        assertThat(out).containsExactly("n@-1500");
        take(-1);
        assertThat(out).containsExactly("n@-1500", "m@-500");
    }

    @Test
    void waitingViewersComeOutSpanBySpanAndTheOnesNotYetDueStay() throws Exception {
        ViewersByInstant waiting = new ViewersByInstant(ViewersByInstant.WAITING_SPAN_MS);
        waiting.add(130, k("c"));
        waiting.add(10, k("a"));
        waiting.add(60, k("b"));
        waiting.add(20, k("a2"));
        waiting.add(70, k("b2"));

        waiting.takeDue(60, (key, t) -> out.add(name(key) + "@" + t));

        assertThat(out)
                .as("the first span in the order noted, then what of the second is due")
                .containsExactly("a@10", "a2@20", "b@60");
        assertThat(waiting.size()).isEqualTo(2);
        waiting.takeDue(Long.MAX_VALUE, (key, t) -> out.add(name(key) + "@" + t));
        assertThat(out).containsExactly("a@10", "a2@20", "b@60", "b2@70", "c@130");
        assertThat(waiting.size()).isZero();
    }

    @Test
    void aWaitingViewerNotedAgainWhileTakenComesOutAtTheLaterWatermark() throws Exception {
        ViewersByInstant waiting = new ViewersByInstant(ViewersByInstant.WAITING_SPAN_MS);
        waiting.add(10, k("a"));

        waiting.takeDue(
                15,
                (key, t) -> {
                    out.add(name(key) + "@" + t);
                    waiting.add(40, key); // its next waiting event, in the same span
                });
        waiting.takeDue(39, (key, t) -> out.add(name(key) + "@" + t));
        assertThat(out).containsExactly("a@10");

        waiting.takeDue(40, (key, t) -> out.add(name(key) + "@" + t));
        assertThat(out).containsExactly("a@10", "a@40");
        assertThat(waiting.size()).as("nothing stayed").isZero();
    }
}
