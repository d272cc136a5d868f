package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class LiveMetricsOptionsTest {

    @Test
    void defaultsRunTheEmbeddedJobWithTheDocumentedDefinitions() {
        LiveMetricsOptions o = LiveMetricsOptions.parse();
        assertThat(o.embedded()).isTrue();
        assertThat(o.get(LiveMetricsOptions.TICK)).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.get(LiveMetricsOptions.IDLE_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.get(LiveMetricsOptions.OLD_FAN_CUTOFF)).isEqualTo(Duration.ofDays(30));
        assertThat(o.get(LiveMetricsOptions.DEDUPE_HORIZON)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theJobEmitsWatermarksAtTheConfiguredInterval() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(env, LiveMetricsOptions.parse());
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);

        env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(env, LiveMetricsOptions.parse("--watermark.interval", "200 ms"));
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(200);
    }

    @Test
    void theJobSendsPartFilledNetworkBuffersAfterTheConfiguredTimeout() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(env, LiveMetricsOptions.parse());
        assertThat(env.getBufferTimeout()).isEqualTo(10);

        env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveMetricsJob.build(env, LiveMetricsOptions.parse("--network.buffer-timeout", "100 ms"));
        assertThat(env.getBufferTimeout()).isEqualTo(100);
    }

    @Test
    void valuesAreReadInBothForms() {
        LiveMetricsOptions o = LiveMetricsOptions.parse("--tick", "1 s", "--parallelism=3");
        assertThat(o.get(LiveMetricsOptions.TICK)).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.get(LiveMetricsOptions.PARALLELISM)).isEqualTo(3);
    }

    @Test
    void badOptionsFailFastSayingWhatToFix() {
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--tikc", "5 s"))
                .hasMessage("unknown option --tikc (--help lists the options)");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--tick", "7 s"))
                .hasMessageContaining(
                        "--tick must be whole seconds from 1 s to 60 s that divide a minute");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--tick", "soon"))
                .hasMessageStartingWith("--tick: cannot read \"soon\"");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--enrich.cache-size", "2000000000"))
                .hasMessage(
                        "--enrich.cache-size must be at most 100000000 (48 bytes each, allocated"
                                + " by every task as it starts); got 2000000000");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--influx.tier-detail-every", "7 s"))
                .hasMessageContaining("--influx.tier-detail-every must be a multiple of --tick");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--parallelism"))
                .hasMessage("--parallelism needs a value");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--redis.command-timeout", "4 s"))
                .hasMessageContaining("must be below --enrich.async-timeout");
        assertThatThrownBy(
                        () ->
                                LiveMetricsOptions.parse(
                                        "--kafka.bootstrap-servers", "127.0.0.1:9092"))
                .hasMessageContaining("--redis.uri is required when reading from Kafka");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--checkpoint.min-pause", "1 min"))
                .hasMessage("--checkpoint.min-pause must be between 0 and --checkpoint.interval");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--network.buffer-timeout", "0 ms"))
                .hasMessage(
                        "--network.buffer-timeout must be at least 1 ms (0 would send every record"
                                + " in a buffer of its own); got PT0S");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--dedupe.horizon", "30 s"))
                .hasMessage(
                        "--dedupe.horizon must be at least 1 min (a repeat after it counts as"
                                + " late); got PT30S");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--watermark.interval", "5 ms"))
                .hasMessage("--watermark.interval must be at least 10 ms; got PT0.005S");
        assertThatThrownBy(() -> LiveMetricsOptions.parse("--watermark.max-drift", "500 ms"))
                .hasMessageContaining(
                        "--watermark.max-drift must be 0 (off) or at least"
                                + " --watermark.alignment-interval (PT1S)");
        assertThat(
                        LiveMetricsOptions.parse(
                                        "--watermark.max-drift",
                                        "500 ms",
                                        "--watermark.alignment-interval",
                                        "200 ms")
                                .get(LiveMetricsOptions.MAX_DRIFT))
                .isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> LiveMetricsOptions.parse("tick"))
                .hasMessageContaining("expected --key value");
    }

    @Test
    void helpDescribesEveryOption() {
        String help = LiveMetricsOptions.help();
        for (String key : LiveMetricsOptions.all().keySet()) {
            assertThat(help).contains("--" + key);
        }
        assertThat(help).contains("(default: 5 s)").doesNotContain("Description@");
    }
}
