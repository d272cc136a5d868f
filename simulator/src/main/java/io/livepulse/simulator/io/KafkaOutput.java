package io.livepulse.simulator.io;

import io.livepulse.simulator.generate.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to a Kafka topic, keyed as given, in order, with idempotent delivery and
 * acknowledgement from all replicas. A send error stops the run with the broker's message.
 */
public final class KafkaOutput implements AutoCloseable {

    /** Hears how many records were acknowledged so far. */
    public interface Progress {
        void sent(long done, long total);
    }

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Integer partition;

    public KafkaOutput(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, null);
    }

    /**
     * Sends everything to one partition of the topic ({@code null}: the partition Kafka picks from
     * the key) — to leave the others idle, as the idle-partition fault test does.
     */
    public KafkaOutput(String bootstrapServers, String topic, Integer partition) {
        this.topic = topic;
        this.partition = partition;
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                10,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                256 * 1024,
                                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                                "lz4",
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                60_000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                120_000),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    /** Sends a simulation's delivered stream in order, keyed as generated. */
    public void send(List<Delivery> deliveries, LongConsumer pace, Progress progress)
            throws InterruptedException {
        List<String> keys = new ArrayList<>(deliveries.size());
        List<byte[]> values = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            keys.add(d.key());
            values.add(d.value());
        }
        send(keys, values, pace, progress);
    }

    /**
     * Sends the records in order. {@code pace} is called before each record with its index (for
     * real-time pacing); pass {@code i -> {}} to send as fast as possible.
     */
    public void send(List<String> keys, List<byte[]> values, LongConsumer pace, Progress progress)
            throws InterruptedException {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long total = values.size();
        long reportEvery = Math.max(1, total / 20);
        Future<?> last = null;
        for (int i = 0; i < values.size(); i++) {
            pace.accept(i);
            if (failure.get() != null) {
                break;
            }
            last =
                    producer.send(
                            new ProducerRecord<>(topic, partition, keys.get(i), values.get(i)),
                            (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
            if ((i + 1) % reportEvery == 0) {
                progress.sent(i + 1, total);
            }
        }
        producer.flush();
        if (last != null) {
            try {
                last.get();
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "Kafka did not accept the records for topic "
                            + topic
                            + " (does the topic exist, is the broker reachable?): "
                            + failure.get().getMessage(),
                    failure.get());
        }
        progress.sent(total, total);
    }

    @Override
    public void close() {
        producer.close();
    }
}
