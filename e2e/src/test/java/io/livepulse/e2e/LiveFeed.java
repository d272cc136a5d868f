package io.livepulse.e2e;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.simulator.generate.Delivery;
import io.livepulse.simulator.io.KafkaOutput;
import io.livepulse.simulator.io.Pacer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A simulation sent to Kafka in the background at a multiple of event time, the way a live feed
 * arrives, so that a fault can strike a job mid-stream.
 *
 * <p>A live job never sees the end of its input: the watermark moves only with later events. With
 * {@code closeTheDay}, once the feed is sent one more event, a {@code live_start} of a room that is
 * not in the ledger an hour after the last event, goes to every partition (one event id, counted
 * once), as the next day's broadcasts would in production. That moves the watermark past every
 * broadcast's end, so every final figure is written.
 */
final class LiveFeed implements AutoCloseable {
    static final String NEXT_DAY_ROOM = "room-next-day";

    private final List<Delivery> deliveries;
    private final Pacer pacer;
    private final AtomicLong sent = new AtomicLong();
    private final CompletableFuture<Void> done;

    private LiveFeed(
            String bootstrap,
            String topic,
            Integer partition,
            List<Delivery> deliveries,
            double speed,
            boolean closeTheDay) {
        this.deliveries = deliveries;
        this.pacer = new Pacer(deliveries.stream().map(Delivery::value).toList(), speed);
        this.done =
                CompletableFuture.runAsync(
                        () -> {
                            try (KafkaOutput out = new KafkaOutput(bootstrap, topic, partition)) {
                                out.send(deliveries, pacer, (n, total) -> sent.set(n));
                                if (closeTheDay) {
                                    closeTheDay(bootstrap, topic, lastEventTime(deliveries));
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        });
    }

    /** Starts sending {@code deliveries} to the topic, keyed, at {@code speed} times event time. */
    static LiveFeed start(String bootstrap, String topic, List<Delivery> deliveries, double speed) {
        return new LiveFeed(bootstrap, topic, null, deliveries, speed, true);
    }

    /** Starts sending everything to one partition, leaving the others idle; no end-of-day event. */
    static LiveFeed toOnePartition(
            String bootstrap,
            String topic,
            int partition,
            List<Delivery> deliveries,
            double speed) {
        return new LiveFeed(bootstrap, topic, partition, deliveries, speed, false);
    }

    /** Fraction of the records acknowledged so far (reported in steps of 5%). */
    double progress() {
        return (double) sent.get() / deliveries.size();
    }

    long sent() {
        return sent.get();
    }

    /**
     * The feed's present in event time: that of the latest record handed to Kafka ({@link
     * Pacer#eventTime}).
     */
    long eventTime() {
        return pacer.eventTime();
    }

    void awaitProgress(double fraction, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (progress() < fraction) {
            if (done.isDone()) {
                done.get(); // a failed feed says why
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the feed reached " + progress() + " of " + fraction + " in " + timeout);
            }
            Thread.sleep(100);
        }
    }

    void await(Duration timeout) throws Exception {
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest event time the contract accepts among the deliveries. */
    static long lastEventTime(List<Delivery> deliveries) {
        EventCodec codec = new EventCodec();
        long last = Long.MIN_VALUE;
        for (Delivery d : deliveries) {
            if (codec.decode(d.value()) instanceof DecodeResult.Valid v) {
                last = Math.max(last, v.event().ts());
            }
        }
        return last;
    }

    private static void closeTheDay(String bootstrap, String topic, long lastEventTime) {
        long ts = lastEventTime + Duration.ofHours(1).toMillis();
        byte[] start =
                ("{\"v\":1,\"id\":\"next-day-start\",\"type\":\"live_start\",\"room\":\""
                                + NEXT_DAY_ROOM
                                + "\",\"live\":\""
                                + NEXT_DAY_ROOM
                                + "-1\",\"ts\":"
                                + ts
                                + ",\"host\":\"host-next\",\"title\":\"next day\"}")
                        .getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (PartitionInfo p : producer.partitionsFor(topic)) {
                producer.send(new ProducerRecord<>(topic, p.partition(), NEXT_DAY_ROOM, start));
            }
            producer.flush();
        }
    }

    @Override
    public void close() {
        done.cancel(true);
    }
}
