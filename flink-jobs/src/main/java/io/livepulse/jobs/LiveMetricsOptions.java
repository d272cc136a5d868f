package io.livepulse.jobs;

import io.livepulse.jobs.enrich.EnrichWithFanTier;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

/**
 * Every option of the live metrics job: key, type, default and what it does. Given on the command
 * line as {@code --key value} (or {@code --key=value}); {@code --help} lists them.
 */
public final class LiveMetricsOptions {

    // Sources and sinks: leave Kafka unset for the embedded run.
    public static final ConfigOption<String> KAFKA_BOOTSTRAP =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka to read events from (host:port,...). Unset: an embedded simulator feeds the job.");
    public static final ConfigOption<String> KAFKA_TOPIC =
            ConfigOptions.key("kafka.topic")
                    .stringType()
                    .defaultValue("live-events")
                    .withDescription("Events topic.");
    public static final ConfigOption<String> KAFKA_GROUP =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("livepulse-live-metrics")
                    .withDescription(
                            "Consumer group; the job starts from its committed offsets, else from the earliest.");
    public static final ConfigOption<String> DLQ_TOPIC =
            ConfigOptions.key("kafka.dlq-topic")
                    .stringType()
                    .defaultValue("live-events-dlq")
                    .withDescription("Dead-letter topic for rejected and late records.");
    public static final ConfigOption<String> KAFKA_RECAPS_TOPIC =
            ConfigOptions.key("kafka.recaps-topic")
                    .stringType()
                    .defaultValue("live-recaps")
                    .withDescription(
                            "Topic for the post-stream recaps, one JSON record per broadcast (docs/recap.md).");
    public static final ConfigOption<Boolean> KAFKA_BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the offsets that are latest when the job starts (tests, backfills).");
    public static final ConfigOption<String> REDIS_URI =
            ConfigOptions.key("redis.uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Fan profiles in Redis, e.g. redis://127.0.0.1:6379. Required with Kafka unless fans.file is set.");
    public static final ConfigOption<String> FANS_FILE =
            ConfigOptions.key("fans.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Serve fan profiles from this JSON Lines file (the simulator's profiles.jsonl format), held in memory by each task, instead of Redis. The file must be readable on every TaskManager. For the benchmark's job-without-Redis phase and for runs without a Redis.");
    public static final ConfigOption<Duration> REDIS_TIMEOUT =
            ConfigOptions.key("redis.command-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(500))
                    .withDescription(
                            "A window of Redis's silence that counts against a fan-tier lookup: a lookup waits for its answer while Redis keeps answering on the connection, and fails after (redis.retries + 1) windows in which Redis sent nothing and the TaskManager ran. (redis.retries + 2) times it must be below enrich.async-timeout.");
    public static final ConfigOption<Integer> REDIS_RETRIES =
            ConfigOptions.key("redis.retries")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Windows of Redis's silence (redis.command-timeout) a lookup outlasts before the viewer's tier is 'unknown'. A window in which the TaskManager itself stalled (GC, busy cores) or Redis sent anything on the connection does not count.");
    public static final ConfigOption<Integer> REDIS_QUEUE =
            ConfigOptions.key("redis.request-queue")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Lettuce request queue bound per task.");
    public static final ConfigOption<String> INFLUX_URL =
            ConfigOptions.key("influx.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "InfluxDB (v1 API) to write to, e.g. http://127.0.0.1:8086. Unset: no InfluxDB output.");
    public static final ConfigOption<String> INFLUX_DB =
            ConfigOptions.key("influx.database")
                    .stringType()
                    .defaultValue("livepulse")
                    .withDescription("InfluxDB database.");
    public static final ConfigOption<String> INFLUX_USER =
            ConfigOptions.key("influx.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("InfluxDB user with WRITE on the database.");
    public static final ConfigOption<String> INFLUX_PASSWORD =
            ConfigOptions.key("influx.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "InfluxDB password; defaults to the LIVEPULSE_INFLUX_PASSWORD environment variable.");
    public static final ConfigOption<Integer> INFLUX_BATCH =
            ConfigOptions.key("influx.batch-points")
                    .intType()
                    .defaultValue(5_000)
                    .withDescription("Points per write.");
    public static final ConfigOption<Duration> INFLUX_RETRY =
            ConfigOptions.key("influx.max-retry-time")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long one write is retried (backpressure meanwhile) before the job fails and restarts.");
    public static final ConfigOption<Boolean> INFLUX_CREATE_DB =
            ConfigOptions.key("influx.create-database")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Create the database at start (needs admin rights; turn off for a write-only user).");
    public static final ConfigOption<Duration> INFLUX_TIER_DETAIL_EVERY =
            ConfigOptions.key("influx.tier-detail-every")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often a room's live_tier points carry every field (rooms take turns; the final ones always do); the other ticks carry the headline fields the boards read (live, uv, online, gmv_cents), which InfluxDB writes several times faster. A multiple of --tick; --tick itself writes every field at every tick.");
    public static final ConfigOption<Boolean> CONSOLE =
            ConfigOptions.key("console")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Print the console board (every second) and the final summary.");

    // Event time and definitions.
    public static final ConfigOption<Duration> TICK =
            ConfigOptions.key("tick")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Snapshot interval in event time, 1 s to 60 s, dividing a minute.");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Bounded out-of-orderness; events later than this go to the dead-letter topic as late_event.");
    public static final ConfigOption<Duration> MAX_DRIFT =
            ConfigOptions.key("watermark.max-drift")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Watermark alignment of the Kafka partitions, e.g. 10 s: a partition more than this far ahead of the slowest one in event time is paused. Catching up on a backlog, a partition with a hot room falls behind the others; unaligned, the job buffered every other partition's events until it caught up, and ran out of heap (docs/benchmarks.md). 0 (the default): off; with it on, the bounded-source tests saw their operators' metrics registered twice, not yet explained.");
    public static final ConfigOption<Duration> ALIGNMENT_INTERVAL =
            ConfigOptions.key("watermark.alignment-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How often the JobManager compares the partitions' watermarks for watermark.max-drift; a paused partition waits for the next comparison. Shorter lets a live source wait less (at 1 s with a 1 s drift, the benchmark's live sources sat paused 62% of the time) but made its drains 1.2-1.7 times slower at 200 ms (docs/benchmarks.md, change 14).");
    public static final ConfigOption<Duration> WATERMARK_INTERVAL =
            ConfigOptions.key("watermark.interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(50))
                    .withDescription(
                            "How often each source emits its watermark (Flink's auto-watermark interval, 200 ms by default). A tick's snapshot waits for the first watermark past the tick's end plus the out-of-orderness, so up to one interval more: 50 ms keeps that wait small beside the 1 s latency target (docs/benchmarks.md, change 34).");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT =
            ConfigOptions.key("network.buffer-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription(
                            "How long a task holds a network buffer that is not full before sending it on (Flink's execution.buffer-timeout, 100 ms by default). The watermark that closes a tick crosses two exchanges on its way to the snapshot and waits at each until its buffer fills or times out: at 10 ms that wait stays small beside the 1 s latency target (docs/benchmarks.md, change 35).");
    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A source partition without events for this long stops holding the watermark back.");
    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("session.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A viewer without events for this long has left (docs/metrics.md).");
    public static final ConfigOption<Duration> LIVE_IDLE_END =
            ConfigOptions.key("live.idle-end")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "A broadcast without any event for this long (event time) is over: its live_end was lost. It ends this long after its last event, with its final snapshot and recap (docs/metrics.md).");
    public static final ConfigOption<Duration> OLD_FAN_CUTOFF =
            ConfigOptions.key("fans.old-fan-cutoff")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "Fans who followed this long before the broadcast started are old fans.");
    public static final ConfigOption<Duration> VIEWER_RETENTION =
            ConfigOptions.key("viewer.retention")
                    .durationType()
                    .defaultValue(Duration.ofHours(12))
                    .withDescription(
                            "A viewer's state is kept this long after their last event; longer than any broadcast.");
    public static final ConfigOption<Duration> DEDUPE_HORIZON =
            ConfigOptions.key("dedupe.horizon")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A viewer's event ids are kept at least this long of event time (at most twice as long) to drop repeated deliveries; a repeat after it is a late event, counted and sent to the dead letters, never applied twice (docs/live-metrics-job.md).");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("events.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Events further ahead of the clock are rejected (ts_in_future).");

    // Enrichment.
    public static final ConfigOption<Duration> ASYNC_TIMEOUT =
            ConfigOptions.key("enrich.async-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "The backstop on each fan-tier lookup, behind the directory's own bounds (the enrichment times its lookups itself, not Flink's async operator, which would start a timer for every event); on timeout the tier is 'unknown'. It fires for every lookup in flight when the TaskManager itself stalls longer, so it is well above (redis.retries + 2) times redis.command-timeout.");
    public static final ConfigOption<Integer> ASYNC_CAPACITY =
            ConfigOptions.key("enrich.capacity")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription("Lookups in flight per task (beyond it: backpressure).");
    public static final ConfigOption<Integer> CACHE_SIZE =
            ConfigOptions.key("enrich.cache-size")
                    .intType()
                    .defaultValue(250_000)
                    .withDescription(
                            "Viewers' fan tiers cached per task (48 bytes each, allocated when the task starts; the least recently used in a set of 16 makes way): at least the viewers one task sees within enrich.cache-ttl, or the events of viewers already seen are looked up in Redis again.");
    public static final ConfigOption<Duration> CACHE_TTL =
            ConfigOptions.key("enrich.cache-ttl")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long a cached profile is used; new tiers reach broadcasts that start after it.");

    // Runtime.
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Exactly-once checkpoint interval.");
    public static final ConfigOption<Duration> CHECKPOINT_MIN_PAUSE =
            ConfigOptions.key("checkpoint.min-pause")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Least time between the end of one checkpoint and the start of the next;"
                                    + " the first checkpoint comes between it and the interval after the start.");
    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Parallelism of every operator.");

    // Alerts (docs/alerts.md): the rules' thresholds and where alerts go.
    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("kafka.alerts-topic")
                    .stringType()
                    .defaultValue("live-alerts")
                    .withDescription(
                            "Topic for alerts, one JSON record per firing or resolved (docs/alerts.md).");
    public static final ConfigOption<String> ALERTS_WEBHOOK =
            ConfigOptions.key("alerts.webhook-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "POST each alert as JSON to this URL too (best effort, never blocks the job). Unset: no webhook.");
    public static final ConfigOption<Integer> ALERTS_WEBHOOK_RETRIES =
            ConfigOptions.key("alerts.webhook-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Retries of a failed webhook call (1 s, 2 s, 4 s ... apart).");
    public static final ConfigOption<Duration> ALERTS_RESOLVE_AFTER =
            ConfigOptions.key("alerts.resolve-after")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "An incident resolves after its rule has not held for this long.");
    public static final ConfigOption<Duration> ALERTS_COOL_DOWN =
            ConfigOptions.key("alerts.cool-down")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "After an incident resolves, the same rule stays quiet in that room this long.");
    public static final ConfigOption<Duration> ALERTS_WARM_UP =
            ConfigOptions.key("alerts.warm-up")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Rules that compare with the room's norm wait this long into a broadcast before they may fire.");
    public static final ConfigOption<Duration> ALERTS_BASELINE_HALF_LIFE =
            ConfigOptions.key("alerts.baseline-half-life")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Half-life of the rooms' norms (exponentially weighted moving averages per tick).");
    public static final ConfigOption<Duration> CLIFF_WINDOW =
            ConfigOptions.key("alerts.viewer-cliff.window")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Viewer cliff: online viewers now against the peak of this window.");
    public static final ConfigOption<Double> CLIFF_DROP =
            ConfigOptions.key("alerts.viewer-cliff.drop")
                    .doubleType()
                    .defaultValue(0.3)
                    .withDescription(
                            "Viewer cliff: the share of the window's peak that must be gone.");
    public static final ConfigOption<Long> CLIFF_MIN_DROP =
            ConfigOptions.key("alerts.viewer-cliff.min-drop")
                    .longType()
                    .defaultValue(50L)
                    .withDescription(
                            "Viewer cliff: and at least this many viewers gone (small rooms page nobody).");
    public static final ConfigOption<Duration> STALL_WINDOW =
            ConfigOptions.key("alerts.gmv-stall.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("GMV stall: no paid order for this long ...");
    public static final ConfigOption<Double> STALL_MIN_EXPECTED =
            ConfigOptions.key("alerts.gmv-stall.min-expected-orders")
                    .doubleType()
                    .defaultValue(6.0)
                    .withDescription(
                            "GMV stall: ... while the room's order rate before the silence promised at least this many in that time.");
    public static final ConfigOption<Long> STALL_MIN_ONLINE =
            ConfigOptions.key("alerts.gmv-stall.min-online")
                    .longType()
                    .defaultValue(20L)
                    .withDescription("GMV stall: ... and at least this many viewers online.");
    public static final ConfigOption<Duration> REFUND_WINDOW =
            ConfigOptions.key("alerts.refund-spike.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("Refund spike: refunds counted over this window ...");
    public static final ConfigOption<Double> REFUND_FACTOR =
            ConfigOptions.key("alerts.refund-spike.factor")
                    .doubleType()
                    .defaultValue(4.0)
                    .withDescription(
                            "Refund spike: ... at least this many times the room's norm for such a window ...");
    public static final ConfigOption<Long> REFUND_MIN =
            ConfigOptions.key("alerts.refund-spike.min-refunds")
                    .longType()
                    .defaultValue(10L)
                    .withDescription("Refund spike: ... and at least this many.");
    public static final ConfigOption<Duration> BOTS_WINDOW =
            ConfigOptions.key("alerts.bot-traffic.window")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Bot traffic: short sessions (left within 10 s) counted over this window ...");
    public static final ConfigOption<Long> BOTS_MIN =
            ConfigOptions.key("alerts.bot-traffic.min-short-sessions")
                    .longType()
                    .defaultValue(30L)
                    .withDescription("Bot traffic: ... at least this many ...");
    public static final ConfigOption<Double> BOTS_SHARE =
            ConfigOptions.key("alerts.bot-traffic.short-share")
                    .doubleType()
                    .defaultValue(0.4)
                    .withDescription(
                            "Bot traffic: ... at least this share of the window's entries ...");
    public static final ConfigOption<Double> BOTS_FACTOR =
            ConfigOptions.key("alerts.bot-traffic.factor")
                    .doubleType()
                    .defaultValue(4.0)
                    .withDescription("Bot traffic: ... and this many times the room's norm.");
    public static final ConfigOption<Duration> FLOOD_WINDOW =
            ConfigOptions.key("alerts.comment-flood.window")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Comment flood: comments counted over this window, by normalised text ...");
    public static final ConfigOption<Long> FLOOD_MIN =
            ConfigOptions.key("alerts.comment-flood.min-repeats")
                    .longType()
                    .defaultValue(50L)
                    .withDescription("Comment flood: ... one text at least this many times ...");
    public static final ConfigOption<Double> FLOOD_SHARE =
            ConfigOptions.key("alerts.comment-flood.share")
                    .doubleType()
                    .defaultValue(0.35)
                    .withDescription(
                            "Comment flood: ... and at least this share of all the window's comments.");
    public static final ConfigOption<Duration> SHARED_DEVICE_WINDOW =
            ConfigOptions.key("alerts.shared-device.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Shared device: accounts entering from one device counted over this window (a multiple of 10 s) ...");
    public static final ConfigOption<Long> SHARED_DEVICE_MIN =
            ConfigOptions.key("alerts.shared-device.min-accounts")
                    .longType()
                    .defaultValue(5L)
                    .withDescription(
                            "Shared device: ... at least this many accounts on one device.");
    public static final ConfigOption<Duration> SILENT_WINDOW =
            ConfigOptions.key("alerts.silent-room.window")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription("Silent room: no event at all for this long ...");
    public static final ConfigOption<Double> SILENT_MIN_EXPECTED =
            ConfigOptions.key("alerts.silent-room.min-expected-events")
                    .doubleType()
                    .defaultValue(15.0)
                    .withDescription(
                            "Silent room: ... where the room's event rate promised at least this many, with viewers online.");
    public static final ConfigOption<Double> FALLBACK_SHARE =
            ConfigOptions.key("alerts.redis-fallback.share")
                    .doubleType()
                    .defaultValue(0.1)
                    .withDescription(
                            "Redis fallback: share of the last minute's new viewers whose tier is unknown ...");
    public static final ConfigOption<Long> FALLBACK_MIN =
            ConfigOptions.key("alerts.redis-fallback.min-viewers")
                    .longType()
                    .defaultValue(20L)
                    .withDescription("Redis fallback: ... and at least this many of them.");
    public static final ConfigOption<Long> DEAD_LETTERS_PER_MINUTE =
            ConfigOptions.key("alerts.dead-letters.per-minute")
                    .longType()
                    .defaultValue(50L)
                    .withDescription(
                            "Dead letters: rejected records in one minute of stream time (all rooms) at or above this.");

    // The embedded run.
    public static final ConfigOption<String> EMBEDDED_PROFILE =
            ConfigOptions.key("embedded.profile")
                    .stringType()
                    .defaultValue("whitepaper")
                    .withDescription("Simulator profile: whitepaper, steady or flash-sale.");
    public static final ConfigOption<Long> EMBEDDED_SEED =
            ConfigOptions.key("embedded.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Simulator seed.");
    public static final ConfigOption<Integer> EMBEDDED_ROOMS =
            ConfigOptions.key("embedded.rooms")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Simulated rooms.");
    public static final ConfigOption<Integer> EMBEDDED_VIEWERS =
            ConfigOptions.key("embedded.viewers")
                    .intType()
                    .defaultValue(5_000)
                    .withDescription("Simulated viewers, all rooms together.");
    public static final ConfigOption<Double> EMBEDDED_SPEED =
            ConfigOptions.key("embedded.speed")
                    .doubleType()
                    .defaultValue(240.0)
                    .withDescription(
                            "Event-time seconds played per second (a 2 h broadcast in 30 s); 0 = as fast as possible.");

    private final Configuration config;

    private LiveMetricsOptions(Configuration config) {
        this.config = config;
    }

    public <T> T get(ConfigOption<T> option) {
        return config.get(option);
    }

    public Optional<String> optional(ConfigOption<String> option) {
        return config.getOptional(option);
    }

    public boolean embedded() {
        return config.getOptional(KAFKA_BOOTSTRAP).isEmpty();
    }

    /** Every option declared above, by key. */
    public static Map<String, ConfigOption<?>> all() {
        Map<String, ConfigOption<?>> options = new LinkedHashMap<>();
        for (Field f : LiveMetricsOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    options.put(o.key(), o);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    /**
     * Parses {@code --key value} pairs; throws {@link IllegalArgumentException} saying what to fix.
     */
    public static LiveMetricsOptions parse(String... args) {
        Map<String, ConfigOption<?>> known = all();
        Configuration config = new Configuration();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        "expected --key value, got \"" + arg + "\" (--help lists the options)");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = args[++i];
            }
            if (!known.containsKey(key)) {
                throw new IllegalArgumentException(
                        "unknown option --" + key + " (--help lists the options)");
            }
            config.setString(key, value);
        }
        LiveMetricsOptions o = new LiveMetricsOptions(config);
        o.validate(known);
        return o;
    }

    private void validate(Map<String, ConfigOption<?>> known) {
        for (ConfigOption<?> option : known.values()) {
            try {
                config.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--"
                                + option.key()
                                + ": cannot read \""
                                + config.toMap().get(option.key())
                                + "\" ("
                                + describe(option)
                                + ")",
                        e);
            }
        }
        long tick = get(TICK).toMillis();
        require(
                tick >= 1_000 && tick <= 60_000 && 60_000 % tick == 0 && tick % 1000 == 0,
                "--tick must be whole seconds from 1 s to 60 s that divide a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60 s); got "
                        + get(TICK));
        long tierDetail = get(INFLUX_TIER_DETAIL_EVERY).toMillis();
        require(
                tierDetail >= tick && tierDetail % tick == 0,
                "--influx.tier-detail-every must be a multiple of --tick ("
                        + get(TICK)
                        + "), e.g. 1 min, or the tick itself for every field at every tick; got "
                        + get(INFLUX_TIER_DETAIL_EVERY));
        require(
                get(REDIS_RETRIES) >= 0 && get(REDIS_RETRIES) <= 5,
                "--redis.retries must be 0 to 5; got " + get(REDIS_RETRIES));
        // the lookup's windows of silence, then one more for Lettuce's own timeout
        // (RedisFanDirectory's longest wait), all end before the backstop
        require(
                get(REDIS_TIMEOUT)
                                .multipliedBy(get(REDIS_RETRIES) + 2)
                                .compareTo(get(ASYNC_TIMEOUT))
                        < 0,
                "--redis.command-timeout ("
                        + get(REDIS_TIMEOUT)
                        + ") times (--redis.retries + 2 = "
                        + (get(REDIS_RETRIES) + 2)
                        + ") must be below --enrich.async-timeout ("
                        + get(ASYNC_TIMEOUT)
                        + "): a lookup's windows of Redis's silence, and one more for Lettuce's own"
                        + " timeout, must end before the backstop");
        require(
                get(IDLE_TIMEOUT).toSeconds() >= 10,
                "--session.idle-timeout must be at least 10 s; got " + get(IDLE_TIMEOUT));
        require(
                get(LIVE_IDLE_END).toMinutes() >= 1,
                "--live.idle-end must be at least 1 min; got " + get(LIVE_IDLE_END));
        require(
                get(VIEWER_RETENTION).compareTo(get(IDLE_TIMEOUT)) > 0,
                "--viewer.retention must exceed --session.idle-timeout");
        require(
                get(DEDUPE_HORIZON).toMinutes() >= 1,
                "--dedupe.horizon must be at least 1 min (a repeat after it counts as late); got "
                        + get(DEDUPE_HORIZON));
        require(
                get(WATERMARK_INTERVAL).toMillis() >= 10,
                "--watermark.interval must be at least 10 ms; got " + get(WATERMARK_INTERVAL));
        require(
                get(BUFFER_TIMEOUT).toMillis() >= 1,
                "--network.buffer-timeout must be at least 1 ms (0 would send every record in a"
                        + " buffer of its own); got "
                        + get(BUFFER_TIMEOUT));
        require(
                get(ALIGNMENT_INTERVAL).toMillis() >= 10,
                "--watermark.alignment-interval must be at least 10 ms; got "
                        + get(ALIGNMENT_INTERVAL));
        require(
                !get(MAX_DRIFT).isNegative()
                        && (get(MAX_DRIFT).isZero()
                                || get(MAX_DRIFT).compareTo(get(ALIGNMENT_INTERVAL)) >= 0),
                "--watermark.max-drift must be 0 (off) or at least"
                        + " --watermark.alignment-interval ("
                        + get(ALIGNMENT_INTERVAL)
                        + "): a paused partition waits up to an interval for the next comparison,"
                        + " so a smaller drift keeps the sources paused; got "
                        + get(MAX_DRIFT));
        require(get(PARALLELISM) >= 1, "--parallelism must be at least 1");
        require(
                get(ASYNC_CAPACITY) >= 1 && get(CACHE_SIZE) >= 1 && get(INFLUX_BATCH) >= 1,
                "capacities and sizes must be at least 1");
        require(
                get(CACHE_SIZE) <= EnrichWithFanTier.MAX_CACHE_SIZE,
                "--enrich.cache-size must be at most "
                        + EnrichWithFanTier.MAX_CACHE_SIZE
                        + " (48 bytes each, allocated by every task as it starts); got "
                        + get(CACHE_SIZE));
        require(get(EMBEDDED_SPEED) >= 0, "--embedded.speed must be 0 (unpaced) or positive");
        require(
                !get(CHECKPOINT_INTERVAL).isNegative()
                        && get(CHECKPOINT_INTERVAL).toMillis() >= 100,
                "--checkpoint.interval must be at least 100 ms");
        require(
                !get(CHECKPOINT_MIN_PAUSE).isNegative()
                        && get(CHECKPOINT_MIN_PAUSE).compareTo(get(CHECKPOINT_INTERVAL)) <= 0,
                "--checkpoint.min-pause must be between 0 and --checkpoint.interval");
        for (ConfigOption<Duration> w :
                List.of(CLIFF_WINDOW, STALL_WINDOW, REFUND_WINDOW, BOTS_WINDOW, SILENT_WINDOW)) {
            require(
                    get(w).compareTo(get(TICK)) >= 0,
                    "--" + w.key() + " must be at least one --tick (" + get(TICK) + ")");
        }
        for (ConfigOption<Double> share :
                List.of(CLIFF_DROP, BOTS_SHARE, FLOOD_SHARE, FALLBACK_SHARE)) {
            require(
                    get(share) > 0 && get(share) <= 1,
                    "--" + share.key() + " must be a share in (0, 1]; got " + get(share));
        }
        for (ConfigOption<Double> factor : List.of(REFUND_FACTOR, BOTS_FACTOR)) {
            require(get(factor) >= 1, "--" + factor.key() + " must be at least 1");
        }
        for (ConfigOption<Duration> w : List.of(FLOOD_WINDOW, SHARED_DEVICE_WINDOW)) {
            require(
                    get(w).toMillis() >= 10_000 && get(w).toMillis() % 10_000 == 0,
                    "--" + w.key() + " must be a multiple of 10 s");
        }
        require(
                get(SHARED_DEVICE_MIN) >= 2,
                "--alerts.shared-device.min-accounts must be at least 2");
        require(get(ALERTS_WEBHOOK_RETRIES) >= 0, "--alerts.webhook-retries must be 0 or more");
        if (!embedded()) {
            require(
                    config.getOptional(REDIS_URI).isPresent()
                            || config.getOptional(FANS_FILE).isPresent(),
                    "--redis.uri is required when reading from Kafka (the fan tiers live there),"
                            + " or --fans.file to serve them from a file");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** An option's description as plain text. */
    private static String describe(ConfigOption<?> o) {
        return new HtmlFormatter()
                .format(o.description())
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .replaceAll("\\s+", " ");
    }

    /** The option list for {@code --help}. */
    public static String help() {
        List<String> lines = new ArrayList<>();
        lines.add("Options (--key value):");
        for (ConfigOption<?> o : all().values()) {
            Object value = o.hasDefaultValue() ? o.defaultValue() : null;
            String def =
                    value == null
                            ? "unset"
                            : value instanceof Duration d
                                    ? TimeUtils.formatWithHighestUnit(d)
                                    : value.toString();
            lines.add(String.format("  --%-28s %s (default: %s)", o.key(), describe(o), def));
        }
        return String.join("\n", lines);
    }
}
