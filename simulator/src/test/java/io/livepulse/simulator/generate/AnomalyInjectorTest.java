package io.livepulse.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.events.EventType;
import io.livepulse.events.LiveEvent;
import io.livepulse.simulator.Simulation;
import io.livepulse.simulator.ledger.Ledger.Anomaly;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The labelled anomalies are in the stream as their labels say, and only where they fit. */
class AnomalyInjectorTest {
    static final Simulation SIM =
            Simulation.run(
                    SimulationOptions.defaults(Profile.WHITEPAPER, 3)
                            .withScale(10, 30_000, 1)
                            .withAnomalies(1));

    static Anomaly label(String kind) {
        return SIM.ledger().anomalies().stream()
                .filter(a -> a.kind().equals(kind))
                .findFirst()
                .orElseThrow();
    }

    static List<LiveEvent> during(Anomaly a) {
        return SIM.events().stream()
                .filter(e -> e.room().equals(a.room()) && e.ts() >= a.start() && e.ts() < a.end())
                .toList();
    }

    @Test
    void everyKindIsLabelledOnceWithinABroadcastsMiddle() {
        Map<String, Long> kinds =
                SIM.ledger().anomalies().stream()
                        .collect(Collectors.groupingBy(Anomaly::kind, Collectors.counting()));
        assertThat(kinds)
                .containsOnlyKeys(
                        "viewer_cliff",
                        "gmv_stall",
                        "refund_spike",
                        "bot_traffic",
                        "shared_device",
                        "comment_flood",
                        "silent_room",
                        "dead_letters")
                .allSatisfy((kind, n) -> assertThat(n).isOne());
        for (Anomaly a : SIM.ledger().anomalies()) {
            assertThat(a.end()).isGreaterThan(a.start());
            assertThat(a.detectableAt()).isBetween(a.start(), a.end());
        }
    }

    @Test
    void theStreamShowsWhatTheLabelsSay() {
        assertThat(during(label("silent_room"))).isEmpty();

        Anomaly stall = label("gmv_stall");
        assertThat(during(stall)).isNotEmpty().noneMatch(e -> e.type() == EventType.ORDER_PAID);

        Anomaly refunds = label("refund_spike");
        assertThat(during(refunds).stream().filter(e -> e.type() == EventType.ORDER_REFUNDED))
                .hasSizeGreaterThanOrEqualTo(20);

        Anomaly bots = label("bot_traffic");
        List<LiveEvent.Enter> botEntries =
                during(bots).stream()
                        .filter(e -> e instanceof LiveEvent.Enter && e.user().startsWith("bot-"))
                        .map(e -> (LiveEvent.Enter) e)
                        .toList();
        assertThat(botEntries).hasSize(150);
        assertThat(botEntries.stream().map(LiveEvent.Enter::device).distinct()).hasSize(6);

        Anomaly flood = label("comment_flood");
        assertThat(during(flood).stream().filter(e -> e.id().contains("comment_flood")))
                .hasSizeGreaterThanOrEqualTo(150);

        Anomaly cliff = label("viewer_cliff");
        assertThat(during(cliff).stream().filter(e -> e.id().contains("viewer_cliff")))
                .allMatch(e -> e.type() == EventType.LEAVE)
                .hasSizeGreaterThanOrEqualTo(120);
    }

    @Test
    void deadLetterBurstsAreMalformedRecordsOfTheLedger() {
        Anomaly burst = label("dead_letters");
        assertThat(burst.room()).isEqualTo("pipeline");
        assertThat(SIM.ledger().delivery().malformed()).isEqualTo(DeliveryFaults.BURST_RECORDS);
        // the job places a rejected record at the latest event time seen before it
        EventCodec codec = new EventCodec();
        long latest = Long.MIN_VALUE;
        int inBurst = 0;
        for (Delivery d : SIM.deliveries()) {
            if (d.kind() == Delivery.Kind.MALFORMED) {
                assertThat(latest).isBetween(burst.start() - 1_000, burst.end());
                inBurst++;
            } else {
                latest =
                        Math.max(
                                latest,
                                ((DecodeResult.Valid) codec.decode(d.value())).event().ts());
            }
        }
        assertThat(inBurst).isEqualTo(DeliveryFaults.BURST_RECORDS);
    }

    @Test
    void tooQuietBroadcastsRefuseWithWhatToChange() {
        assertThatThrownBy(
                        () ->
                                Simulation.run(
                                        SimulationOptions.defaults(Profile.STEADY, 1)
                                                .withScale(2, 400, 1)
                                                .withAnomalies(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot place 1")
                .hasMessageContaining("use more viewers");
    }
}
