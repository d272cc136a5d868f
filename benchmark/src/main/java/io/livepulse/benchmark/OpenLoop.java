package io.livepulse.benchmark;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An open-loop producer: each record goes out at the moment a fixed rate gives it, stamped with
 * that moment, whether or not the job keeps up. A closed loop (send, wait, send) would slow down
 * with the job and hide its lag; here a stalled producer or broker only sends late what it owes,
 * with the intended times (no coordinated omission).
 */
final class OpenLoop {
    /** Told of each record as it is handed to the producer, with its intended time. */
    interface Sent {
        void sent(long intendedMs, Workload.Record record);
    }

    private OpenLoop() {}

    /**
     * Sends {@code stream}'s records to {@code topic} at {@code rate} events/s from now until the
     * wall clock reaches {@code untilMs}, asked again at each pause (the latency probe knows its
     * end only once its window opens).
     *
     * @return how many records were sent
     */
    static long send(
            KafkaProducer<String, byte[]> producer,
            String topic,
            Workload.Stream stream,
            double rate,
            LongSupplier untilMs,
            Sent sent) {
        long startNanos = System.nanoTime();
        long startMs = System.currentTimeMillis();
        long periodNanos = (long) (1e9 / rate);
        long count = 0;
        while (true) {
            long due = (System.nanoTime() - startNanos) / periodNanos;
            if (startMs + due * periodNanos / 1_000_000 > untilMs.getAsLong()) {
                return count;
            }
            for (; count <= due; count++) {
                long ts = startMs + count * periodNanos / 1_000_000;
                Workload.Record rec = stream.next(ts);
                producer.send(new ProducerRecord<>(topic, rec.key(), rec.value()));
                sent.sent(ts, rec);
            }
            LockSupport.parkNanos(200_000);
        }
    }
}
