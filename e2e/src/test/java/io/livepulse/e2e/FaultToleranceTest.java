package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.InfluxLedgerCheck;
import io.livepulse.jobs.InfluxReadBack;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the native stack's real Flink cluster, totals checked exactly against the ledger.
 * Scenario 1 of docs/reliability.md: a TaskManager killed with kill -9 mid-stream, twice, a new one
 * started each time.
 */
class FaultToleranceTest {

    @TempDir Path dir;

    @Test
    void taskManagersKilledMidStreamLoseNothingAndCountNothingTwice() throws Exception {
        NativeStack stack = new NativeStack(dir);
        Simulation sim =
                Simulation.run(
                        SimulationOptions.defaults(Profile.WHITEPAPER, 42)
                                .withScale(10, 20_000, 2)
                                .withFaults(0.01, 2_000, 14));
        List<Long> recoveryMs = new ArrayList<>();
        try {
            NativeStack.Run up = stack.run(300, "up");
            assertThat(up.code()).as(up.output()).isZero();
            try (KafkaOutput out = new KafkaOutput(stack.kafka(), "live-events")) {
                out.send(sim.deliveries(), i -> {}, (done, total) -> {});
            }
            RedisFanStore.write(stack.redis(), sim.profiles(), n -> {});

            String jobId = stack.submit("--kafka.bounded", "true", "--checkpoint.interval", "2 s");
            int taskManager = 1;
            for (int kill = 1; kill <= 2; kill++) {
                // kill only after a checkpoint this attempt completed, so a restore really rewinds
                long before = stack.completedCheckpoints(jobId);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (stack.completedCheckpoints(jobId) <= before
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(stack.jobState(jobId))
                        .as("still running before kill %d", kill)
                        .isEqualTo("RUNNING");
                assertThat(stack.run(30, "taskmanager-kill", Integer.toString(taskManager)).code())
                        .isZero();
                long killedAt = System.nanoTime();
                NativeStack.Run started = stack.run(30, "taskmanager-start");
                assertThat(started.code()).as(started.output()).isZero();
                taskManager = Integer.parseInt(started.output().trim().replace("taskmanager-", ""));
                // recovered = the job restored from a checkpoint after this kill and runs every
                // task again
                long recovered = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < recovered
                        && !stack.jobState(jobId).equals("FINISHED")
                        && !(stack.restoredCheckpoints(jobId) >= kill
                                && stack.allTasksRunning(jobId))) {
                    Thread.sleep(100);
                }
                recoveryMs.add((System.nanoTime() - killedAt) / 1_000_000);
                assertThat(recoveryMs.get(kill - 1))
                        .as("recovery after kill %d (the goal is 10 s)", kill)
                        .isLessThan(60_000);
                if (stack.jobState(jobId).equals("FINISHED")) {
                    break;
                }
            }
            assertThat(stack.awaitFinalState(jobId, Duration.ofMinutes(5))).isEqualTo("FINISHED");
            System.out.println(
                    "RELIABILITY recovery times ms "
                            + recoveryMs
                            + ", restored checkpoints "
                            + stack.restoredCheckpoints(jobId)
                            + ", completed checkpoints "
                            + stack.completedCheckpoints(jobId));
            // the job really rewound: it restored from a checkpoint after each kill
            assertThat(stack.restoredCheckpoints(jobId)).isEqualTo(recoveryMs.size());

            try (InfluxReadBack influx = new InfluxReadBack(stack.influx(), "livepulse")) {
                InfluxLedgerCheck.assertEqualsLedger(influx, sim.ledger());
            }
        } finally {
            stack.run(120, "down");
        }
    }
}
