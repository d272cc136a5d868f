package io.livepulse.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * scripts/stack.sh driven from Java (the end-to-end tests and the benchmark): its own directory,
 * free ports, and Flink's REST API. Failures throw {@link AssertionError} with stack.sh's output.
 */
public final class NativeStack {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Path ROOT =
            Path.of(System.getProperty("livepulse.root", "..")).toAbsolutePath().normalize();
    public static final List<String> PORTS =
            List.of(
                    "REDIS_PORT",
                    "INFLUX_PORT",
                    "INFLUX_RPC_PORT",
                    "KAFKA_PORT",
                    "KAFKA_CONTROLLER_PORT",
                    "FLINK_REST_PORT",
                    "FLINK_RPC_PORT",
                    "FLINK_BLOB_PORT");

    public record Run(int code, String output) {}

    /** The states a job does not leave. */
    private static final List<String> FINAL_STATES = List.of("FINISHED", "FAILED", "CANCELED");

    public final Map<String, String> env = new LinkedHashMap<>();
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A stack in {@code dir} on free ports. */
    public NativeStack(Path dir) {
        this.dir = dir;
        env.put("LIVEPULSE_STACK_DIR", dir.resolve("stack").toString());
        for (String port : PORTS) {
            env.put(port, Integer.toString(Ports.free()));
        }
    }

    /** The whole log of one process of the stack (redis, kafka, jobmanager, taskmanager-N...). */
    public String log(String name) throws IOException {
        return Files.readString(logs().resolve(name + ".log"));
    }

    /**
     * Deletes what a stopped stack wrote besides its logs and configuration: Kafka's topics,
     * InfluxDB's and Redis's data, the checkpoints (a benchmark run leaves about 3 GB of them).
     */
    public void removeData() {
        Path stackDir = Path.of(env.get("LIVEPULSE_STACK_DIR"));
        for (String data :
                List.of("kafka", "influxdb", "redis", "checkpoints", "savepoints", "changelog")) {
            ExternalProcess.deleteRecursively(stackDir.resolve(data));
        }
    }

    /** Where stack.sh appends each process's log. */
    private Path logs() {
        return Path.of(env.get("LIVEPULSE_STACK_DIR"), "logs");
    }

    public int port(String name) {
        return Integer.parseInt(env.get(name));
    }

    public String kafka() {
        return "127.0.0.1:" + env.get("KAFKA_PORT");
    }

    public String redis() {
        return "redis://127.0.0.1:" + env.get("REDIS_PORT");
    }

    public String influx() {
        return "http://127.0.0.1:" + env.get("INFLUX_PORT");
    }

