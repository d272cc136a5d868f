package io.livepulse.benchmark;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The highest open-loop rate the full job keeps up with, live: with the producer and Kafka's writes
 * on the same two cores, which a drain of a pre-filled topic does not have. The latency phase's
 * loads are shares of it, so "50% load" is half of what the stack sustains as a live stack, not
 * half of a drain rate it cannot hold once the events arrive as they happen.
 *
 * <p>The search starts at {@value #FIRST_SHARE} of the drain rate and goes up by a factor {@value
 * #FACTOR} while each step keeps up (down by it while none has), and stops at the first step that
 * turns the answer around; the sustained rate is the highest step that kept up. A step keeps up
 * when, over its measured window, the producer kept its pace (at least {@value #MIN_PACE} of the
 * rate), the job took the events at a rate that left at most {@value #SLACK_S} s of the step's
 * traffic behind (the backlog grew by no more) and no checkpoint failed.
 *
 * <p>The steps follow one another on one job, so the first also carries the job's cold start (its
 * code, an empty fan-tier cache, a Redis lookup for each viewer). A first step that falls behind is
 * held once more before the search goes down: in run E1 the first step, 20,202 events/s, ended 1.8
 * s of traffic behind and the search settled on 16,835, while the next run's job kept up with
 * 17,417 and 20,900 on the way up (docs/benchmarks.md).
 */
final class LiveRateSearch {
    static final double FIRST_SHARE = 0.3;
    static final double FACTOR = 1.2;
    static final int MAX_STEPS = 8;
    static final double MIN_PACE = 0.95;
    static final double SLACK_S = 1.0;

    /**
     * One step: an open-loop rate held for a warm-up and a measured window.
     *
     * @param sent records sent in the measured window
     * @param consumedRate records per second the job's source handed on in it
     * @param coresUsed each process's CPU seconds in the window per second of it
     */
    record Step(
            double targetRate,
            double seconds,
            long sent,
            double consumedRate,
            long checkpointsFailed,
            Map<String, Double> coresUsed) {

        @JsonProperty
        double sentRate() {
            return sent / seconds;
        }

        /** What the backlog grew by in the window, in seconds of the step's traffic. */
        @JsonProperty
        double backlogGrowthSeconds() {
            return (sentRate() - consumedRate) * seconds / targetRate;
        }

        @JsonProperty
        boolean keptUp() {
            return shortfalls().isEmpty();
        }

        /**
         * "kept up", or each reason it did not: a producer short of its pace is the harness's
         * limit, not the job's, and the rate was not offered.
         */
        String verdict() {
            List<String> reasons = shortfalls();
            return reasons.isEmpty() ? "kept up" : String.join("; ", reasons);
        }

        /** Why the step did not keep up: each rule of keeping up, said once; empty if it did. */
        private List<String> shortfalls() {
            List<String> reasons = new ArrayList<>();
            if (sentRate() < MIN_PACE * targetRate) {
                reasons.add(
                        String.format(
                                "the producer fell short (sent %.0f%% of the rate)",
                                100 * sentRate() / targetRate));
            }
            if (backlogGrowthSeconds() > SLACK_S) {
                reasons.add("the job fell behind");
            }
            if (checkpointsFailed > 0) {
                reasons.add(checkpointsFailed + " checkpoint(s) failed");
            }
            return reasons;
        }
    }

    /** Holds one rate for a step and measures it. */
    interface StepRunner {
        Step run(double rate) throws Exception;
    }

    /**
     * @param sustainedRate the highest rate that kept up, or, when none did, the lowest tried (the
     *     report says so: {@link #found}), or the rate given by --live-rate
     * @param found a step kept up at the sustained rate, or the rate was given
     */
    record Result(double drainRate, List<Step> steps, double sustainedRate, boolean found) {

        /** A rate given by the run's settings (--live-rate): nothing searched. */
        static Result given(double drainRate, double rate) {
            return new Result(drainRate, List.of(), rate, true);
        }

        /** The rate was given, not searched for: a search runs at least one step. */
        boolean given() {
            return steps.isEmpty();
        }
    }

    private LiveRateSearch() {}

    static Result search(double drainRate, StepRunner runner) throws Exception {
        List<Step> steps = new ArrayList<>();
        double rate = drainRate * FIRST_SHARE;
        double best = 0;
        boolean someFailed = false;
        while (steps.size() < MAX_STEPS) {
            Step step = runner.run(rate);
            steps.add(step);
            if (steps.size() == 1 && !step.keptUp()) {
                // the first step carries the new job's cold start: held once more before it counts
                step = runner.run(rate);
                steps.add(step);
            }
            if (step.keptUp()) {
                best = Math.max(best, rate);
                // a drain has no producer beside it: live, the job cannot be faster
                if (someFailed || rate * FACTOR > drainRate) {
                    break;
                }
                rate *= FACTOR;
            } else {
                someFailed = true;
                if (best > 0) {
                    break;
                }
                rate /= FACTOR;
            }
        }
        if (best > 0) {
            return new Result(drainRate, steps, best, true);
        }
        double lowest = steps.stream().mapToDouble(Step::targetRate).min().orElseThrow();
        return new Result(drainRate, steps, lowest, false);
    }
}
