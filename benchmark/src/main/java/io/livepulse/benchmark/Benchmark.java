package io.livepulse.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import io.livepulse.jobs.ingest.RecordDecoder;
import io.livepulse.jobs.pacer.CheckpointPacer;
import io.livepulse.jobs.pacer.FlinkRest;
import io.livepulse.jobs.records.Ingested;
import io.livepulse.simulator.io.Json;
import io.livepulse.testkit.NativeStack;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * One benchmark run on the native stack (scripts/stack.sh), phase after phase on the same
 * pre-filled topic: the physical limit (a bare consumer parsing the JSON, and Kafka's
 * ConsumerPerformance), the job without Redis, the full job; then open-loop latency, scale, and
 * JMH. Every figure goes into the {@link Report}.
 */
public final class Benchmark {
    static final String TOPIC = "bench-events";
    static final String DATABASE = "livepulse";
    static final long TICK_MS = 5_000;
    static final int HEARTBEATS = 400;

    /** Ticks written each way when InfluxDB's write of a tick is measured alone. */
    static final int INFLUX_WRITE_TICKS = 5;

    private final Settings s;
    private final Report report;
    private final Consumer<String> log;
    private NativeStack stack;
    private Path jcmd;

    public Benchmark(Settings settings, Consumer<String> log) {
        settings.validate();
        this.s = settings;
        this.log = log;
        this.report = new Report(settings);
    }

    /** Runs every phase and returns the report (also written to the output directory). */
    public Report run() throws Exception {
        Files.createDirectories(s.out().resolve("work"));
        report.machine(Machine.describe());
        jcmd =
                Path.of(ProcessHandle.current().info().command().orElse("java"))
                        .resolveSibling("jcmd");
        try {
            startStack();
            createTopics();
            if (s.phases().contains(Settings.Phase.THROUGHPUT)) {
                throughput();
            }
            if (s.phases().contains(Settings.Phase.LATENCY)) {
                latency();
            }
            if (s.phases().contains(Settings.Phase.SCALE)) {
                scale();
            }
        } finally {
            if (stack != null) {
                log.accept("stopping the stack");
                stack.run(180, "down");
                // Eight runs' topics and InfluxDB data filled this machine's disk (2026-12-05):
                // what a run measured is in its report, the GC logs and the stack's logs.
                stack.removeData();
                log.accept("removed the stack's data (topics, InfluxDB, checkpoints); logs kept");
            }
        }
        if (s.jmhIterations() > 0) {
            log.accept("JMH: the hot functions, each in its own forked JVM");
            report.jmh(Hotspots.run(s.jmhIterations(), s.out().resolve("jmh.json")));
        }
        report.write(s.out());
        return report;
    }

    /**
     * Starts the stack on free ports; once more on new ports if one of them was taken in between (a
     * free port can be handed to another process's outgoing connection before the server binds it).
     */
    private void startStack() throws Exception {
        for (int attempt = 1; ; attempt++) {
            stack = new NativeStack(s.out().resolve("work"));
            stack.env.put("TASKMANAGER_MEMORY", s.taskManagerMemory());
            stack.env.put("STATE_BACKEND", s.stateBackend());
            if (!s.taskManagerJava().isEmpty()) {
                stack.env.put("TASKMANAGER_JAVA", s.taskManagerJava());
            }
            stack.env.put(
                    "TASKMANAGER_JAVA_OPTS",
                    // gc+phases: ZGC logs its pauses there (G1 logs them under gc); gc+stats:
                    // Shenandoah's pacing (GcLog.Pacing; G1 writes nothing there)
                    "-Xlog:gc,gc+phases,gc+stats:file="
                            + s.out().resolve("work/taskmanager-@N@-gc.log")
                            // timemillis: the wall clock, to lay the stops beside the
                            // latency probe's slow ticks (SlowTicks)
                            + ":uptime,timemillis "
                            + s.taskManagerJvmOptions());
            log.accept(
                    "starting the stack (Kafka, Redis, InfluxDB, Flink JobManager + TaskManager)");
            NativeStack.Run up = stack.run(300, "up");
            if (up.code() == 0) {
                Map<String, Long> pids = stack.pidsByName();
                report.taskManagerXxOptions(Machine.jvmXxOptions(pids.get("taskmanager-1")));
                report.taskManagerJvm(
                        jvmVersion(pids.get("taskmanager-1"))
                                + ", started as "
                                + Machine.command(pids.get("taskmanager-1")));
                report.priorities(new CpuMeter(pids).priorities());
                try {
                    report.influxdGoMaxProcs(stack.environmentVariable("influxdb", "GOMAXPROCS"));
                } catch (IOException e) {
                    report.influxdGoMaxProcs("? (" + e.getMessage() + ")"); // unread, not fatal
                }
                return;
            }
            stack.run(180, "down");
            if (attempt == 2) {
                throw new IllegalStateException("the stack did not start:\n" + up.output());
            }
            log.accept("the stack did not start; once more on other ports:\n" + up.output());
        }
    }

