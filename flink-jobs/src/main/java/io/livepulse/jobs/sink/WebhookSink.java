package io.livepulse.jobs.sink;

import io.livepulse.jobs.alert.Alert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert's JSON to a webhook (chat bot, pager). Best effort by design: the call is
 * asynchronous, a failure (connection error or a status other than 2xx) is retried {@code retries}
 * times with doubling pauses from 1 s, and the job never waits for it. At most {@link #IN_FLIGHT}
 * alerts are on their way at once; beyond that, and after the last retry, the alert is counted
 * ({@code webhookFailed}) and logged, not kept: the alerts topic and InfluxDB are the durable
 * record, the webhook only wakes people up.
 */
public final class WebhookSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;
    static final int IN_FLIGHT = 1_000;

    private final String url;
    private final int retries;
    private final long firstPauseMs;

    public WebhookSink(String url, int retries) {
        this(url, retries, 1_000);
    }

    WebhookSink(String url, int retries, long firstPauseMs) {
        URI.create(url); // a malformed URL fails when the job is built, not at the first alert
        this.url = url;
        this.retries = retries;
        this.firstPauseMs = firstPauseMs;
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        return new Writer(
                URI.create(url),
                retries,
                firstPauseMs,
                context.metricGroup().counter("webhookDelivered"),
                context.metricGroup().counter("webhookFailed"));
    }

    static final class Writer implements SinkWriter<Alert> {
        private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);

        private final URI uri;
        private final int retries;
        private final long firstPauseMs;
        private final Counter delivered;
        private final Counter failed;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ScheduledExecutorService retryTimer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "webhook-retries");
                            t.setDaemon(true);
                            return t;
                        });
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

        Writer(URI uri, int retries, long firstPauseMs, Counter delivered, Counter failed) {
            this.uri = uri;
            this.retries = retries;
            this.firstPauseMs = firstPauseMs;
            this.delivered = delivered;
            this.failed = failed;
        }

        @Override
        public void write(Alert a, Context context) {
            if (!inFlight.tryAcquire()) {
                failed.inc();
                LOG.warn("webhook {} is behind by {} alerts; not sent: {}", uri, IN_FLIGHT, a);
                return;
            }
            HttpRequest request =
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(AlertSerializer.toJson(a)))
                            .build();
            send(request, a, 0);
        }

        private void send(HttpRequest request, Alert a, int attempt) {
            CompletableFuture<HttpResponse<Void>> call =
                    http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            call.whenComplete(
                    (response, error) -> {
                        if (error == null && response.statusCode() / 100 == 2) {
                            delivered.inc();
                            inFlight.release();
                        } else if (attempt < retries) {
                            retryTimer.schedule(
                                    () -> send(request, a, attempt + 1),
                                    firstPauseMs << attempt,
                                    TimeUnit.MILLISECONDS);
                        } else {
                            failed.inc();
                            inFlight.release();
                            LOG.warn(
                                    "webhook {} failed {} times ({}); not sent: {}",
                                    uri,
                                    attempt + 1,
                                    error != null
                                            ? error.toString()
                                            : "HTTP " + response.statusCode(),
                                    a);
                        }
                    });
        }

        @Override
        public void flush(boolean endOfInput) {
            // never waits: see the class comment
        }

        @Override
        public void close() {
            retryTimer.shutdownNow();
        }
    }
}
