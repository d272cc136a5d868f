package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTimesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sharesAreTheDifferencesBetweenTwoReadingsAveragedOverTheSubtasks() {
        TaskTimes.Reading before =
                new TaskTimes.Reading(
                        Map.of("Room aggregates", new double[][] {{100, 0, 900}, {50, 0, 950}}));
        // subtask 0 then spends 1 s busy, subtask 1 0.2 s busy and 0.8 s back-pressured
        TaskTimes.Reading after =
                new TaskTimes.Reading(
                        Map.of(
                                "Room aggregates",
                                new double[][] {{1100, 0, 900}, {250, 800, 950}}));

        TaskTimes.Shares s = TaskTimes.between(before, after).get("Room aggregates");

        assertThat(s.parallelism()).isEqualTo(2);
        assertThat(s.busy()).isCloseTo(0.6, within(1e-9));
        assertThat(s.backPressured()).isCloseTo(0.4, within(1e-9));
        assertThat(s.idle()).isCloseTo(0.0, within(1e-9));
        assertThat(s.hottest()).as("the busiest subtask's busy share").isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aTaskMissingFromEitherReadingOrWithNoTimePassedIsLeftOut() {
        TaskTimes.Reading before = new TaskTimes.Reading(Map.of("a", new double[][] {{1, 2, 3}}));
        TaskTimes.Reading after =
                new TaskTimes.Reading(
                        Map.of("a", new double[][] {{1, 2, 3}}, "b", new double[][] {{5, 5, 5}}));

        assertThat(TaskTimes.between(before, after)).isEmpty();
        assertThat(TaskTimes.between(TaskTimes.Reading.NONE, after)).isEmpty();
    }

    @Test
    void totalsAreReadFromFlinksMetricsAnswerOrNotAtAll() throws Exception {
        assertThat(
                        TaskTimes.totals(
                                JSON.readTree(
                                        "[{\"id\":\"accumulateIdleTimeMs\",\"value\":\"30\"},"
                                                + "{\"id\":\"accumulateBusyTimeMs\",\"value\":\"12.5\"},"
                                                + "{\"id\":\"accumulateBackPressuredTimeMs\",\"value\":\"7\"}]")))
                .containsExactly(12.5, 7.0, 30.0);
        assertThat(
                        TaskTimes.totals(
                                JSON.readTree(
                                        "[{\"id\":\"accumulateBusyTimeMs\",\"value\":\"1\"}]")))
                .as("not reported yet")
                .isNull();
    }
}
