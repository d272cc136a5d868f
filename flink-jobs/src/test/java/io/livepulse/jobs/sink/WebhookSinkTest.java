package io.livepulse.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.livepulse.jobs.alert.Alert;
import io.livepulse.jobs.alert.AlertKind;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

/** The webhook against a real local HTTP server: retries, and never holds the job up. */
class WebhookSinkTest {

    static Alert alert() {
        Alert a = new Alert();
        a.room = "room-1";
        a.live = "live-1";
        a.kind = AlertKind.GMV_STALL;
        a.severity = Alert.WARNING;
        a.state = Alert.FIRING;
        a.ts = 1_000;
        a.firedAt = 1_000;
        a.value = 6;
        a.threshold = 5;
        a.evidence = "no paid order for 6 min";
        return a;
    }

    @Test
    void aFailingHookIsRetriedUntilItTakesTheAlert() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/hook",
                exchange -> {
                    bodies.add(new String(exchange.getRequestBody().readAllBytes()));
                    // the first two calls fail, as a restarting chat bot would
                    exchange.sendResponseHeaders(calls.incrementAndGet() <= 2 ? 503 : 200, -1);
                    exchange.close();
                });
        server.start();
        SimpleCounter delivered = new SimpleCounter();
        SimpleCounter failed = new SimpleCounter();
        var writer =
                new WebhookSink.Writer(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                        3,
                        50,
                        delivered,
                        failed);
        try {
            writer.write(alert(), null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (delivered.getCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(delivered.getCount()).isEqualTo(1);
            assertThat(failed.getCount()).isZero();
            assertThat(calls.get()).isEqualTo(3);
            assertThat(bodies.get(2))
                    .contains("\"kind\":\"gmv_stall\"")
                    .contains("\"incident\":\"room-1/gmv_stall/1000\"");
        } finally {
            writer.close();
            server.stop(0);
        }
    }

    @Test
    void anUnreachableHookIsCountedAndNeverBlocks() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        SimpleCounter delivered = new SimpleCounter();
        SimpleCounter failed = new SimpleCounter();
        var writer =
                new WebhookSink.Writer(
                        URI.create("http://127.0.0.1:" + port + "/hook"), 1, 10, delivered, failed);
        try {
            for (int i = 0; i < 5; i++) {
                writer.write(alert(), null); // returns at once: the calls go on in the background
            }
            writer.flush(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (failed.getCount() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(failed.getCount()).isEqualTo(5);
            assertThat(delivered.getCount()).isZero();
        } finally {
            writer.close();
        }
    }
}