    public Run run(int timeoutSeconds, String... args) throws Exception {
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
    public String submit(String... jobArgs) throws Exception {
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
    public String rest(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(restUri(path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private URI restUri(String path) {
        return URI.create("http://127.0.0.1:" + env.get("FLINK_REST_PORT") + path);
    }

    public String jobState(String jobId) throws Exception {
        Matcher m = Pattern.compile("\"state\":\"([A-Z]+)\"").matcher(rest("/jobs/" + jobId));
        return m.find() ? m.group(1) : "?";
    }

    /** Every task of the job is running (or finished): the job is really processing again. */
    public boolean allTasksRunning(String jobId) throws Exception {
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

    public long completedCheckpoints(String jobId) throws Exception {
        Matcher m =
                Pattern.compile("\"completed\":(\\d+)")
                        .matcher(rest("/jobs/" + jobId + "/checkpoints"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    public long restoredCheckpoints(String jobId) throws Exception {
        Matcher m =
                Pattern.compile("\"restored\":(\\d+)")
                        .matcher(rest("/jobs/" + jobId + "/checkpoints"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * When the job last entered {@code status} (e.g. {@code RUNNING}), in epoch milliseconds of the
     * JobManager's clock (this host's); 0 if it never did.
     */
    public long lastEntered(String jobId, String status) throws Exception {
        return json("/jobs/" + jobId).path("timestamps").path(status).asLong(0);
    }

    /**
     * When the last of the job's subtasks entered RUNNING (its current attempt), in epoch
     * milliseconds of the JobManager's clock; 0 if one never did. Read from the tasks' own
     * timestamps: a poll of {@link #allTasksRunning} sees the JobManager's cached view, up to
     * seconds old ({@code web.refresh-interval}), and would add that to a recovery's time.
     */
    public long lastTaskRunningAt(String jobId) throws Exception {
        long last = 0;
        for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
            String times = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            for (JsonNode subtask : json(times + "/subtasktimes").path("subtasks")) {
                long running = subtask.path("timestamps").path("RUNNING").asLong(0);
                if (running == 0) {
                    return 0;
                }
                last = Math.max(last, running);
            }
        }
        return last;
    }

    /** Waits until the job reaches FINISHED, FAILED or CANCELED; returns the state it ended in. */
    public String awaitFinalState(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "?";
        while (System.nanoTime() < deadline) {
            last = jobState(jobId);
            if (FINAL_STATES.contains(last)) {
                return last;
            }
            Thread.sleep(1_000);
        }
        return "still " + last + " after " + timeout;
    }

    /** A topic on the stack's broker (each fault scenario reads its own). */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** GET on Flink's REST API, parsed. */
    public JsonNode json(String path) throws Exception {
        return JSON.readTree(rest(path));
    }

    /**
     * The sum over every subtask of the operator metrics whose name matches {@code pattern} (e.g.
     * {@code .*\\.redisFallbacks}), across the job's vertices; counts of the current attempt.
     */
    public long operatorMetric(String jobId, String pattern) throws Exception {
        Pattern which = Pattern.compile(pattern);
        long sum = 0;
        for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
            for (double v : subtaskMetricSums(jobId, vertex.path("id").asText(), which).values()) {
                sum += (long) v;
            }
        }
        return sum;
    }

    /** The metrics of a task whose id matches {@code which}, each summed over its subtasks. */
    private Map<String, Double> subtaskMetricSums(String jobId, String vertexId, Pattern which)
            throws Exception {
        String base = "/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics";
        List<String> ids = new ArrayList<>();
        for (JsonNode m : json(base)) {
            if (which.matcher(m.path("id").asText()).matches()) {
                ids.add(m.path("id").asText());
            }
        }
        Map<String, Double> sums = new TreeMap<>();
        if (!ids.isEmpty()) {
            for (JsonNode m : json(base + "?agg=sum&get=" + String.join(",", ids))) {
                sums.put(m.path("id").asText(), m.path("sum").asDouble());
            }
        }
        return sums;
    }

    /** Records the job's sources have handed on (this attempt). */
    public long sourceRecordsOut(String jobId) throws Exception {
        return operatorMetric(jobId, "Source__.*\\.numRecordsOut");
    }

    /** The TaskManagers registered with the JobManager's resource manager. */
    public int registeredTaskManagers() throws Exception {
        return json("/taskmanagers").path("taskmanagers").size();
    }

    /** How often the job restarted (Flink's numRestarts). */
    public long restarts(String jobId) throws Exception {
        JsonNode m = json("/jobs/" + jobId + "/metrics?get=numRestarts");
        return m.size() == 0 ? 0 : m.get(0).path("value").asLong();
    }

    /** The largest parallelism among the job's vertices. */
    public int parallelism(String jobId) throws Exception {
        int p = 0;
        for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
            p = Math.max(p, vertex.path("parallelism").asInt());
        }
        return p;
    }

    /** Heap used and heap max of the TaskManagers together, in bytes. */
    public long[] taskManagerHeap() throws Exception {
        long used = 0;
        long max = 0;
        for (JsonNode tm : json("/taskmanagers").path("taskmanagers")) {
            for (JsonNode m :
                    json(
                            "/taskmanagers/"
                                    + tm.path("id").asText()
                                    + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max")) {
                long v = m.path("value").asLong();
                if (m.path("id").asText().endsWith("Used")) {
                    used += v;
                } else {
                    max += v;
                }
            }
        }
        return new long[] {used, max};
    }

    public void cancel(String jobId) throws Exception {
        http.send(
                HttpRequest.newBuilder(restUri("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        awaitFinalState(jobId, Duration.ofMinutes(1));
    }

    /** Waits until every task of the job runs; fails after {@code timeout}. */
    public void awaitAllTasksRunning(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allTasksRunning(jobId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "job " + jobId + " not running after " + timeout + ": " + why(jobId));
            }
            Thread.sleep(100);
        }
    }

    /** The job's state and its last failure in short (the exception and its causes). */
    public String why(String jobId) throws Exception {
        String failure = lastFailure(jobId);
        StringBuilder causes = new StringBuilder();
        for (String line : failure.split("\n")) {
            if (causes.isEmpty() || line.startsWith("Caused by:")) {
                causes.append(causes.isEmpty() ? "" : " / ").append(line.strip());
            }
        }
        return jobState(jobId) + (failure.isEmpty() ? "" : ", last failure: " + causes);
    }

    /** The stack trace of the job's latest failure, or "" if it never failed. */
    public String lastFailure(String jobId) throws Exception {
        JsonNode exceptions = json("/jobs/" + jobId + "/exceptions");
        JsonNode history = exceptions.path("exceptionHistory").path("entries");
        if (history.size() > 0) {
            return history.get(0).path("stacktrace").asText("");
        }
        return exceptions.path("root-exception").asText("");
    }

    /**
     * Cancels every job not yet in a final state, so a scenario that failed half-way does not hold
     * the slots the next one needs.
     */
    public void cancelUnfinishedJobs() throws Exception {
        for (JsonNode job : json("/jobs").path("jobs")) {
            if (!FINAL_STATES.contains(job.path("status").asText())) {
                cancel(job.path("id").asText());
            }
        }
    }

    /**
     * What the cluster is doing, for a failure message: each job not yet finished with its state,
     * last failure, restarts and checkpoints; this attempt's records read and events judged late;
     * each task's lowest input watermark and each Kafka split's active, idle and paused time; then
     * the latest warnings and errors of the TaskManagers.
     */
    public String diagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            for (JsonNode job : json("/jobs").path("jobs")) {
                String id = job.path("id").asText();
                if (FINAL_STATES.contains(job.path("status").asText())) {
                    continue;
                }
                out.append(
                        String.format(
                                "job %s: %s; restarts %d, checkpoints completed %d, restored %d;"
                                        + " this attempt: records read by the sources %d,"
                                        + " events judged late %d (viewer) and %d (room),"
                                        + " fan-tier lookups answered 'unknown' %d%n",
                                id,
                                why(id),
                                restarts(id),
                                completedCheckpoints(id),
                                restoredCheckpoints(id),
                                sourceRecordsOut(id),
                                operatorMetric(id, ".*\\.lateEvents"),
                                operatorMetric(id, ".*\\.lateRoomEvents"),
                                operatorMetric(id, ".*\\.redisFallbacks")));
                for (JsonNode vertex : json("/jobs/" + id).path("vertices")) {
                    String vertexId = vertex.path("id").asText();
                    out.append(
                            String.format(
                                    "  %-40.40s %s, lowest input watermark %s%n",
                                    vertex.path("name").asText(),
                                    vertex.path("status").asText(),
                                    lowestInputWatermark(id, vertexId)));
                    splitWatermarkTimes(id, vertexId)
                            .forEach(
                                    (split, times) ->
                                            out.append("    split ")
                                                    .append(split)
                                                    .append(": ")
                                                    .append(times)
                                                    .append('\n'));
                }
            }
        } catch (Exception e) {
            out.append("(Flink's REST API did not answer: ").append(e).append(")\n");
        }
        out.append("latest TaskManager warnings and errors:\n");
        taskManagerWarnings(15).forEach(l -> out.append("  ").append(l).append('\n'));
        return out.toString();
    }

    /** The lowest current input watermark among a task's subtasks, as an instant or "none". */
    private String lowestInputWatermark(String jobId, String vertexId) throws Exception {
        long lowest = Long.MAX_VALUE;
        for (JsonNode m : json("/jobs/" + jobId + "/vertices/" + vertexId + "/watermarks")) {
            if (m.path("id").asText().endsWith("currentInputWatermark")) {
                lowest = Math.min(lowest, m.path("value").asLong(Long.MAX_VALUE));
            }
        }
        return lowest == Long.MAX_VALUE || lowest <= Long.MIN_VALUE + 1
                ? "none"
                : Instant.ofEpochMilli(lowest).toString();
    }

    /**
     * For a source task: how long each Kafka split's watermark was active, idle and paused this
     * attempt (Flink's split watermark metrics). A split idle while its partition still had records
     * lets the watermark pass them, and they come out late.
     */
    private Map<String, String> splitWatermarkTimes(String jobId, String vertexId)
            throws Exception {
        Pattern time =
                Pattern.compile(
                        ".*\\.split\\.(.+)\\.watermark\\.accumulated(Active|Idle|Paused)TimeMs");
        Map<String, String> bySplit = new TreeMap<>();
        subtaskMetricSums(jobId, vertexId, time)
                .forEach(
                        (id, ms) -> {
                            Matcher t = time.matcher(id);
                            t.matches();
                            bySplit.merge(
                                    t.group(1),
                                    t.group(2).toLowerCase() + " " + (long) (ms / 1000) + " s",
                                    (a, b) -> a + ", " + b);
                        });
        return bySplit;
    }

    /** The last {@code n} WARN or ERROR lines of the TaskManagers' logs (the current ones last). */
    public List<String> taskManagerWarnings(int n) {
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(logs())) {
            for (Path f :
                    files.filter(f -> f.getFileName().toString().startsWith("taskmanager-"))
                            .sorted()
                            .toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.log$", "");
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if ((line.contains(" WARN ") || line.contains(" ERROR "))
                            && !line.contains("Name collision")) {
                        lines.add(name + ": " + line);
                    }
                }
            }
        } catch (IOException e) {
            return List.of("(logs not readable: " + e + ")");
        }
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    /** Copies the stack's logs to {@code to}, to read after the test's directory is gone. */
    public Path keepLogs(Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(logs())) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    /** Runs a stack.sh command that must succeed; returns its output. */
    public String must(int timeoutSeconds, String... args) throws Exception {
        Run r = run(timeoutSeconds, args);
        if (r.code() != 0) {
            throw new AssertionError(
                    "stack.sh " + String.join(" ", args) + " failed:\n" + r.output());
        }
        return r.output().trim();
    }

    public List<Long> recordedPids() throws Exception {
        return new ArrayList<>(pidsByName().values());
    }

    /**
     * One variable of the environment a started process of the stack was given ("unset" if none):
     * its settings that are not on a command line, such as influxd's GOMAXPROCS.
     */
    public String environmentVariable(String process, String name) throws Exception {
        Long pid = pidsByName().get(process);
        if (pid == null) {
            throw new IllegalStateException("no " + process + " recorded: is the stack up?");
        }
        return variable(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), name);
    }

    /** One variable of an environment as Linux gives it: NAME=value entries ended by NUL bytes. */
    static String variable(byte[] environ, String name) {
        for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            if (entry.startsWith(name + "=")) {
                return entry.substring(name.length() + 1);
            }
        }
        return "unset";
    }

    /** The pids stack.sh recorded, by process name (redis, kafka, taskmanager-1, ...). */
    public Map<String, Long> pidsByName() throws Exception {
        Map<String, Long> pids = new TreeMap<>();
        Path pidDir = Path.of(env.get("LIVEPULSE_STACK_DIR"), "pids");
        if (Files.isDirectory(pidDir)) {
            try (var files = Files.list(pidDir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.pid$", "");
                    pids.put(name, Long.parseLong(Files.readString(f).trim()));
                }
            }
        }
        return pids;
    }
}
