package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the search for the live rate walks its steps, and what counts as keeping up. */
class LiveRateSearchTest {
    private static final double DRAIN = 50_000;

    /** A stack that keeps up with any rate up to {@code capacity}, and falls behind above it. */
    private static LiveRateSearch.StepRunner stackHolding(double capacity, List<Double> tried) {
        return rate -> {
            tried.add(rate);
            long sent = Math.round(rate * 30);
            double consumedRate = Math.min(rate, capacity);
            return new LiveRateSearch.Step(rate, 30, sent, consumedRate, 0, Map.of());
        };
    }

    @Test
    void goesUpUntilAStepFallsBehindAndKeepsTheLastThatKeptUp() throws Exception {
        List<Double> tried = new ArrayList<>();
        LiveRateSearch.Result r = LiveRateSearch.search(DRAIN, stackHolding(22_000, tried));

        // 15,000, 18,000, 21,600 keep up; 25,920 falls behind (by 3,920/s: 4.5 s of traffic)
        assertThat(tried).hasSize(4);
        assertThat(tried.get(0)).isEqualTo(DRAIN * LiveRateSearch.FIRST_SHARE);
        assertThat(r.found()).isTrue();
        assertThat(r.sustainedRate()).isCloseTo(21_600, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.steps())
                .extracting(LiveRateSearch.Step::keptUp)
                .containsExactly(true, true, true, false);
    }

    @Test
    void goesDownWhileNoStepKeepsUpAndStopsAtTheFirstThatDoes() throws Exception {
        List<Double> tried = new ArrayList<>();
        LiveRateSearch.Result r = LiveRateSearch.search(DRAIN, stackHolding(11_000, tried));

        // 15,000 falls behind twice (the first step is held again), 12,500 falls behind, 10,417
        // keeps up
        assertThat(tried)
                .extracting(rate -> Math.round(rate))
                .containsExactly(15_000L, 15_000L, 12_500L, 10_417L);
        assertThat(r.found()).isTrue();
        assertThat(r.sustainedRate())
                .isCloseTo(15_000 / 1.44, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aFirstStepThatFallsBehindIsHeldOnceMoreBeforeTheSearchGoesDown() throws Exception {
        // a job that takes 90% of the first step's rate while it starts cold, then holds 22,000
        List<Double> tried = new ArrayList<>();
        LiveRateSearch.StepRunner warm = stackHolding(22_000, tried);
        LiveRateSearch.Result r =
                LiveRateSearch.search(
                        DRAIN,
                        rate -> {
                            if (!tried.isEmpty()) {
                                return warm.run(rate);
                            }
                            tried.add(rate);
                            return new LiveRateSearch.Step(
                                    rate, 30, Math.round(rate * 30), rate * 0.9, 0, Map.of());
                        });

        assertThat(tried)
                .extracting(rate -> Math.round(rate))
                .containsExactly(15_000L, 15_000L, 18_000L, 21_600L, 25_920L);
        assertThat(r.steps())
                .extracting(LiveRateSearch.Step::keptUp)
                .containsExactly(false, true, true, true, false);
        assertThat(r.sustainedRate()).isCloseTo(21_600, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void neverTriesMoreThanTheDrainRateNorMoreThanItsSteps() throws Exception {
        List<Double> fast = new ArrayList<>();
        LiveRateSearch.Result up = LiveRateSearch.search(DRAIN, stackHolding(1e9, fast));
        assertThat(fast).allSatisfy(rate -> assertThat(rate).isLessThanOrEqualTo(DRAIN));
        assertThat(up.sustainedRate()).isGreaterThan(DRAIN / LiveRateSearch.FACTOR);

        List<Double> stuck = new ArrayList<>();
        LiveRateSearch.Result none = LiveRateSearch.search(DRAIN, stackHolding(0, stuck));
        assertThat(stuck).hasSize(LiveRateSearch.MAX_STEPS);
        assertThat(none.found()).isFalse();
        assertThat(none.sustainedRate()).isEqualTo(stuck.get(stuck.size() - 1));
    }

    @Test
    void aStepKeepsUpOnlyWithItsPaceItsBacklogAndItsCheckpoints() {
        // 10,000/s for 30 s: 300,000 sent
        assertThat(new LiveRateSearch.Step(10_000, 30, 300_000, 9_700, 0, Map.of()).keptUp())
                .as("the backlog grew by 0.9 s of traffic")
                .isTrue();
        assertThat(new LiveRateSearch.Step(10_000, 30, 300_000, 9_630, 0, Map.of()).keptUp())
                .as("the backlog grew by 1.1 s of traffic")
                .isFalse();
        assertThat(new LiveRateSearch.Step(10_000, 30, 270_000, 9_000, 0, Map.of()).keptUp())
                .as("the producer sent 90% of its pace: the rate was not offered")
                .isFalse();
        assertThat(new LiveRateSearch.Step(10_000, 30, 300_000, 10_000, 1, Map.of()).keptUp())
                .as("a checkpoint failed")
                .isFalse();
    }

    @Test
    void aStepThatDidNotKeepUpSaysWhyTheProducerTheJobOrACheckpoint() {
        assertThat(new LiveRateSearch.Step(10_000, 30, 300_000, 9_700, 0, Map.of()).verdict())
                .isEqualTo("kept up");
        assertThat(new LiveRateSearch.Step(10_000, 30, 270_000, 9_000, 0, Map.of()).verdict())
                .isEqualTo("the producer fell short (sent 90% of the rate)");
        assertThat(new LiveRateSearch.Step(10_000, 30, 300_000, 9_630, 2, Map.of()).verdict())
                .isEqualTo("the job fell behind; 2 checkpoint(s) failed");
    }

    @Test
    void theReportShowsEveryStepAndTheRateTheLoadsAreSharesOf() throws Exception {
        Report report = new Report(Settings.full(Path.of("target", "live-rate-test")));
        report.liveRate(LiveRateSearch.search(DRAIN, stackHolding(22_000, new ArrayList<>())));

        assertThat(report.markdown())
                .contains("## Live rate")
                .contains("**21,600 events/s** (0.43 of the full job's drain rate, 50,000")
                .contains("| 25,920 | 25,920 | 22,000 | +4.5 | 0 | no: the job fell behind |");
    }

    @Test
    void aGivenRateIsReportedAsGivenWithNoStepsAndTheLoadsAreSharesOfIt() {
        Report report = new Report(Settings.full(Path.of("target", "live-rate-test")));
        report.liveRate(LiveRateSearch.Result.given(DRAIN, 40_000));

        assertThat(report.liveRate().sustainedRate()).isEqualTo(40_000);
        assertThat(report.markdown())
                .contains("## Live rate: given, not searched for")
                .contains("**40,000 events/s** (--live-rate; 0.80 of the full job's drain rate")
                .doesNotContain("| rate, events/s |");
    }
}
