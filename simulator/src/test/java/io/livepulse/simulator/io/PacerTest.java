package io.livepulse.simulator.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    static final long T0 = 1_772_366_400_000L;

    static byte[] like(String id, long ts) {
        return ("{\"v\":1,\"id\":\""
                        + id
                        + "\",\"type\":\"like\",\"room\":\"r\",\"live\":\"r-1\",\"user\":\"u\",\"ts\":"
                        + ts
                        + ",\"count\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Paces every record at one second of event time per millisecond, under a guard against a hang
     * (not a speed check).
     */
    static Pacer paceAll(List<byte[]> values) {
        Pacer pacer = new Pacer(values, 1_000);
        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> {
                    for (int i = 0; i < values.size(); i++) {
                        pacer.accept(i);
                    }
                });
        return pacer;
    }

    @Test
    void aRecordStampedFarInTheFutureDoesNotStallTheStream() {
        List<byte[]> values =
                List.of(
                        like("a", T0),
                        // the simulator's malformed "future" record: 73 years ahead
                        like("b", T0 + 2_330_074_396_179L),
                        "not json".getBytes(StandardCharsets.UTF_8),
                        like("c", T0 + 1_000));
        // paced by the future record it would never end
        Pacer pacer = paceAll(values);
        // the feed's present: the latest time the contract accepts, not the future record's
        assertThat(pacer.eventTime()).isEqualTo(T0 + 1_000);
    }

    @Test
    void aMalformedFirstRecordDoesNotStallTheStream() {
        List<byte[]> values =
                List.of(
                        "not json".getBytes(StandardCharsets.UTF_8),
                        like("a", T0),
                        like("b", T0 + 1_000));
        // with the clock started at 0, the first event was 20 days away
        Pacer pacer = paceAll(values);
        assertThat(pacer.eventTime()).isEqualTo(T0 + 1_000);
    }

    @Test
    void theFeedsPresentFollowsTheRecordsHandedOn() {
        List<byte[]> values = List.of(like("a", T0), like("b", T0 + 500), like("c", T0 + 200));
        Pacer pacer = new Pacer(values, 1_000);
        assertThat(pacer.eventTime()).as("before the first record").isEqualTo(Long.MIN_VALUE);
        pacer.accept(0);
        assertThat(pacer.eventTime()).isEqualTo(T0);
        pacer.accept(1);
        assertThat(pacer.eventTime()).isEqualTo(T0 + 500);
        pacer.accept(2);
        assertThat(pacer.eventTime())
                .as("an earlier record does not move it back")
                .isEqualTo(T0 + 500);
    }

    @Test
    void aNegativeSpeedIsRefused() {
        assertThatThrownBy(() -> new Pacer(List.of(), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--speed");
    }
}
