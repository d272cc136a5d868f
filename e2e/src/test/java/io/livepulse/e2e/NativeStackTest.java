package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.InfluxLedgerCheck;
import io.livepulse.jobs.InfluxReadBack;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.testkit.NativeStack;
import io.livepulse.testkit.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native stack end to end: scripts/stack.sh up → simulator into Kafka → the job on the real
 * Flink session cluster → InfluxDB holds the ledger's figures → scripts/stack.sh down, and nothing
 * is left running.
 */
class NativeStackTest {

    @TempDir Path dir;

    @Test
    void simulatorToKafkaToTheFlinkClusterToInfluxDbEqualsTheLedgerAndDownLeavesNothing()
            throws Exception {
        NativeStack stack = new NativeStack(dir);
        Simulation sim =
                Simulation.run(
                        SimulationOptions.defaults(Profile.FLASH_SALE, 21)
                                .withScale(3, 2_000, 1)
                                .withFaults(0.01, 2_000, 7));

        List<Long> pids = new ArrayList<>();
        try {
            NativeStack.Run up = stack.run(300, "up");
            assertThat(up.code()).as(up.output()).isZero();
            pids.addAll(stack.recordedPids());
            assertThat(pids).hasSize(5); // redis, influxdb, kafka, jobmanager, one taskmanager
            // InfluxDB on one core at a time (INFLUXD_GOMAXPROCS), so that it never holds every
            // core a TaskManager's collector needs (docs/live-metrics-job.md)
            assertThat(stack.environmentVariable("influxdb", "GOMAXPROCS"))
                    .isEqualTo(System.getenv().getOrDefault("INFLUXD_GOMAXPROCS", "1"));

            try (KafkaOutput out = new KafkaOutput(stack.kafka(), "live-events")) {
                out.send(sim.deliveries(), i -> {}, (done, total) -> {});
            }
            RedisFanStore.write(stack.redis(), sim.profiles(), n -> {});

            String jobId = stack.submit("--kafka.bounded", "true");
            assertThat(stack.awaitFinalState(jobId, Duration.ofMinutes(4))).isEqualTo("FINISHED");

            try (InfluxReadBack influx = new InfluxReadBack(stack.influx(), "livepulse")) {
                InfluxLedgerCheck.assertEqualsLedger(influx, sim.ledger());
            }
        } finally {
            NativeStack.Run down = stack.run(120, "down");
            assertThat(down.code()).as(down.output()).isZero();
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d after down", pid)
                    .isFalse();
        }
        for (String port : List.of("REDIS_PORT", "INFLUX_PORT", "KAFKA_PORT", "FLINK_REST_PORT")) {
            assertThat(Ports.isOpen(stack.port(port))).as(port + " after down").isFalse();
        }
        assertThat(stack.run(30, "status").output()).contains("nothing started");
    }

    @Test
    void aTakenPortStopsUpWithTheVariableToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NativeStack stack = new NativeStack(dir);
            stack.env.put("REDIS_PORT", Integer.toString(taken.getLocalPort()));
            NativeStack.Run up = stack.run(60, "up");
            assertThat(up.code()).isEqualTo(1);
            assertThat(up.output())
                    .contains("port " + taken.getLocalPort() + " (redis) is taken on 127.0.0.1")
                    .contains("REDIS_PORT=<port> scripts/stack.sh up");
            assertThat(stack.run(30, "status").output()).contains("nothing started");
        }
    }
}
