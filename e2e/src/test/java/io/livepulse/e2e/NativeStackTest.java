package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.InfluxLedgerCheck;
import io.livepulse.jobs.InfluxReadBack;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.testkit.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native stack end to end: scripts/stack.sh up → simulator into Kafka → the job on the real
 * Flink session cluster → InfluxDB holds the ledger's figures → scripts/stack.sh down, and nothing
 * is left running.
 */
class NativeStackTest {
    static final Path ROOT =
            Path.of(System.getProperty("livepulse.root", "..")).toAbsolutePath().normalize();

    @TempDir Path stackDir;

    record Run(int code, String output) {}

    private Run stack(Map<String, String> env, int timeoutSeconds, String... args)
            throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", ROOT.resolve("scripts/stack.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(stackDir, "stack", ".out");
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "stack.sh "
                            + String.join(" ", args)
                            + " did not finish in "
                            + timeoutSeconds
                            + " s:\n"
                            + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void simulatorToKafkaToTheFlinkClusterToInfluxDbEqualsTheLedgerAndDownLeavesNothing()
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIVEPULSE_STACK_DIR", stackDir.resolve("stack").toString());
        for (String port :
                List.of(
                        "REDIS_PORT",
                        "INFLUX_PORT",
                        "INFLUX_RPC_PORT",
                        "KAFKA_PORT",
                        "KAFKA_CONTROLLER_PORT",
                        "FLINK_REST_PORT",
                        "FLINK_RPC_PORT",
                        "FLINK_BLOB_PORT")) {
            env.put(port, Integer.toString(Ports.free()));
        }
        String kafka = "127.0.0.1:" + env.get("KAFKA_PORT");
        String flink = "http://127.0.0.1:" + env.get("FLINK_REST_PORT");
        Simulation sim =
                Simulation.run(
                        SimulationOptions.defaults(Profile.FLASH_SALE, 21)
                                .withScale(3, 2_000, 1)
                                .withFaults(0.01, 2_000, 7));

        List<Long> pids = new ArrayList<>();
        try {
            Run up = stack(env, 300, "up");
            assertThat(up.code()).as(up.output()).isZero();
            pids.addAll(recordedPids(env));
            assertThat(pids).hasSize(5); // redis, influxdb, kafka, jobmanager, one taskmanager

            try (KafkaOutput out = new KafkaOutput(kafka, "live-events")) {
                out.send(sim.deliveries(), i -> {}, (done, total) -> {});
            }
            RedisFanStore.write(
                    "redis://127.0.0.1:" + env.get("REDIS_PORT"), sim.profiles(), n -> {});

            Run submit = stack(env, 120, "submit", "--kafka.bounded", "true");
            assertThat(submit.code()).as(submit.output()).isZero();
            String jobId =
                    submit.output()
                            .lines()
                            .filter(l -> l.matches("[0-9a-f]{32}"))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError("no job id in: " + submit.output()));
            assertThat(awaitFinalState(flink, jobId, Duration.ofMinutes(4))).isEqualTo("FINISHED");

            try (InfluxReadBack influx =
                    new InfluxReadBack("http://127.0.0.1:" + env.get("INFLUX_PORT"), "livepulse")) {
                InfluxLedgerCheck.assertEqualsLedger(influx, sim.ledger());
            }
        } finally {
            Run down = stack(env, 120, "down");
            assertThat(down.code()).as(down.output()).isZero();
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d after down", pid)
                    .isFalse();
        }
        for (String port : List.of("REDIS_PORT", "INFLUX_PORT", "KAFKA_PORT", "FLINK_REST_PORT")) {
            assertThat(Ports.isOpen(Integer.parseInt(env.get(port))))
                    .as(port + " after down")
                    .isFalse();
        }
        assertThat(stack(env, 30, "status").output()).contains("nothing started");
    }

    @Test
    void aTakenPortStopsUpWithTheVariableToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("LIVEPULSE_STACK_DIR", stackDir.resolve("taken").toString());
            env.put("REDIS_PORT", Integer.toString(taken.getLocalPort()));
            Run up = stack(env, 60, "up");
            assertThat(up.code()).isEqualTo(1);
            assertThat(up.output())
                    .contains("port " + taken.getLocalPort() + " (redis) is taken on 127.0.0.1")
                    .contains("REDIS_PORT=<port> scripts/stack.sh up");
            assertThat(stack(env, 30, "status").output()).contains("nothing started");
        }
    }

    private List<Long> recordedPids(Map<String, String> env) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(Path.of(env.get("LIVEPULSE_STACK_DIR"), "pids"))) {
            for (Path f : files.toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        return pids;
    }

    private static String awaitFinalState(String flink, String jobId, Duration timeout)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Pattern state = Pattern.compile("\"state\":\"([A-Z]+)\"");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "?";
        while (System.nanoTime() < deadline) {
            String body =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(flink + "/jobs/" + jobId))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            Matcher m = state.matcher(body);
            if (m.find()) {
                last = m.group(1);
                if (List.of("FINISHED", "FAILED", "CANCELED").contains(last)) {
                    return last;
                }
            }
            Thread.sleep(1_000);
        }
        return "still " + last + " after " + timeout;
    }
}
