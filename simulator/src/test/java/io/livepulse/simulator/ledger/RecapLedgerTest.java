package io.livepulse.simulator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.events.LiveEvent;
import io.livepulse.events.LiveEvent.LiveEnd;
import io.livepulse.events.LiveEvent.LiveStart;
import io.livepulse.events.LiveEvent.OrderPaid;
import io.livepulse.events.LiveEvent.OrderRefunded;
import io.livepulse.simulator.generate.Profile;
import io.livepulse.simulator.generate.SimulationOptions;
import io.livepulse.simulator.ledger.Ledger.BroadcastLedger;
import io.livepulse.simulator.ledger.Ledger.Comparison;
import io.livepulse.simulator.ledger.Ledger.Product;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recap's parts of the ledger, checked by hand on three broadcasts of one room. */
class RecapLedgerTest {
    static final String ROOM = "room-a";
    static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000;

    final List<LiveEvent> events = new ArrayList<>();
    int seq;

    void broadcast(int n, Runnable sales) {
        String live = ROOM + "-live-" + n;
        long start = T0 + (n - 1) * 3 * HOUR;
        events.add(new LiveStart("s" + n, ROOM, live, start, "host", "title", null));
        sales.run();
        events.add(new LiveEnd("e" + n, ROOM, live, start + HOUR));
    }

    void paid(int n, String user, String order, String sku, long cents) {
        long at = T0 + (n - 1) * 3 * HOUR + 60_000 + seq * 1_000L;
        events.add(
                new OrderPaid(
                        "ev-" + ++seq, ROOM, ROOM + "-live-" + n, at, user, order, sku, 1, cents));
    }

    void refunded(int n, String user, String order, long cents) {
        long at = T0 + (n - 1) * 3 * HOUR + 60_000 + seq * 1_000L;
        events.add(
                new OrderRefunded(
                        "ev-" + ++seq, ROOM, ROOM + "-live-" + n, at, user, order, cents));
    }

    @Test
    void productsCountRefundsAgainstTheirOrderAndHistoryRanksTheRoomsBroadcasts() {
        broadcast(
                1,
                () -> {
                    paid(1, "alice", "o1", "sku-a", 10_000);
                    paid(1, "bob", "o2", "sku-b", 5_000);
                });
        broadcast(
                2,
                () -> {
                    paid(2, "alice", "o3", "sku-a", 30_000);
                    refunded(2, "alice", "o1", 10_000); // paid in broadcast 1: product unknown
                });
        broadcast(
                3,
                () -> {
                    paid(3, "carol", "o4", "sku-c", 12_000);
                    paid(3, "dave", "o5", "sku-c", 3_000);
                    paid(3, "dave", "o6", "sku-b", 6_000);
                    refunded(3, "dave", "o5", 3_000);
                });
        Ledger ledger =
                LedgerBuilder.build(
                        SimulationOptions.defaults(Profile.STEADY, 1),
                        events,
                        List.of(),
                        List.of(),
                        List.of());
        List<BroadcastLedger> b = ledger.rooms().get(0).broadcasts();

        assertThat(b.get(1).recap().topProducts())
                .containsExactly(
                        new Product("sku-a", 1, 30_000, 0, 0, 30_000),
                        new Product("unknown", 0, 0, 1, 10_000, -10_000));
        assertThat(b.get(2).recap().topProducts())
                .containsExactly(
                        new Product("sku-c", 2, 15_000, 1, 3_000, 12_000),
                        new Product("sku-b", 1, 6_000, 0, 0, 6_000));

        // the first broadcast has nothing to compare with
        assertThat(b.get(0).recap().history().get("gmv_cents"))
                .isEqualTo(new Comparison(15_000.0, null, null, 1, 1));
        // GMV 15,000, 20,000, then 18,000: second of three, 2,000 below the previous
        assertThat(b.get(2).recap().history().get("gmv_cents"))
                .isEqualTo(new Comparison(18_000.0, 20_000.0, -2_000.0, 2, 3));
        // viewers 2, 1, then 2: a tie with the first is still rank 1
        assertThat(b.get(2).recap().history().get("uv"))
                .isEqualTo(new Comparison(2.0, 1.0, 1.0, 1, 3));
        assertThat(b.get(2).recap().history().keySet())
                .containsExactlyElementsOf(RecapLedger.HISTORY_FIGURES);
    }
}
