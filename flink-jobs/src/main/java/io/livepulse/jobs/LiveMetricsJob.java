package io.livepulse.jobs;

import static io.livepulse.jobs.LiveMetricsOptions.*;

import io.livepulse.jobs.alert.Alert;
import io.livepulse.jobs.alert.AlertRules;
import io.livepulse.jobs.enrich.FanDirectory;
import io.livepulse.jobs.enrich.FileFanDirectory;
import io.livepulse.jobs.enrich.RedisFanDirectory;
import io.livepulse.jobs.enrich.StaticFanDirectory;
import io.livepulse.jobs.ingest.KafkaIngestDeserializer;
import io.livepulse.jobs.ingest.PaceByEventTime;
import io.livepulse.jobs.ingest.RecordDecoder;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.Ingested;
import io.livepulse.jobs.records.RoomSnapshot;
import io.livepulse.jobs.sink.AlertSerializer;
import io.livepulse.jobs.sink.ConsoleBoard;
import io.livepulse.jobs.sink.DeadLetterSerializer;
import io.livepulse.jobs.sink.InfluxSink;
import io.livepulse.jobs.sink.PrintedAlerts;
import io.livepulse.jobs.sink.PrintedDeadLetters;
import io.livepulse.jobs.sink.PrintedRecaps;
import io.livepulse.jobs.sink.RecapSerializer;
import io.livepulse.jobs.sink.WebhookSink;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The live metrics job. With no arguments it runs the whole pipeline in a local MiniCluster on the
 * simulator's whitepaper profile (an in-process source and fan directory stand in for Kafka and
 * Redis) and shows a console board; with {@code --kafka.bootstrap-servers}, {@code --redis.uri} and
 * {@code --influx.url} it runs against the real services. {@code --help} lists every option.
 */
