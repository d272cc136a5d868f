package io.livepulse.jobs.pacer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When the pacer asks for the next checkpoint. */
class CheckpointPacerTest {
    private static final long TICK = 5_000;
    private static final long INTERVAL = 10_000;
    private static final long AFTER = 1_500;

    @Test
    void theNextCheckpointIsTheFirstMomentPastAMultipleOfTheIntervalByTheGivenTime() {
        assertThat(CheckpointPacer.nextAt(1_000_000_000, INTERVAL, AFTER)).isEqualTo(1_000_001_500);
        assertThat(CheckpointPacer.nextAt(1_000_001_499, INTERVAL, AFTER)).isEqualTo(1_000_001_500);
        assertThat(CheckpointPacer.nextAt(1_000_009_999, INTERVAL, AFTER)).isEqualTo(1_000_011_500);
    }

    @Test
    void aMomentThatIsDueNowIsNotAskedForTwice() {
        assertThat(CheckpointPacer.nextAt(1_000_001_500, INTERVAL, AFTER)).isEqualTo(1_000_011_500);
    }

    @Test
    void everyMomentAskedForIsTheSamePointOfATick() {
        for (long now = 1_000_000_000L; now < 1_000_060_000L; now += 777) {
            long at = CheckpointPacer.nextAt(now, INTERVAL, AFTER);
            assertThat(at).isGreaterThan(now).isLessThanOrEqualTo(now + INTERVAL);
            assertThat(Math.floorMod(at, TICK)).isEqualTo(AFTER);
        }
    }

    @Test
    void aScheduleIsRefusedUnlessItsIntervalIsWholeTicksAndItsPointWithinATick() {
        assertThat(CheckpointPacer.scheduleProblem(TICK, INTERVAL, 0)).isEmpty();
        assertThat(CheckpointPacer.scheduleProblem(TICK, TICK, TICK - 1)).isEmpty();
        assertThat(CheckpointPacer.scheduleProblem(TICK, 12_500, AFTER))
                .hasValueSatisfying(p -> assertThat(p).contains("whole number of ticks"));
        assertThat(CheckpointPacer.scheduleProblem(TICK, 0, AFTER))
                .hasValueSatisfying(p -> assertThat(p).contains("whole number of ticks"));
        assertThat(CheckpointPacer.scheduleProblem(TICK, INTERVAL, TICK))
                .hasValueSatisfying(p -> assertThat(p).contains("0 to 4999 ms"));
        assertThat(CheckpointPacer.scheduleProblem(TICK, INTERVAL, -1))
                .hasValueSatisfying(p -> assertThat(p).contains("within a tick"));
        assertThat(CheckpointPacer.scheduleProblem(0, INTERVAL, AFTER))
                .hasValueSatisfying(p -> assertThat(p).contains("tick must be positive"));
    }

    @Test
    void aPacerIsNotStartedOnAScheduleThatCannotKeepItsPoint() {
        assertThatThrownBy(() -> CheckpointPacer.start(TICK, INTERVAL, TICK, () -> {}, line -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within a tick");
    }
}