    private static String latencyTopic(double load) {
        return "bench-live-" + Math.round(load * 100);
    }

    static final String SCALE_TOPIC = "bench-scale";

    /** The live-rate search's topic: its steps follow one another on one job. */
    static final String LIVE_SEARCH_TOPIC = "bench-live-search";

    /**
     * Every topic of the run, 4 partitions each, created up front and waited for until each
     * partition has a leader: producing right after a topic's creation met NOT_LEADER_OR_FOLLOWER
     * and then OUT_OF_ORDER_SEQUENCE_NUMBER retries without end from the idempotent producer.
     */
    private void createTopics() throws Exception {
        List<String> topics = new ArrayList<>(List.of(TOPIC, SCALE_TOPIC, LIVE_SEARCH_TOPIC));
        s.loads().forEach(l -> topics.add(latencyTopic(l)));
        for (String t : topics) {
            stack.createTopic(t, 4);
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String t : topics) {
                while (producer.partitionsFor(t).stream().anyMatch(p -> p.leader() == null)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topic " + t + " has no leader after 60 s");
                    }
                    Thread.sleep(200);
                }
            }
        }
        Thread.sleep(1_000);
    }

    // ---------------------------------------------------------------- throughput

    /** The throughput and latency phases' traffic (the scale phase has its own rooms). */
    private Workload roomsWorkload() {
        return new Workload(
                "bench-room", s.rooms(), s.hotShare(), s.zipfExponent(), s.viewers(), s.seed());
    }

    private void throughput() throws Exception {
        Workload w = roomsWorkload();
        long spanMs = (long) (s.events() * 1000 / s.eventTimeRate());
        long start = System.currentTimeMillis() - spanMs - 60_000;
        report.workload(w, s.events(), spanMs);

        Path fansFile = s.out().resolve("work/profiles.jsonl");
        List<FanProfile> profiles = w.profiles(start);
        try (BufferedWriter out = Files.newBufferedWriter(fansFile, StandardCharsets.UTF_8)) {
            for (FanProfile p : profiles) {
                out.write(Json.profileLine(p));
                out.write('\n');
            }
        }
        log.accept("loading " + profiles.size() + " fan profiles into Redis");
        RedisFanStore.write(stack.redis(), profiles, n -> {});

        Workload.Stream stream = w.stream("e", 1);
        prefill(TOPIC, s.events(), i -> stream.next(start + (long) (i * 1000 / s.eventTimeRate())));

        report.limit(bareConsumer());
        report.consumerPerformance(consumerPerformance());
        log.accept("InfluxDB's write of one tick of every room, with no job running");
        InfluxDB influx = InfluxDBFactory.connect(stack.influx());
        try {
            report.influxWrite(InfluxWriteLimit.measure(influx, w, INFLUX_WRITE_TICKS));
        } finally {
            influx.close();
        }
        String[] withoutRedis = {"--fans.file", fansFile.toString()};
        // Not measured: the TaskManager's first job ran on a JVM that had yet to compile Flink's
        // code and to size its young generation, and the job without Redis, measured first, was
        // slower than the full job in six of seven runs (D0 to E3; in E3 with 79 young
        // collections to the full job's 46 for the same records; docs/benchmarks.md)
        drain("warm-up (not measured)", "warm-up", s.events() / 3, false, withoutRedis);
        report.phase(drain("job without Redis", "no-redis", s.events(), true, withoutRedis));
        report.phase(drain("full job", "full", s.events(), true));
    }

    /** Writes {@code n} records to a topic, as fast as the broker takes them, with progress. */
    private void prefill(String topic, long n, java.util.function.LongFunction<Workload.Record> gen)
            throws Exception {
        log.accept("pre-filling " + topic + " with " + String.format("%,d", n) + " events");
        java.util.concurrent.atomic.AtomicReference<Exception> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            long step = Math.max(1, n / 10);
            for (long i = 0; i < n && failed.get() == null; i++) {
                Workload.Record r = gen.apply(i);
                producer.send(
                        new ProducerRecord<>(topic, null, r.ts(), r.key(), r.value()),
                        (meta, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
                if ((i + 1) % step == 0) {
                    log.accept(String.format("  %,d / %,d", i + 1, n));
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException(
                    "pre-filling " + topic + " failed; see the Kafka log", failed.get());
        }
    }

    KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * The physical limit: one plain consumer in this JVM that reads the whole topic and decodes
     * every record with the job's own decoder (JSON parse and contract validation).
     */
    private Report.Rate bareConsumer() throws Exception {
        log.accept("limit: a bare Kafka consumer decoding every record");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        RecordDecoder decoder = new RecordDecoder(Duration.ofHours(1));
        CpuMeter cpu =
                new CpuMeter(
                        Map.of(
                                "benchmark (consumer)",
                                ProcessHandle.current().pid(),
                                "kafka",
                                stack.pidsByName().get("kafka")));
        Window window = new Window(s.events());
        long invalid = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(TOPIC)
                    .forEach(i -> parts.add(new TopicPartition(TOPIC, i.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long count = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            while (count < s.events() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Ingested in = decoder.decode(r.value(), r.topic(), r.partition(), r.offset());
                    if (in.event == null) {
                        invalid++;
                    }
                    count++;
                    window.observe(count, cpu);
                }
            }
        }
        if (invalid > 0) {
            throw new IllegalStateException(
                    invalid + " benchmark records did not decode: a workload bug");
        }
        return window.rate("limit: bare consumer + JSON decode");
    }

    /** Kafka's own ConsumerPerformance on the same topic (reads, does not parse). */
    private Map<String, String> consumerPerformance() throws Exception {
        log.accept("limit: Kafka's ConsumerPerformance");
        Path lib = NativeStack.ROOT.resolve("stack/kafka/target/lib");
        Process p =
                new ProcessBuilder(
                                Path.of(ProcessHandle.current().info().command().orElse("java"))
                                        .toString(),
                                "-Xmx512m",
                                "-cp",
                                lib + "/*",
                                "org.apache.kafka.tools.ConsumerPerformance",
                                "--bootstrap-server",
                                stack.kafka(),
                                "--topic",
                                TOPIC,
                                "--messages",
                                Long.toString(s.events()),
                                "--timeout",
                                "60000")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("ConsumerPerformance failed:\n" + out);
        }
        // a header line then one CSV line: start.time, end.time, data.consumed.in.MB, MB.sec, ...
        List<String> lines = out.lines().filter(l -> l.contains(",")).toList();
        String[] head = lines.get(lines.size() - 2).split(",\\s*");
        String[] values = lines.get(lines.size() - 1).split(",\\s*");
        Map<String, String> figures = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(head.length, values.length); i++) {
            figures.put(head[i].trim(), values[i].trim());
        }
        return figures;
    }

    /**
     * Runs the job on the pre-filled topic with its own consumer group until its source has handed
     * on {@code until} records, and, when {@code measured}, measures it while it drains the topic:
     * between 10% and 90% of the records, the source's rate, each process's CPU and the checkpoints
     * (the window only counts if checkpoints completed and none failed), with a profile.
     *
     * @return the window's rate, or {@code null} when not measured
     */
    private Report.Rate drain(
            String name, String group, long until, boolean measured, String... extraArgs)
            throws Exception {
        log.accept(name + ": submitting the job");
        String job = submitJob(TOPIC, "bench-" + group, extraArgs);
        Map<String, Long> pids = stack.pidsByName();
        long tm = pids.get("taskmanager-1");
        if (measured) {
            startProfile(tm, group);
        }
        CpuMeter cpu = new CpuMeter(pids);
        Window window = new Window(s.events());
        SourceCount source = new SourceCount(job);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        long nextLog = 0;
        long count = 0;
        for (int poll = 0; count < until; poll++) {
            // Flink's REST API is read sparingly: the JobManager shares the 2 cores with the job
            if (System.nanoTime() > deadline
                    || (poll % 5 == 4 && !stack.jobState(job).equals("RUNNING"))) {
                throw new IllegalStateException(
                        name
                                + " stopped at "
                                + count
                                + " of "
                                + until
                                + " events: "
                                + stack.why(job));
            }
            Thread.sleep(s.drainPoll().toMillis());
            count = source.read();
            JsonNode counts = stack.json("/jobs/" + job + "/checkpoints").path("counts");
            window.observe(
                    count, cpu, counts.path("completed").asLong(), counts.path("failed").asLong());
            if (System.nanoTime() > nextLog) {
                log.accept(String.format("  %s: %,d / %,d events", name, count, until));
                nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
        }
        if (measured) {
            stopProfile(tm, group, name);
        }
        stack.cancel(job);
        return measured ? window.rate(name) : null;
    }

    /**
     * Runs the job on {@code topic} with its own consumer group, the run's watermark delay,
     * partition alignment and checkpoint interval, and waits until every task runs.
     */
    private String submitJob(String topic, String group, String... extraArgs) throws Exception {
        return submitJob(
                topic,
                group,
                List.of("--checkpoint.interval", s.checkpointInterval().toMillis() + "ms"),
                extraArgs);
    }

    /** {@link #submitJob(String, String, String...)} with checkpoints of its own. */
    private String submitJob(
            String topic, String group, List<String> checkpointArgs, String... extraArgs)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.topic",
                                topic,
                                "--kafka.group-id",
                                group,
                                "--watermark.out-of-orderness",
                                s.outOfOrderness().toMillis() + "ms",
                                "--watermark.max-drift",
                                s.maxDrift().toMillis() + "ms"));
        args.addAll(checkpointArgs);
        args.addAll(List.of(extraArgs));
        for (String option : s.jobOptions()) {
            String key = Settings.jobOptionKey(option);
            if (args.contains("--" + key)) {
                throw new IllegalArgumentException(
                        "--job-option " + key + " is set by this phase itself");
            }
        }
        args.addAll(s.jobArguments());
        String job = stack.submit(args.toArray(String[]::new));
        stack.awaitAllTasksRunning(job, Duration.ofMinutes(2));
        return job;
    }

    /**
     * The records the job's source has handed on, read from its one vertex (one REST call, where
     * {@link NativeStack#sourceRecordsOut} walks every vertex).
     */
    final class SourceCount {
        private final String base;
        private String metrics;

        SourceCount(String job) throws Exception {
            String vertex = null;
            for (JsonNode v : stack.json("/jobs/" + job).path("vertices")) {
                if (v.path("name").asText().startsWith("Source:")) {
                    vertex = v.path("id").asText();
                }
            }
            if (vertex == null) {
                throw new IllegalStateException("job " + job + " has no source vertex");
            }
            base = "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics";
        }

        long read() throws Exception {
            if (metrics == null) {
                List<String> ids = new ArrayList<>();
                for (JsonNode m : stack.json(base)) {
                    if (m.path("id").asText().matches("Source__.*\\.numRecordsOut")) {
                        ids.add(m.path("id").asText());
                    }
                }
                if (ids.isEmpty()) {
                    return 0; // not reported yet
                }
                metrics = String.join(",", ids);
            }
            long sum = 0;
            for (JsonNode m : stack.json(base + "?agg=sum&get=" + metrics)) {
                sum += (long) m.path("sum").asDouble();
            }
            return sum;
        }
    }

    // ---------------------------------------------------------------- latency

    private void latency() throws Exception {
        double drainRate = report.sustainedRate("full job");
        LiveRateSearch.Result live =
                s.liveRate() > 0
                        ? LiveRateSearch.Result.given(drainRate, s.liveRate())
                        : liveRate(drainRate);
        report.liveRate(live);
        double sustained = live.sustainedRate();
        Workload w = roomsWorkload();
        int[] probes = {Workload.HOT, 1, s.rooms() / 2};
        InfluxDB influx = InfluxDBFactory.connect(stack.influx());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (double load : s.loads()) {
                String topic = latencyTopic(load);
                double rate = Math.max(100, sustained * load);
                log.accept(
                        String.format(
                                "latency at %.0f%% load: %,.0f events/s, open loop",
                                load * 100, rate));
                Duration afterTick = s.checkpointAfterTick();
                long interval = s.checkpointInterval().toMillis();
                String job;
                CheckpointPacer pacer = null;
                if (afterTick == null) {
                    job = submitJob(topic, topic);
                } else {
                    job = submitJob(topic, topic, CheckpointPacer.jobArgs(interval));
                    FlinkRest flink =
                            new FlinkRest(
                                    URI.create(
                                            "http://127.0.0.1:" + stack.port("FLINK_REST_PORT")));
                    pacer =
                            CheckpointPacer.start(
                                    TICK_MS,
                                    interval,
                                    afterTick.toMillis(),
                                    () -> flink.triggerCheckpoint(job),
                                    line -> log.accept("  " + line));
                }
                String jfrName = "latency-" + Math.round(load * 100);
                Map<String, Long> pids = new LinkedHashMap<>(stack.pidsByName());
                long tm = pids.get("taskmanager-1");
                GcLog gc = new GcLog(s.out().resolve("work/taskmanager-1-gc.log"));
                int gcFrom = gc.lines();
                startProfile(tm, jfrName);
                // the open-loop producer and the probe share the machine's two cores with the job
                pids.put("benchmark (producer, probe)", ProcessHandle.current().pid());
                CpuMeter cpu = new CpuMeter(pids);
                Map<String, Double> cpuBefore = cpu.snapshot();
                long runStart = System.nanoTime();
                LatencyProbe probe = new LatencyProbe(w, influx, DATABASE, TICK_MS, probes);
                int warmup = s.latencyWarmupSeconds();
                LatencyProbe.Result r;
                try {
                    r =
                            probe.run(
                                    producer,
                                    topic,
                                    rate,
                                    warmup,
                                    s.latencySeconds(),
                                    s.outOfOrderness().toMillis(),
                                    watch(job),
                                    line ->
                                            log.accept(
                                                    String.format(
                                                            "  latency at %.0f%% load: %s",
                                                            load * 100, line)));
                } finally {
                    if (pacer != null) {
                        pacer.close();
                        log.accept(
                                String.format(
                                        "  latency at %.0f%% load: %d checkpoints asked for %d ms"
                                                + " after a tick's end, %d refused",
                                        load * 100,
                                        pacer.triggered() + pacer.refused(),
                                        afterTick.toMillis(),
                                        pacer.refused()));
                    }
                }
                double runSeconds = (System.nanoTime() - runStart) / 1e9;
                Map<String, Double> cores = new LinkedHashMap<>();
                CpuMeter.between(cpuBefore, cpu.snapshot())
                        .forEach((name, seconds) -> cores.put(name, seconds / runSeconds));
                stopProfile(tm, jfrName, String.format("latency at %.0f%% load", load * 100));
                List<GcLog.Stop> stops = gc.stopsSince(gcFrom);
                List<InfluxLog.Op> influxOps = influxOps(r.ticks());
                List<SlowTicks.Span> spans =
                        SlowTicks.spans(r.ticks(), stops, r.checkpoints(), influxOps);
                Path ticksCsv = s.out().resolve("latency-ticks-" + Math.round(load * 100) + ".csv");
                SlowTicks.writeCsv(spans, ticksCsv);
                SlowTicks.writeCheckpointsCsv(
                        r.checkpoints(),
                        TICK_MS,
                        s.out().resolve("latency-checkpoints-" + Math.round(load * 100) + ".csv"));
                report.latency(
                        load,
                        rate,
                        r,
                        cores,
                        SlowTicks.summarize(
                                spans, stops.size(), r.checkpoints(), influxOps.size(), TICK_MS),
                        ticksCsv.getFileName().toString());
                stack.cancel(job);
            }
        } finally {
            influx.close();
        }
    }

    /** InfluxDB's cache snapshots and compactions from the first tick's end to the last's sight. */
    private List<InfluxLog.Op> influxOps(List<SlowTicks.Tick> ticks) {
        if (ticks.isEmpty()) {
            return List.of();
        }
        long to = ticks.stream().mapToLong(SlowTicks.Tick::visibleMs).max().orElseThrow();
        try {
            return InfluxLog.within(
                    stack.log("influxdb").lines().toList(), ticks.get(0).endMs(), to);
        } catch (IOException e) {
            log.accept("could not read InfluxDB's log: " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Searches for the highest open-loop rate the full job keeps up with ({@link LiveRateSearch}),
     * on a job of its own whose steps follow one another without a pause.
     */
    private LiveRateSearch.Result liveRate(double drainRate) throws Exception {
        log.accept(
                String.format(
                        "live rate: searching for the highest open-loop rate the full job keeps up"
                                + " with, from %.0f%% of its drain rate (%,.0f events/s), %d s a"
                                + " step after %d s of warm-up",
                        LiveRateSearch.FIRST_SHARE * 100,
                        drainRate,
                        s.liveStepSeconds(),
                        s.liveWarmupSeconds()));
        String job = submitJob(LIVE_SEARCH_TOPIC, LIVE_SEARCH_TOPIC);
        JobCounts counts = new JobCounts(job);
        Map<String, Long> pids = new LinkedHashMap<>(stack.pidsByName());
        pids.put("benchmark (producer)", ProcessHandle.current().pid());
        CpuMeter cpu = new CpuMeter(pids);
        Workload.Stream stream = roomsWorkload().stream("live-", 3);
        LiveRateSearch.Result result;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            result =
                    LiveRateSearch.search(
                            drainRate, rate -> liveStep(producer, stream, rate, counts, cpu));
        } finally {
            counts.close();
        }
        stack.cancel(job);
        log.accept(
                String.format(
                        "live rate: %,.0f events/s%s",
                        result.sustainedRate(),
                        result.found() ? "" : " (no step kept up: the lowest rate tried)"));
        return result;
    }

    /**
     * The job's source count and failed checkpoints, read from Flink's REST API on a thread of its
     * own. The REST API answers from the JobManager's cache of the TaskManagers' metrics (refreshed
     * about every second on this stack, and only when asked), so a count read at a window's edge
     * may be a second or two old, and the two edges unequally so: the search's first version read
     * the edges alone and saw 6 s windows off by up to a third. So the count is read every {@value
     * #POLL_MS} ms and each new value is noted with the moment it first appeared, which is within a
     * poll of when the TaskManager reported it: a rate between two such notes is the job's.
     */
    private final class JobCounts implements AutoCloseable {
        private static final long POLL_MS = 200;
        private static final int CHECKPOINT_POLLS = 5;

        /** A count and when it first appeared (System.nanoTime). */
        record Sample(long atNanos, long count) {}

        private final Thread poller;
        private volatile Sample latest = new Sample(System.nanoTime(), 0);
        private volatile long failedCheckpoints;
        private volatile Exception failure;
        private volatile boolean running = true;

        JobCounts(String job) throws Exception {
            SourceCount source = new SourceCount(job);
            poller =
                    new Thread(
                            () -> {
                                try {
                                    for (int poll = 0; running; poll++) {
                                        long count = source.read();
                                        if (count != latest.count()) {
                                            latest = new Sample(System.nanoTime(), count);
                                        }
                                        if (poll % CHECKPOINT_POLLS == 0) {
                                            failedCheckpoints =
                                                    stack.json("/jobs/" + job + "/checkpoints")
                                                            .path("counts")
                                                            .path("failed")
                                                            .asLong();
                                        }
                                        Thread.sleep(POLL_MS);
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                } catch (Exception e) {
                                    failure = e;
                                }
                            },
                            "live-rate-counts");
            poller.setDaemon(true);
            poller.start();
        }

        Sample latest() throws Exception {
            check();
            return latest;
        }

        long failedCheckpoints() throws Exception {
            check();
            return failedCheckpoints;
        }

        private void check() throws Exception {
            if (failure != null) {
                throw new IllegalStateException(
                        "reading the live-rate job's counts from Flink's REST API failed", failure);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            poller.interrupt();
            poller.join();
        }
    }

    /**
     * One step of the search: the rate for a warm-up, then for the measured window, whose edges
     * read what was sent, what the job's source handed on, the failed checkpoints and the CPU.
     */
    private LiveRateSearch.Step liveStep(
            KafkaProducer<String, byte[]> producer,
            Workload.Stream stream,
            double rate,
            JobCounts counts,
            CpuMeter cpu)
            throws Exception {
        long[] sent = {0};
        OpenLoop.Sent count = (ts, rec) -> sent[0]++;
        long warmedUp = System.currentTimeMillis() + s.liveWarmupSeconds() * 1_000L;
        OpenLoop.send(producer, LIVE_SEARCH_TOPIC, stream, rate, () -> warmedUp, count);
        long sentFrom = sent[0];
        JobCounts.Sample consumedFrom = counts.latest();
        long failedFrom = counts.failedCheckpoints();
        Map<String, Double> cpuFrom = cpu.snapshot();
        long fromNanos = System.nanoTime();
        long measured = System.currentTimeMillis() + s.liveStepSeconds() * 1_000L;
        OpenLoop.send(producer, LIVE_SEARCH_TOPIC, stream, rate, () -> measured, count);
        JobCounts.Sample consumedTo = counts.latest();
        double countSeconds = (consumedTo.atNanos() - consumedFrom.atNanos()) / 1e9;
        double seconds = (System.nanoTime() - fromNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        CpuMeter.between(cpuFrom, cpu.snapshot())
                .forEach((name, cpuSeconds) -> cores.put(name, cpuSeconds / seconds));
        LiveRateSearch.Step step =
                new LiveRateSearch.Step(
                        rate,
                        seconds,
                        sent[0] - sentFrom,
                        countSeconds > 0
                                ? (consumedTo.count() - consumedFrom.count()) / countSeconds
                                : 0,
                        counts.failedCheckpoints() - failedFrom,
                        cores);
        log.accept(
                String.format(
                        "  live rate %,.0f events/s: sent %,.0f/s, the job took %,.0f/s, backlog"
                                + " %+.1f s of traffic: %s",
                        rate,
                        step.sentRate(),
                        step.consumedRate(),
                        step.backlogGrowthSeconds(),
                        step.verdict()));
        return step;
    }

    /** The latency probe's view of the job; a failed REST call reads as nothing yet. */
    private LatencyProbe.JobWatch watch(String job) {
        return new LatencyProbe.JobWatch() {
            /** The job's task names by id, read at the first checkpoint. */
            private final Map<String, String> taskNames = new HashMap<>();

            @Override
            public long pendingRecords() {
                try {
                    return stack.operatorMetric(job, ".*\\.pendingRecords");
                } catch (Exception e) {
                    return 0;
                }
            }

            @Override
            public List<SlowTicks.Checkpoint> checkpoints() {
                try {
                    return SlowTicks.checkpointsIn(stack.json("/jobs/" + job + "/checkpoints"));
                } catch (Exception e) {
                    return List.of();
                }
            }

            @Override
            public SlowTicks.TaskParts lastTask(long checkpointId) {
                try {
                    if (taskNames.isEmpty()) {
                        for (JsonNode v : stack.json("/jobs/" + job).path("vertices")) {
                            taskNames.put(v.path("id").asText(), v.path("name").asText());
                        }
                    }
                    String details = "/jobs/" + job + "/checkpoints/details/" + checkpointId;
                    String task = SlowTicks.lastTaskIn(stack.json(details));
                    if (task == null) {
                        return SlowTicks.TaskParts.UNKNOWN;
                    }
                    return SlowTicks.taskPartsIn(
                            taskNames.getOrDefault(task, task),
                            stack.json(details + "/subtasks/" + task));
                } catch (Exception e) {
                    return SlowTicks.TaskParts.UNKNOWN;
                }
            }

            @Override
            public TaskTimes.Reading taskTimes() {
                try {
                    return TaskTimes.read(stack, job);
                } catch (Exception e) {
                    log.accept("could not read the job's task times: " + e.getMessage());
                    return TaskTimes.Reading.NONE;
                }
            }
        };
    }

    // ---------------------------------------------------------------- scale

    /**
     * Every viewer of {@code scaleRooms} rooms enters once and stays: the state then holds {@code
     * scaleViewers} open sessions. Measured once the job has read them all and two more checkpoints
     * completed: heap, checkpoint size and duration, the longest GC pause.
     */
    private void scale() throws Exception {
        Workload w =
                new Workload(
                        "scale-room",
                        s.scaleRooms(),
                        s.hotShare(),
                        s.zipfExponent(),
                        s.scaleViewers(),
                        s.seed());
        long entries = w.rooms() + (long) w.viewers();
        // then likes a tick and more later, so that every room's last tick closes on the boards
        long total = entries + HEARTBEATS;
        long spanMs = (long) (entries * 1000 / s.eventTimeRate());
        long start = System.currentTimeMillis() - spanMs - 60_000;
        List<FanProfile> profiles = w.profiles(start);
        log.accept(
                String.format(
                        "scale: %,d rooms, %,d viewers (%,d fan profiles into Redis)",
                        w.rooms(), w.viewers(), profiles.size()));
        RedisFanStore.write(stack.redis(), profiles, n -> {});
        String topic = SCALE_TOPIC;
        Workload.Stream stream = w.stream("s", 2);
        long after = start + spanMs + TICK_MS + 10_000;
        prefill(
                topic,
                total,
                i ->
                        i < entries
                                ? stream.enter(
                                        (int) Math.max(0, i - w.rooms()),
                                        start + (long) (i * 1000 / s.eventTimeRate()))
                                : stream.heartbeat(after));

        // The phase's pauses are its own state's: the jobs before it left their state on the heap
        // when they were cancelled, and the remark that followed took up to a second marking what
        // objects waiting for finalization still reached (docs/benchmarks.md, runs Z0 to Z3). A
        // full collection before the job starts clears that first; it is not counted.
        long tm = stack.pidsByName().get("taskmanager-1");
        jcmd(tm, "GC.run");
        GcLog gc = new GcLog(s.out().resolve("work/taskmanager-1-gc.log"));
        int gcFrom = gc.lines();
        String job = submitJob(topic, topic);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        SourceCount source = new SourceCount(job);
        while (source.read() < total) {
            if (System.nanoTime() > deadline || !stack.jobState(job).equals("RUNNING")) {
                throw new IllegalStateException(
                        "scale: the job stopped before reading every entry: " + stack.why(job));
            }
            Thread.sleep(s.drainPoll().toMillis());
        }
        long done = stack.completedCheckpoints(job);
        while (stack.completedCheckpoints(job) < done + 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "scale: no checkpoint completed: " + stack.why(job));
            }
            Thread.sleep(1_000);
        }
        JsonNode latest =
                stack.json("/jobs/" + job + "/checkpoints").path("latest").path("completed");
        long[] heap = stack.taskManagerHeap();
        GcLog.Pauses pauses = gc.pausesSince(gcFrom);
        long online = onlineViewers();
        // The class histogram collects the whole heap first (a forced full GC): it shows the live
        // heap and what fills it. It comes after the pause figures on purpose.
        int beforeFullGc = gc.lines();
        String histogram = jcmd(tm, "GC.class_histogram");
        List<HeapHistogram.Entry> classes = HeapHistogram.parse(histogram, LIVE_HEAP_CLASSES);
        long liveHeap = liveHeapAfter(gc, beforeFullGc);
        if (liveHeap < 0) {
            log.accept(
                    "scale: the forced full GC left no line in the TaskManager's GC log"
                            + " (work/taskmanager-1-gc.log), so the heap it left is not reported;"
                            + " the live objects the class histogram counted are. G1's line is"
                            + " read, and ZGC's when it writes one; Shenandoah writes none. With"
                            + " G1: is -Xlog:gc still set for the TaskManager?");
        }
        report.scale(
                new Report.Scale(
                        w.rooms(),
                        w.viewers(),
                        online,
                        heap[0],
                        liveHeap,
                        HeapHistogram.totalBytes(histogram),
                        heap[1],
                        latest.path("checkpointed_size").asLong(latest.path("state_size").asLong()),
                        latest.path("state_size").asLong(),
                        latest.path("end_to_end_duration").asLong(),
                        pauses.longestMs(),
                        pauses.longestKind(),
                        pauses.count(),
                        pauses.overTarget(),
                        pauses.pacing(),
                        classes));
        stack.cancel(job);
    }

    /**
     * The heap the forced full GC left, from the TaskManager's GC log (read, not sampled: a sample
     * taken 2.5 s after the GC, as before 2026-12-02, also counted what the job had allocated
     * since, 1.2 to 2.2 GB more in runs U to W1), or -1 if no line came within 10 s. A missing
     * figure does not fail the run: the phases before it would be lost with it (runs of 2026-12-03
     * with ZGC and Shenandoah, whose logs had no such line).
     */
    private static long liveHeapAfter(GcLog gc, int fromLine) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long bytes;
        while ((bytes = gc.heapAfterLastFullGc(fromLine)) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return bytes;
    }

    /** Viewers online over all rooms at each room's newest tick, as the boards show them. */
    private long onlineViewers() {
        InfluxDB influx = InfluxDBFactory.connect(stack.influx());
        try {
            QueryResult r =
                    influx.query(
                            new Query(
                                    "SELECT sum(\"online\") FROM (SELECT last(\"online\") AS"
                                            + " \"online\" FROM \"live_tier\" WHERE \"tier\"='all'"
                                            + " AND \"room\" =~ /^scale-room/ GROUP BY \"room\")",
                                    DATABASE));
            var series = r.getResults().get(0).getSeries();
            return series == null
                    ? 0
                    : ((Number) series.get(0).getValues().get(0).get(1)).longValue();
        } finally {
            influx.close();
        }
    }

    /** JFR on the TaskManager ({@code pid}), when the run profiles; {@code name} names its file. */
    private void startProfile(long pid, String name) throws Exception {
        if (s.profile()) {
            jcmd(pid, "JFR.start", "name=" + name, "settings=profile");
        }
    }

    /** Stops the recording {@link #startProfile} began and reports it under {@code phase}. */
    private void stopProfile(long pid, String name, String phase) throws Exception {
        if (s.profile()) {
            Path jfr = s.out().resolve(name + ".jfr");
            jcmd(pid, "JFR.stop", "name=" + name, "filename=" + jfr);
            report.profile(phase, JfrSummary.read(jfr, 15));
        }
    }

    /** The classes listed from the live heap of the scale phase. */
    private static final int LIVE_HEAP_CLASSES = 12;

    /** The JVM of a process as it names itself, or why that is not known. */
    private String jvmVersion(long pid) {
        try {
            return jcmd(pid, "VM.version")
                    .lines()
                    .filter(l -> l.contains(" version "))
                    .findFirst()
                    .orElse("?");
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    /**
     * Runs {@code jcmd pid command...} and returns what it printed: the process's own JDK's jcmd
     * where it has one (a TaskManager may run on another JDK than the benchmark), else the
     * benchmark's.
     */
    private String jcmd(long pid, String... command) throws Exception {
        Path own =
                ProcessHandle.of(pid)
                        .flatMap(h -> h.info().command())
                        .map(c -> Path.of(c).resolveSibling("jcmd"))
                        .filter(Files::isExecutable)
                        .orElse(jcmd);
        List<String> cmd = new ArrayList<>(List.of(own.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /**
     * The measured window of a drain: from the first observation at or past 10% of the records to
     * the first at or past 90%, with each process's CPU and the checkpoints in between.
     */
    static final class Window {
        private final long total;
        private long fromCount = -1;
        private long fromNanos;
        private Map<String, Double> fromCpu;
        private long fromCompleted;
        private long fromFailed;
        private long toCount = -1;
        private long toNanos;
        private Map<String, Double> toCpu;
        private long toCompleted;
        private long toFailed;

        Window(long total) {
            this.total = total;
        }

        void observe(long count, CpuMeter cpu) {
            // the bare consumer checks every record: read /proc only at the window's two edges
            if ((fromCount < 0 && count >= total / 10)
                    || (toCount < 0 && count >= total * 9 / 10)) {
                observe(count, cpu, 0, 0);
            }
        }

        void observe(long count, CpuMeter cpu, long completed, long failed) {
            if (fromCount < 0 && count >= total / 10) {
                fromCount = count;
                fromNanos = System.nanoTime();
                fromCpu = cpu.snapshot();
                fromCompleted = completed;
                fromFailed = failed;
            } else if (fromCount >= 0 && toCount < 0 && count >= total * 9 / 10) {
                toCount = count;
                toNanos = System.nanoTime();
                toCpu = cpu.snapshot();
                toCompleted = completed;
                toFailed = failed;
            }
        }

        Report.Rate rate(String name) {
            if (toCount < 0) {
                throw new IllegalStateException(name + ": the run ended before 90% of the records");
            }
            double seconds = (toNanos - fromNanos) / 1e9;
            long events = toCount - fromCount;
            return new Report.Rate(
                    name,
                    events,
                    seconds,
                    events / seconds,
                    CpuMeter.between(fromCpu, toCpu),
                    toCompleted - fromCompleted,
                    toFailed - fromFailed);
        }
    }
}