public final class LiveMetricsJob {
    private LiveMetricsJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("LivePulse live metrics job\n\n" + LiveMetricsOptions.help());
            return;
        }
        LiveMetricsOptions o;
        try {
            o = LiveMetricsOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, o);
        env.execute(o.embedded() ? "LivePulse live metrics (embedded)" : "LivePulse live metrics");
    }

    /** Configures the environment and wires sources and sinks from the options. */
    public static void build(StreamExecutionEnvironment env, LiveMetricsOptions o) {
        env.setParallelism(o.get(PARALLELISM));
        // Chained operators hand each record on as it is instead of copying it first (Flink's
        // default copies every record at every chained hop, reflectively: a fifth of the source
        // task's CPU in the benchmark). Safe because no operator of the job changes a record
        // another still holds or keeps one it emitted: enrichment changes only the copy Flink's
        // async operator makes of each input when objects are reused, stage 1 changes only what it
        // read from the network, and every sink turns a record into its output at once.
        env.getConfig().enableObjectReuse();
        // Watermarks more often than Flink's 200 ms: a tick's snapshot is made at the first
        // watermark past it, so the interval is paid in the time beyond every tick
        env.getConfig().setAutoWatermarkInterval(o.get(WATERMARK_INTERVAL).toMillis());
        // Part-filled network buffers sent on after 10 ms rather than Flink's 100 ms: the
        // watermark that closes a tick waits in a buffer until it fills or times out, at each of
        // the two exchanges before the snapshot, unless records come fast enough to fill it.
        env.setBufferTimeout(o.get(BUFFER_TIMEOUT).toMillis());
        env.enableCheckpointing(
                o.get(CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
        // Flink starts the first checkpoint at a random moment between the min pause and the
        // interval: the pause also bounds how early that first one can come.
        env.getCheckpointConfig()
                .setMinPauseBetweenCheckpoints(o.get(CHECKPOINT_MIN_PAUSE).toMillis());
        RecordDecoder decoder = new RecordDecoder(o.get(MAX_FUTURE_SKEW));

        DataStream<Ingested> ingested;
        FanDirectory fans;
        Sink<DeadLetter> deadLetters;
        if (o.embedded()) {
            Simulation sim = simulate(o);
            List<Ingested> records = new ArrayList<>(sim.deliveries().size());
            long offset = 0;
            for (Delivery d : sim.deliveries()) {
                records.add(decoder.decode(d.value(), "embedded", 0, offset++));
            }
            ingested =
                    env.fromData(records, TypeInformation.of(Ingested.class))
                            .name("Embedded simulator (" + o.get(EMBEDDED_PROFILE) + ")")
                            .uid("embedded-source")
                            .map(new PaceByEventTime(o.get(EMBEDDED_SPEED)))
                            .name("Pace by event time")
                            .uid("embedded-pace")
                            .assignTimestampsAndWatermarks(LiveMetricsPipeline.watermarks(o))
                            .name("Watermarks")
                            .uid("embedded-watermarks");
            fans = new StaticFanDirectory(sim.profiles());
            deadLetters = new PrintedDeadLetters();
        } else {
            var source =
                    KafkaSource.<Ingested>builder()
                            .setBootstrapServers(o.get(KAFKA_BOOTSTRAP))
                            .setTopics(o.get(KAFKA_TOPIC))
                            .setGroupId(o.get(KAFKA_GROUP))
                            // committed offsets on restart of a new job; checkpointed ones on
                            // recovery
                            .setStartingOffsets(
                                    OffsetsInitializer.committedOffsets(
                                            OffsetResetStrategy.EARLIEST))
                            .setDeserializer(new KafkaIngestDeserializer(decoder));
            if (o.get(KAFKA_BOUNDED)) {
                source.setBounded(OffsetsInitializer.latest());
            }
            WatermarkStrategy<Ingested> watermarks = LiveMetricsPipeline.watermarks(o);
            if (!o.get(MAX_DRIFT).isZero()) {
                watermarks =
                        watermarks.withWatermarkAlignment(
                                "live-events", o.get(MAX_DRIFT), o.get(ALIGNMENT_INTERVAL));
            }
            ingested =
                    env.fromSource(source.build(), watermarks, "Kafka " + o.get(KAFKA_TOPIC))
                            .uid("kafka-source");
            fans =
                    o.optional(FANS_FILE).isPresent()
                            ? new FileFanDirectory(o.get(FANS_FILE))
                            : new RedisFanDirectory(
                                    o.get(REDIS_URI),
                                    o.get(REDIS_TIMEOUT),
                                    o.get(REDIS_QUEUE),
                                    o.get(REDIS_RETRIES),
                                    // below the enrichment's backstop, so the directory fails
                                    // first and says why
                                    o.get(ASYNC_TIMEOUT).minus(o.get(REDIS_TIMEOUT)));
            deadLetters =
                    KafkaSink.<DeadLetter>builder()
                            .setBootstrapServers(o.get(KAFKA_BOOTSTRAP))
                            .setRecordSerializer(new DeadLetterSerializer(o.get(DLQ_TOPIC)))
                            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                            .build();
        }

        List<Sink<RoomSnapshot>> sinks = new ArrayList<>();
        o.optional(INFLUX_URL)
                .ifPresent(
                        url ->
                                sinks.add(
                                        InfluxSink.snapshots(
                                                influxSettings(o, url),
                                                o.get(TICK),
                                                o.get(INFLUX_TIER_DETAIL_EVERY))));
        if (o.get(CONSOLE)) {
            sinks.add(new ConsoleBoard());
        }
        LiveMetricsPipeline.Streams streams =
                LiveMetricsPipeline.build(ingested, fans, sinks, deadLetters, o);
        DataStream<Recap> recaps = LiveMetricsPipeline.recaps(streams);
        o.optional(INFLUX_URL)
                .ifPresent(
                        url ->
                                recaps.sinkTo(InfluxSink.recaps(influxSettings(o, url)))
                                        .uid("recap-sink-influx")
                                        .name("Recaps to InfluxDB"));
        if (o.get(CONSOLE)) {
            recaps.sinkTo(new PrintedRecaps())
                    .setParallelism(1)
                    .uid("recap-sink-console")
                    .name("Recaps to the console");
        }
        if (!o.embedded()) {
            recaps.sinkTo(
                            KafkaSink.<Recap>builder()
                                    .setBootstrapServers(o.get(KAFKA_BOOTSTRAP))
                                    .setRecordSerializer(
                                            new RecapSerializer(o.get(KAFKA_RECAPS_TOPIC)))
                                    .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                    .build())
                    .uid("recap-sink-kafka")
                    .name("Recaps to Kafka");
        }
        sinkAlerts(LiveMetricsPipeline.alerts(streams, AlertRules.from(o)), o);
    }

    /** Alerts go to the console (embedded), or to Kafka, InfluxDB and the webhook if set. */
    private static void sinkAlerts(DataStream<Alert> alerts, LiveMetricsOptions o) {
        if (o.get(CONSOLE)) {
            alerts.sinkTo(new PrintedAlerts())
                    .setParallelism(1)
                    .uid("alert-sink-console")
                    .name("Alerts to the console");
        }
        o.optional(INFLUX_URL)
                .ifPresent(
                        url ->
                                alerts.sinkTo(InfluxSink.alerts(influxSettings(o, url)))
                                        .uid("alert-sink-influx")
                                        .name("Alerts to InfluxDB"));
        if (!o.embedded()) {
            alerts.sinkTo(
                            KafkaSink.<Alert>builder()
                                    .setBootstrapServers(o.get(KAFKA_BOOTSTRAP))
                                    .setRecordSerializer(new AlertSerializer(o.get(ALERTS_TOPIC)))
                                    .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                    .build())
                    .uid("alert-sink-kafka")
                    .name("Alerts to Kafka");
        }
        o.optional(ALERTS_WEBHOOK)
                .ifPresent(
                        url ->
                                alerts.sinkTo(new WebhookSink(url, o.get(ALERTS_WEBHOOK_RETRIES)))
                                        .uid("alert-sink-webhook")
                                        .name("Alerts to the webhook"));
    }

    static InfluxSink.Settings influxSettings(LiveMetricsOptions o, String url) {
        String password =
                o.optional(INFLUX_PASSWORD).orElse(System.getenv("LIVEPULSE_INFLUX_PASSWORD"));
        return new InfluxSink.Settings(
                url,
                o.get(INFLUX_DB),
                o.optional(INFLUX_USER).orElse(null),
                password,
                o.get(INFLUX_BATCH),
                o.get(INFLUX_RETRY),
                o.get(INFLUX_CREATE_DB));
    }

    /** The embedded run's traffic, with the job's own session and old-fan definitions. */
    static Simulation simulate(LiveMetricsOptions o) {
        SimulationOptions defaults =
                SimulationOptions.defaults(
                        Profile.fromCliName(o.get(EMBEDDED_PROFILE)), o.get(EMBEDDED_SEED));
        SimulationOptions options =
                new SimulationOptions(
                        defaults.seed(),
                        defaults.profile(),
                        o.get(EMBEDDED_ROOMS),
                        o.get(EMBEDDED_VIEWERS),
                        1,
                        defaults.hotRoomShare(),
                        defaults.start(),
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        o.get(IDLE_TIMEOUT),
                        o.get(LIVE_IDLE_END),
                        o.get(OLD_FAN_CUTOFF));
        System.out.printf(
                "LivePulse embedded run: simulator profile %s, seed %d, %d rooms, %,d viewers, played at %.0fx%n",
                options.profile().cliName(),
                options.seed(),
                options.rooms(),
                options.viewers(),
                o.get(EMBEDDED_SPEED));
        return Simulation.run(options);
    }
}
