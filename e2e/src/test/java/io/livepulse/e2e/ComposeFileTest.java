package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.livepulse.jobs.LiveMetricsOptions;
import io.livepulse.jobs.pacer.CheckpointPacer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without a Docker engine: Debian's docker-compose validates it, and it
 * agrees with the native stack (topics, database, job arguments) and with the security rules.
 */
class ComposeFileTest {
    static final Path ROOT =
            Path.of(System.getProperty("livepulse.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Placeholder values for every required variable: no real secret anywhere. */
    static final Map<String, String> ENV =
            Map.of(
                    "GRAFANA_ADMIN_PASSWORD", "test-only-1",
                    "INFLUX_ADMIN_USER", "admin",
                    "INFLUX_ADMIN_PASSWORD", "test-only-2",
                    "INFLUX_WRITE_USER", "writer",
                    "INFLUX_WRITE_PASSWORD", "test-only-3",
                    "INFLUX_READ_USER", "reader",
                    "INFLUX_READ_PASSWORD", "test-only-4",
                    "REDIS_PASSWORD", "test-only-5",
                    "LIVEPULSE_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook");

    record Run(int code, String output) {}

    static Run compose(Map<String, String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "docker-compose",
                                "-f",
                                ROOT.resolve("docker-compose.yml").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(Files.createTempDirectory("compose").toFile())
                        .redirectErrorStream(true);
        pb.environment()
                .keySet()
                .removeIf(
                        k ->
                                ENV.containsKey(k)
                                        || k.startsWith("LIVEPULSE_")
                                        || k.startsWith("INFLUXD_")
                                        || k.startsWith("GRAFANA_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    static JsonNode resolved() throws Exception {
        Run config = compose(ENV, "config");
        assertThat(config.code()).as(config.output()).isZero();
        return YAML.readTree(config.output());
    }

    @Test
    void debiansDockerComposeValidatesTheFile() throws Exception {
        Run valid = compose(ENV, "config", "-q");
        assertThat(valid.code()).as(valid.output()).isZero();

        Map<String, String> withoutRedisPassword = new HashMap<>(ENV);
        withoutRedisPassword.remove("REDIS_PASSWORD");
        Run invalid = compose(withoutRedisPassword, "config", "-q");
        assertThat(invalid.code()).isNotZero();
        assertThat(invalid.output()).contains("set REDIS_PASSWORD in .env");
    }

    @Test
    void onlyGrafanaIsPublishedImagesArePinnedAndGrafanaIsLockedDown() throws Exception {
        JsonNode services = resolved().get("services");
        List<String> published = new ArrayList<>();
        services.fields()
                .forEachRemaining(
                        s -> {
                            if (s.getValue().has("ports")) {
                                published.add(s.getKey());
                            }
                            String image = s.getValue().get("image").asText();
                            assertThat(image)
                                    .as(s.getKey() + " image pinned")
                                    .matches("[^:]+:[^:]*\\d[^:]*")
                                    .doesNotEndWith(":latest");
                        });
        assertThat(published).containsExactly("grafana");
        assertThat(services.get("grafana").get("ports").get(0).asText())
                .startsWith("127.0.0.1:3000:3000");
        JsonNode grafana = services.get("grafana").get("environment");
        assertThat(grafana.get("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("false");
        assertThat(grafana.get("GF_USERS_ALLOW_SIGN_UP").asText()).isEqualTo("false");
        assertThat(
                        services.get("influxdb")
                                .get("environment")
                                .get("INFLUXDB_HTTP_AUTH_ENABLED")
                                .asText())
                .isEqualTo("true");
    }

    @Test
    void itAgreesWithTheNativeStack() throws Exception {
        String stack = Files.readString(ROOT.resolve("scripts/stack.sh"));
        String eventsTopic = defaultOf(stack, "EVENTS_TOPIC");
        String dlqTopic = defaultOf(stack, "DLQ_TOPIC");
        String recapsTopic = defaultOf(stack, "RECAPS_TOPIC");
        String alertsTopic = defaultOf(stack, "ALERTS_TOPIC");
        String database = defaultOf(stack, "INFLUX_DB");
        JsonNode services = resolved().get("services");

        String topics = services.get("kafka-init").get("command").toString();
        assertThat(topics)
                .contains("--topic " + eventsTopic + " --partitions 4")
                .contains("--topic " + dlqTopic + " --partitions 1")
                .contains("--topic " + recapsTopic + " --partitions 1")
                .contains("--topic " + alertsTopic + " --partitions 1");
        assertThat(stack)
                .contains("partitions=4")
                .contains("[ \"$topic\" = \"$EVENTS_TOPIC\" ] || partitions=1");

        List<String> submit = new ArrayList<>();
        services.get("job-submitter").get("command").forEach(n -> submit.add(n.asText()));
        assertThat(valueAfter(submit, "--kafka.topic")).isEqualTo(eventsTopic);
        assertThat(valueAfter(submit, "--kafka.dlq-topic")).isEqualTo(dlqTopic);
        assertThat(valueAfter(submit, "--kafka.recaps-topic")).isEqualTo(recapsTopic);
        assertThat(valueAfter(submit, "--kafka.alerts-topic")).isEqualTo(alertsTopic);
        assertThat(valueAfter(submit, "--influx.database")).isEqualTo(database);
        assertThat(services.get("influxdb").get("environment").get("INFLUXDB_DB").asText())
                .isEqualTo(database);
        assertThat(services.get("grafana").get("environment").get("LIVEPULSE_INFLUX_DB").asText())
                .isEqualTo(database);

        // The Flink settings that decide how fast a lost TaskManager is noticed and the job
        // restarted are the same on both (docs/reliability.md measures them on the native stack),
        // and so are the TaskManager's JVM flags (docs/benchmarks.md measures them there).
        String flink =
                services.get("jobmanager").get("environment").get("FLINK_PROPERTIES").asText();
        for (String setting :
                List.of(
                        "heartbeat.interval: 1000",
                        "heartbeat.timeout: 5000",
                        "restart-strategy.type: exponential-delay",
                        "restart-strategy.exponential-delay.initial-backoff: 200 ms",
                        "env.java.opts.taskmanager: -XX:MaxNewSize=128m")) {
            assertThat(flink).as("docker-compose's Flink settings").contains(setting);
            assertThat(stack).as("stack.sh's Flink settings").contains(setting);
        }

        // InfluxDB has the cores before the job on both: nice -10 natively, nine times the
        // default share in compose (docs/benchmarks.md, runs K1 to K6).
        assertThat(stack).contains("INFLUXD_NICE=${INFLUXD_NICE:--10}");
        assertThat(services.get("influxdb").get("cpu_shares").asInt()).isEqualTo(9 * 1024);
        // ...on one core at a time, so that it never holds both the TaskManager's (runs S4 to S7)
        assertThat(stack).contains("INFLUXD_GOMAXPROCS=${INFLUXD_GOMAXPROCS:-1}");
        assertThat(services.get("influxdb").get("environment").get("GOMAXPROCS").asText())
                .isEqualTo("1");
        for (String service : List.of("jobmanager", "taskmanager", "kafka", "redis")) {
            assertThat(services.get(service).has("cpu_shares")).as(service).isFalse();
        }

        // The pacer asks for the job's checkpoints at its defaults (every 10 s), and the job is
        // submitted with the fallback that goes with them.
        assertThat(services.get("checkpoint-pacer").get("command").toString())
                .contains("io.livepulse.jobs.pacer.CheckpointPacerCli")
                .contains("http://jobmanager:8081");
        assertThat(submit).containsSubsequence(CheckpointPacer.jobArgs(10_000));

        // Every job option either side passes is one the job knows.
        Set<String> options = new LinkedHashSet<>();
        submit.stream().filter(a -> a.startsWith("--") && a.contains(".")).forEach(options::add);
        Matcher m =
                Pattern.compile("(--[a-z]+\\.[a-z.-]+)")
                        .matcher(stack.substring(stack.indexOf("cmd_submit()")));
        while (m.find()) {
            options.add(m.group(1));
        }
        assertThat(options).isNotEmpty();
        for (String option : options) {
            assertThat(LiveMetricsOptions.all()).as(option).containsKey(option.substring(2));
        }
    }

    @Test
    void envExampleListsEveryVariableWithNoValueForSecrets() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, String> example = new HashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.put(
                        line.substring(0, line.indexOf('=')),
                        line.substring(line.indexOf('=') + 1));
            }
        }
        Matcher m = Pattern.compile("\\$\\{([A-Z_]+)").matcher(compose);
        Set<String> used = new LinkedHashSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(example.keySet()).containsAll(used);
        example.forEach(
                (k, v) -> {
                    if (k.contains("PASSWORD")) {
                        assertThat(v).as(k).isEmpty();
                    }
                });
        // The datasource's variables are all given to Grafana.
        String datasource =
                Files.readString(ROOT.resolve("dashboards/provisioning/datasources/influxdb.yaml"));
        Matcher ds = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(datasource);
        while (ds.find()) {
            assertThat(compose).contains(ds.group(1) + ":");
        }
    }

    static String defaultOf(String script, String variable) {
        Matcher m = Pattern.compile(variable + "=\\$\\{" + variable + ":-([^}]+)}").matcher(script);
        assertThat(m.find()).as("default of " + variable + " in stack.sh").isTrue();
        return m.group(1);
    }

    static String valueAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as(option + " in " + args).isNotNegative();
        return args.get(i + 1);
    }
}
