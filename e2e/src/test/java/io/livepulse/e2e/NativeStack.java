package io.livepulse.e2e;

import io.livepulse.testkit.Ports;
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

/** scripts/stack.sh driven from a test: its own directory, free ports, and Flink's REST API. */
final class NativeStack {
    static final Path ROOT =
            Path.of(System.getProperty("livepulse.root", "..")).toAbsolutePath().normalize();
    static final List<String> PORTS =
            List.of(
                    "REDIS_PORT",
                    "INFLUX_PORT",
                    "INFLUX_RPC_PORT",
                    "KAFKA_PORT",
                    "KAFKA_CONTROLLER_PORT",
                    "FLINK_REST_PORT",
                    "FLINK_RPC_PORT",
                    "FLINK_BLOB_PORT");

    record Run(int code, String output) {}

    final Map<String, String> env = new LinkedHashMap<>();
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A stack in {@code dir} on free ports. */
    NativeStack(Path dir) {
        this.dir = dir;
        env.put("LIVEPULSE_STACK_DIR", dir.resolve("stack").toString());
        for (String port : PORTS) {
            env.put(port, Integer.toString(Ports.free()));
        }
    }

    int port(String name) {
        return Integer.parseInt(env.get(name));
    }

    String kafka() {
        return "127.0.0.1:" + env.get("KAFKA_PORT");
    }

    String redis() {
        return "redis://127.0.0.1:" + env.get("REDIS_PORT");
    }

    String influx() {
        return "http://127.0.0.1:" + env.get("INFLUX_PORT");
    }

    Run run(int timeoutSeconds, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", ROOT.resolve("scripts/stack.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stack", ".out");
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

    /** Submits the job and returns its id. */
    String submit(String... jobArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("submit"));
        args.addAll(List.of(jobArgs));
        Run submit = run(120, args.toArray(String[]::new));
        if (submit.code() != 0) {
            throw new AssertionError("submit failed:\n" + submit.output());
        }
        return submit.output()
                .lines()
                .filter(l -> l.matches("[0-9a-f]{32}"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no job id in: " + submit.output()));
    }

    /** GET on Flink's REST API. */
    String rest(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + env.get("FLINK_REST_PORT")
                                                        + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    String jobState(String jobId) throws Exception {
        Matcher m = Pattern.compile("\"state\":\"([A-Z]+)\"").matcher(rest("/jobs/" + jobId));
        return m.find() ? m.group(1) : "?";
    }

    /** Every task of the job is running (or finished): the job is really processing again. */
    boolean allTasksRunning(String jobId) throws Exception {
        String body = rest("/jobs/" + jobId);
        Matcher tasks = Pattern.compile("\"tasks\":\\{([^}]*)}").matcher(body);
        boolean any = false;
        while (tasks.find()) {
            any = true;
            Matcher counts = Pattern.compile("\"([A-Z_]+)\":(\\d+)").matcher(tasks.group(1));
            while (counts.find()) {
                String state = counts.group(1);
                if (!state.equals("RUNNING")
                        && !state.equals("FINISHED")
                        && Integer.parseInt(counts.group(2)) > 0) {
                    return false;
                }
            }
        }
        return any && jobState(jobId).equals("RUNNING");
    }

    long completedCheckpoints(String jobId) throws Exception {
        Matcher m =
                Pattern.compile("\"completed\":(\\d+)")
                        .matcher(rest("/jobs/" + jobId + "/checkpoints"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    long restoredCheckpoints(String jobId) throws Exception {
        Matcher m =
                Pattern.compile("\"restored\":(\\d+)")
                        .matcher(rest("/jobs/" + jobId + "/checkpoints"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Waits until the job reaches FINISHED, FAILED or CANCELED; returns the state it ended in. */
    String awaitFinalState(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "?";
        while (System.nanoTime() < deadline) {
            last = jobState(jobId);
            if (List.of("FINISHED", "FAILED", "CANCELED").contains(last)) {
                return last;
            }
            Thread.sleep(1_000);
        }
        return "still " + last + " after " + timeout;
    }

    List<Long> recordedPids() throws Exception {
        List<Long> pids = new ArrayList<>();
        Path pidDir = Path.of(env.get("LIVEPULSE_STACK_DIR"), "pids");
        if (Files.isDirectory(pidDir)) {
            try (var files = Files.list(pidDir)) {
                for (Path f : files.toList()) {
                    pids.add(Long.parseLong(Files.readString(f).trim()));
                }
            }
        }
        return pids;
    }
}
