package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepulse.jobs.pacer.CheckpointPacer;
import io.livepulse.testkit.NativeStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint pacer beside a real Flink cluster (scripts/stack.sh pace): while it runs, the
 * job's checkpoints are the ones it asks for, at its point after a tick's end; when it stops, the
 * job's own schedule (the fallback it was submitted with) takes over.
 */
class PacedCheckpointsTest {
    static final long TICK_MS = 5_000;
    static final long INTERVAL_MS = 5_000;
    static final long AFTER_TICK_MS = 1_000;

    @TempDir Path dir;

    record Checkpoint(long id, long triggerMs) {
        long afterTickMs() {
            return Math.floorMod(triggerMs, TICK_MS);
        }
    }

    @Test
    void whilePacedTheCheckpointsFollowTheTickAndWhenThePacerStopsTheJobsOwnResume()
            throws Exception {
        NativeStack stack = new NativeStack(dir);
        try {
            NativeStack.Run up = stack.run(300, "up");
            assertThat(up.code()).as(up.output()).isZero();
            List<String> args = new ArrayList<>(CheckpointPacer.jobArgs(INTERVAL_MS));
            String jobId = stack.submit(args.toArray(String[]::new));
            stack.awaitAllTasksRunning(jobId, Duration.ofMinutes(2));

            NativeStack.Run pace =
                    stack.run(
                            60,
                            "pace",
                            "--job-id",
                            jobId,
                            "--interval-ms",
                            Long.toString(INTERVAL_MS),
                            "--after-tick-ms",
                            Long.toString(AFTER_TICK_MS),
                            "--status-every-s",
                            "5");
            assertThat(pace.code()).as(pace.output()).isZero();
            long pacedFrom = System.currentTimeMillis();
            // six of the pacer's; Flink's own are due every 10 s but wait 10 s after the last
            // completed one, so none of them comes while the pacer's complete every 5 s
            List<Checkpoint> paced =
                    awaitCompleted(
                            stack, jobId, pacedFrom + INTERVAL_MS, 6, Duration.ofSeconds(90));
            List<Long> phases = paced.stream().map(Checkpoint::afterTickMs).sorted().toList();
            assertThat(phases.get(phases.size() / 2))
                    .as("the median point of a tick at which they were triggered, of %s", phases)
                    .isBetween(AFTER_TICK_MS, AFTER_TICK_MS + 999);
            assertThat(stack.log("checkpoint-pacer")).contains("pacing job " + jobId);

            NativeStack.Run stop = stack.run(30, "pace-stop");
            assertThat(stop.code()).as(stop.output()).isZero();
            long stoppedAt = System.currentTimeMillis();
            // Flink's own: within two of the pacer's intervals after its last, then every two
            List<Checkpoint> own =
                    awaitCompleted(stack, jobId, stoppedAt, 2, Duration.ofSeconds(60));
            assertThat(own.get(1).triggerMs() - own.get(0).triggerMs())
                    .as("the fallback's interval")
                    .isGreaterThanOrEqualTo(2 * INTERVAL_MS - 500);
            assertThat(stack.log("checkpoint-pacer")).contains("stopping:");
            assertThat(stack.restarts(jobId)).as("restarts").isZero();
        } finally {
            NativeStack.Run down = stack.run(120, "down");
            assertThat(down.code()).as(down.output()).isZero();
        }
    }

    /**
     * The first {@code n} completed checkpoints triggered at or after {@code fromMs}, in trigger
     * order, waiting up to {@code timeout} for them.
     */
    static List<Checkpoint> awaitCompleted(
            NativeStack stack, String jobId, long fromMs, int n, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Checkpoint> found = List.of();
        while (System.nanoTime() < deadline) {
            List<Checkpoint> now = new ArrayList<>();
            for (JsonNode c : stack.json("/jobs/" + jobId + "/checkpoints").path("history")) {
                long trigger = c.path("trigger_timestamp").asLong();
                if (c.path("status").asText().equals("COMPLETED") && trigger >= fromMs) {
                    now.add(new Checkpoint(c.path("id").asLong(), trigger));
                }
            }
            now.sort((a, b) -> Long.compare(a.triggerMs(), b.triggerMs()));
            found = now;
            if (found.size() >= n) {
                return found.subList(0, n);
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "only "
                        + found.size()
                        + " of "
                        + n
                        + " checkpoints completed within "
                        + timeout
                        + ": "
                        + found
                        + "; the pacer's log:\n"
                        + stack.log("checkpoint-pacer"));
    }
}
